"""Assistance workshops (帮扶车间): 申报 → 认定 → 运行 → 退出, their members and yearly ratings.

The engine reads these tables in place under the names in ``bangfu.engine.features``; ``active``
stays the flag the award policies read (true while recognised or running)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.network import choices as c
from bangfu.registry.models import Person


class Workshop(BaseModel):
    """An assistance workshop (帮扶车间) run by an employer; awards are paid to its operator."""

    code = models.CharField(_("认定编号"), max_length=40)  # issued by the district's bureau: unique in it
    name = models.CharField(_("车间名称"), max_length=200)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="workshops",
                                 verbose_name=_("经营主体"))
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    active = models.BooleanField(_("认定有效"), default=True)
    workshop_type = models.CharField(_("车间类型"), max_length=20, choices=c.WorkshopType.choices,
                                     default=c.WorkshopType.FACTORY)
    status = models.CharField(_("状态"), max_length=20, choices=c.WorkshopStatus.choices,
                              default=c.WorkshopStatus.RUNNING, db_index=True)
    applied_on = models.DateField(_("申报日期"), null=True, blank=True)
    running_since = models.DateField(_("投产运行日期"), null=True, blank=True)
    exited_on = models.DateField(_("退出日期"), null=True, blank=True)
    exit_reason = models.CharField(_("退出原因"), max_length=200, blank=True, default="")
    industry = models.CharField(_("主营产业"), max_length=100, blank=True, default="")
    # everyone the workshop employs as last reported (members below are the registry's workers)
    total_workers = models.PositiveIntegerField(_("吸纳就业总人数"), default=0)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["district_code", "code"]
        verbose_name = _("帮扶车间")
        verbose_name_plural = _("帮扶车间")
        constraints = [models.UniqueConstraint(fields=["district_code", "code"], name="workshop_district_code_uniq")]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.township_code


class WorkshopMember(BaseModel):
    """A spell of work of a registry person in a workshop, from a month to a month (blank: ongoing)."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="members",
                                 verbose_name=_("帮扶车间"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="workshop_spells",
                               verbose_name=_("人员"))
    start_month = models.CharField(_("起始年月"), max_length=7)
    end_month = models.CharField(_("结束年月"), max_length=7, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "workshop__district_code"
    area_township_field = "workshop__township_code"

    class Meta:
        ordering = ["workshop_id", "start_month"]
        verbose_name = _("车间务工人员")
        verbose_name_plural = _("车间务工人员")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person", "start_month"], name="workshop_member_uniq"),
            # one open spell per worker and workshop, decided by the database (two officers adding
            # the same worker with different start months at once leave one open spell)
            models.UniqueConstraint(fields=["workshop", "person"], condition=Q(end_month=""),
                                    name="workshop_member_one_open"),
        ]


class WorkshopRatingRecord(BaseModel):
    """The yearly rating (年度评定) of a workshop: 优秀 / 良好 / 合格 / 不合格."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="ratings",
                                 verbose_name=_("帮扶车间"))
    year = models.PositiveSmallIntegerField(_("年度"))
    rating = models.CharField(_("评定等次"), max_length=20, choices=c.WorkshopRating.choices)
    review_passed = models.BooleanField(_("稳定运行复核通过"), default=False)
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "workshop__district_code"
    area_township_field = "workshop__township_code"

    class Meta:
        ordering = ["workshop_id", "-year"]
        verbose_name = _("帮扶车间年度评定")
        verbose_name_plural = _("帮扶车间年度评定")
        constraints = [models.UniqueConstraint(fields=["workshop", "year"], name="workshop_rating_year_uniq")]
