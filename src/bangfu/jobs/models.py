"""渝职聘: postings, pushes, service records, applications and hires, labour export (the
employers are ``bangfu.employers``'; every programme shares them).

Postings are public within the platform (every officer may read every open posting: a job in
the main metropolitan zone is offered to workers of every district); employers and postings
are *managed* by the area that registered them (``owner_area_code``). Everything about a
person (pushes, services, applications, export batches' members) is scoped to the person's
district and township, copied onto the row when it is written.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.jobs import choices as c
from bangfu.registry import choices as rc
from bangfu.registry.models import Person


class PostingQuerySet(AreaQuerySet):
    def open(self, on: dt.date | None = None) -> "PostingQuerySet":
        """Postings a worker can take on ``on``: valid that day, not closed, not full."""
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on, valid_until__gte=on, closed=False,
                           filled_count__lt=F("headcount"))

    def expired(self, on: dt.date | None = None) -> "PostingQuerySet":
        return self.filter(valid_until__lt=on or timezone.localdate())


class JobPosting(BaseModel):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="postings",
                                 verbose_name=_("用工单位"))
    external_id = models.CharField(_("岗位编号"), max_length=64, blank=True, default="",
                                   help_text=_("来源系统的岗位编号；重复导入时据此识别同一岗位"))
    title = models.CharField(_("岗位名称"), max_length=100)
    occupation_code = models.CharField(_("职业代码"), max_length=12, db_index=True)
    work_place_code = models.CharField(_("工作地点代码"), max_length=12, blank=True, default="")
    abroad = models.BooleanField(_("境外岗位"), default=False)
    # Derived from the place code when written (filters and figures read them).
    work_district_code = models.CharField(_("工作区县"), max_length=6, blank=True, default="",
                                          db_index=True)
    work_township_code = models.CharField(_("工作乡镇"), max_length=9, blank=True, default="")
    work_region_group = models.CharField(_("工作地一区两群"), max_length=20, blank=True, default="",
                                         choices=rc.RegionGroup.choices)
    cooperation_region = models.CharField(_("劳务协作地区"), max_length=20, blank=True, default="",
                                          choices=rc.CooperationRegion.choices)
    place_name = models.CharField(_("工作地点"), max_length=80, blank=True, default="")
    headcount = models.PositiveIntegerField(_("招聘人数"))
    filled_count = models.PositiveIntegerField(_("已招人数"), default=0)
    wage_min_fen = models.BigIntegerField(_("月薪下限（分）"))
    wage_max_fen = models.BigIntegerField(_("月薪上限（分）"))
    age_min = models.PositiveSmallIntegerField(_("最低年龄"), default=16)
    age_max = models.PositiveSmallIntegerField(_("最高年龄"), default=65)
    required_certificates = models.CharField(_("要求证书"), max_length=200, blank=True, default="")
    min_labour_ability = models.CharField(_("招聘对象"), max_length=20, choices=c.MinAbility.choices,
                                          default=c.MinAbility.ORDINARY)
    accommodation = models.BooleanField(_("提供食宿"), default=False)
    transport = models.BooleanField(_("提供交通"), default=False)
    valid_from = models.DateField(_("有效期起"))
    valid_until = models.DateField(_("有效期止"), db_index=True)
    source = models.CharField(_("岗位来源"), max_length=20, choices=c.PostingSource.choices,
                              default=c.PostingSource.LOCAL)
    description = models.TextField(_("岗位说明"), blank=True, default="")
    closed = models.BooleanField(_("已关闭"), default=False)
    owner_area_code = models.CharField(_("发布区域"), max_length=12, db_index=True)

    objects = PostingQuerySet.as_manager()
    area_prefix_field = "owner_area_code"

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [
            models.UniqueConstraint(fields=["employer", "external_id"], condition=~Q(external_id=""),
                                    name="posting_employer_external_uniq"),
            models.CheckConstraint(condition=Q(filled_count__lte=F("headcount")),
                                   name="posting_filled_le_headcount"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area_code(self) -> str:
        return self.owner_area_code

    @property
    def remaining(self) -> int:
        return max(0, self.headcount - self.filled_count)

    @property
    def certificate_list(self) -> list[str]:
        return [s.strip() for s in self.required_certificates.split(",") if s.strip()]

    def state(self, on: dt.date | None = None) -> str:
        """open | full | expired | closed | upcoming (a posting expires by itself)."""
        on = on or timezone.localdate()
        if self.closed:
            return "closed"
        if self.valid_until < on:
            return "expired"
        if self.filled_count >= self.headcount:
            return "full"
        if self.valid_from > on:
            return "upcoming"
        return "open"


POSTING_STATES = {
    "open": _("招聘中"), "full": _("已招满"), "expired": _("已过期"), "closed": _("已关闭"),
    "upcoming": _("未开始"),
}


class MatchRun(models.Model):
    """One run of matching and push (or a dry run that only reports)."""

    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"))
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True, default="")
    area_code = models.CharField(_("范围"), max_length=12, default="50")
    week = models.CharField(_("推送周"), max_length=8)  # ISO week, '2026-W48'
    status = models.CharField(_("状态"), max_length=10, choices=c.RunStatus.choices,
                              default=c.RunStatus.RUNNING)
    summary = models.JSONField(_("结果"), default=dict, blank=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("匹配推送批次")
        verbose_name_plural = _("匹配推送批次")


class PersonScoped(BaseModel):
    """A row about one person: scoped by the person's district and township (copied here)."""

    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        abstract = True

    @property
    def area_code(self) -> str:
        return self.township_code or self.district_code


class Push(PersonScoped):
    """A job pushed to a worker (by text message through the outbox), with its reasons."""

    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="pushes", verbose_name=_("批次"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="job_pushes",
                               verbose_name=_("人员"))
    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="pushes",
                                verbose_name=_("岗位"))
    score = models.FloatField(_("匹配得分"))
    reasons = models.JSONField(_("推荐理由"), default=list)  # [{"code", "params", "text"}]
    week = models.CharField(_("推送周"), max_length=8, db_index=True)
    month = models.CharField(_("推送月份"), max_length=7, db_index=True)
    outbox_message_id = models.BigIntegerField(_("短信编号"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("岗位推送")
        verbose_name_plural = _("岗位推送")
        constraints = [models.UniqueConstraint(fields=["person", "posting"], name="push_person_posting_uniq")]
        indexes = [models.Index(fields=["person", "week"], name="push_person_week_idx")]


class ServiceRecord(PersonScoped):
    """A service to a worker (就业服务人次): a call, a referral, an accompanied visit …"""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="job_services",
                               verbose_name=_("人员"))
    kind = models.CharField(_("服务类型"), max_length=20, choices=c.ServiceKind.choices)
    posting = models.ForeignKey(JobPosting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="services", verbose_name=_("岗位"))
    served_on = models.DateField(_("服务日期"))
    month = models.CharField(_("服务月份"), max_length=7, db_index=True)
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("服务人员"))
    actor_name = models.CharField(_("服务人员账号"), max_length=150, blank=True, default="")

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("就业服务记录")
        verbose_name_plural = _("就业服务记录")


class Application(PersonScoped):
    """A referral of a worker to a posting and what came of it; a hire closes the loop."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="job_applications",
                               verbose_name=_("人员"))
    posting = models.ForeignKey(JobPosting, on_delete=models.PROTECT, related_name="applications",
                                verbose_name=_("岗位"))
    push = models.ForeignKey(Push, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="applications", verbose_name=_("来自推送"))
    status = models.CharField(_("状态"), max_length=20, choices=c.ApplicationStatus.choices,
                              default=c.ApplicationStatus.REFERRED, db_index=True)
    referred_on = models.DateField(_("推荐日期"))
    hired_on = models.DateField(_("录用日期"), null=True, blank=True)
    hire_month = models.CharField(_("录用月份"), max_length=7, blank=True, default="", db_index=True)
    wage_fen = models.BigIntegerField(_("约定月薪（分）"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("求职推荐")
        verbose_name_plural = _("求职推荐")
        constraints = [models.UniqueConstraint(fields=["person", "posting"], name="application_person_posting_uniq")]


class ExportBatch(BaseModel):
    """Organised labour export (有组织劳务输出): workers sent together to one employer."""

    name = models.CharField(_("批次名称"), max_length=100)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="export_batches",
                                 verbose_name=_("用工单位"))
    posting = models.ForeignKey(JobPosting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="export_batches", verbose_name=_("岗位"))
    departed_on = models.DateField(_("出发日期"))
    destination_code = models.CharField(_("目的地代码"), max_length=12)
    cooperation_region = models.CharField(_("劳务协作地区"), max_length=20, blank=True, default="",
                                          choices=rc.CooperationRegion.choices)
    owner_area_code = models.CharField(_("组织区域"), max_length=12, db_index=True)
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")
    members = models.ManyToManyField(Person, through="ExportMember", related_name="export_batches",
                                     verbose_name=_("人员"))

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "owner_area_code"

    class Meta:
        ordering = ["-departed_on", "-id"]
        verbose_name = _("劳务输出批次")
        verbose_name_plural = _("劳务输出批次")

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.owner_area_code


class ExportMember(PersonScoped):
    batch = models.ForeignKey(ExportBatch, on_delete=models.CASCADE, related_name="memberships",
                              verbose_name=_("批次"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("人员"))

    class Meta:
        verbose_name = _("输出人员")
        verbose_name_plural = _("输出人员")
        constraints = [models.UniqueConstraint(fields=["batch", "person"], name="export_member_uniq")]
