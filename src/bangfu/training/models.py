"""Skills training (紧缺职业专项培训): courses, enrolments with their attendance, completion and
certificates, and the follow-up calls after a course.

A course teaches one trade (an occupation code of the shipped catalogue, ``core.reference``) at
one level, given by a provider (an ``Employer`` with its USCC) in one district. A registry person
enrols once per course; the attended days are recorded, the course is completed (结业) when
enough days were attended, and a certificate (证书) may follow. The living allowance and the
provider subsidy are policies of ``policies`` that read these tables in place
(``training.engine``); employment after training is read from the employment months.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.registry.models import Person
from bangfu.training import choices as c

USER = settings.AUTH_USER_MODEL


class CourseQuerySet(AreaQuerySet):
    def restrict(self, user) -> "CourseQuerySet":
        """A course is the district's: its officers and the city see it, and so do the township
        officers of that district (they enrol their people in it)."""
        code = getattr(user, "area_code", "") or ""
        if (user is not None and getattr(user, "is_authenticated", False) and user.is_active
                and len(code) == 9):
            return self.filter(district_code=code[:6])
        return super().restrict(user)


class Course(BaseModel):
    name = models.CharField(_("培训项目名称"), max_length=120)
    occupation_code = models.CharField(_("培训工种（职业代码）"), max_length=12, db_index=True)
    level = models.CharField(_("培训等级"), max_length=20, choices=c.SkillLevel.choices)
    days = models.PositiveSmallIntegerField(_("培训天数"))
    provider = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="training_courses",
                                 verbose_name=_("培训机构"))
    start_date = models.DateField(_("开班日期"))
    end_date = models.DateField(_("结业日期"))
    place = models.CharField(_("培训地点"), max_length=200)
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    brand = models.CharField(_("技能品牌"), max_length=20, choices=c.TrainingBrand.choices,
                             default=c.TrainingBrand.NONE)
    shortage = models.BooleanField(_("紧缺职业（工种）"), default=False)

    objects = CourseQuerySet.as_manager()
    area_prefix_field = "district_code"

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("培训项目")
        verbose_name_plural = _("培训项目")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="course_dates_ordered"),
            models.CheckConstraint(condition=Q(days__gte=1), name="course_days_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.district_code


class Enrolment(BaseModel):
    """One person in one course: attended days, completion (结业) or dropping out (退训)."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments",
                               verbose_name=_("培训项目"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_enrolments",
                               verbose_name=_("人员"))
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=c.EnrolmentStatus.choices,
                              default=c.EnrolmentStatus.ENROLLED, db_index=True)
    days_attended = models.PositiveSmallIntegerField(_("出勤天数"), default=0)
    completed_on = models.DateField(_("结业日期"), null=True, blank=True)
    left_on = models.DateField(_("退训日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=300, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["course_id", "id"]
        verbose_name = _("培训学员")
        verbose_name_plural = _("培训学员")
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="enrolment_course_person_uniq"),
        ]
        indexes = [models.Index(fields=["person", "status"], name="enrolment_person_status_idx")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.person_id}"

    @property
    def area_code(self) -> str:
        return self.township_code


class Certificate(models.Model):
    """The certificate (职业技能等级证书 / 专项职业能力证书) a completed enrolment earned."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="certificate",
                                     verbose_name=_("培训学员"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    number = models.CharField(_("证书编号"), max_length=40, unique=True)
    level = models.CharField(_("证书等级"), max_length=20, choices=c.SkillLevel.choices)
    issued_on = models.DateField(_("发证日期"))
    district_code = models.CharField(_("区县代码"), max_length=6)
    township_code = models.CharField(_("乡镇代码"), max_length=9)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = _("培训证书")
        verbose_name_plural = _("培训证书")

    def __str__(self) -> str:
        return self.number

    @property
    def area_code(self) -> str:
        return self.township_code


class FollowUp(BaseModel):
    """A follow-up call (跟踪回访) after the course: what the trainee does now."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="follow_ups",
                                  verbose_name=_("培训学员"))
    contact_date = models.DateField(_("回访日期"))
    outcome = models.CharField(_("回访结果"), max_length=20, choices=c.FollowUpOutcome.choices)
    employer_name = models.CharField(_("就业单位"), max_length=200, blank=True, default="")
    note = models.CharField(_("回访情况"), max_length=300, blank=True, default="")
    district_code = models.CharField(_("区县代码"), max_length=6)
    township_code = models.CharField(_("乡镇代码"), max_length=9)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("回访人"))

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["-contact_date", "-id"]
        verbose_name = _("培训回访")
        verbose_name_plural = _("培训回访")

    @property
    def area_code(self) -> str:
        return self.township_code
