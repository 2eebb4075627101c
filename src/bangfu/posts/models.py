"""Public-welfare posts (公益性岗位): posts, placements, monthly attendance and pay.

A post is requested by a village (or an employer unit), reviewed by the township and approved
by the county (村申请、乡镇审核、县统筹). A placement puts one registry person in a post: a 公示
of 5 working days, then a contract. The database keeps one live placement per person (一岗一人,
across every department's posts) and per household (一户一岗). Each month an attendance record
with its rating is approved; an approved month with a passing rating becomes a pay claim
(``PostPay``), paid by ``payments`` and never twice for one person and month.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.posts import choices as c
from bangfu.registry.models import Household, Person

USER = settings.AUTH_USER_MODEL


class WelfarePost(BaseModel):
    name = models.CharField(_("岗位名称"), max_length=100)
    post_type = models.CharField(_("岗位类型"), max_length=30, choices=c.PostType.choices)
    work_time = models.CharField(_("用工形式"), max_length=20, choices=c.WorkTime.choices,
                                 default=c.WorkTime.FULL_TIME)
    hours_per_month = models.PositiveIntegerField(_("每月工时"), null=True, blank=True,
                                                  help_text=_("非全日制岗位按小时计酬"))
    headcount = models.PositiveIntegerField(_("岗位人数"), default=1)
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)
    village = models.CharField(_("村（社区）"), max_length=60, blank=True, default="")
    # A post belongs to a village, or to an employer unit (a school, a clinic, a park ...).
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="welfare_posts", verbose_name=_("用人单位"))
    funding_source = models.CharField(_("资金来源"), max_length=30, choices=c.FundingSource.choices)
    funding_year = models.PositiveIntegerField(_("资金年度"))
    duties = models.CharField(_("岗位职责"), max_length=300, blank=True, default="")
    status = models.CharField(_("状态"), max_length=20, choices=c.PostStatus.choices,
                              default=c.PostStatus.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("申报人"))
    reviewed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("乡镇审核人"))
    reviewed_at = models.DateTimeField(_("乡镇审核时间"), null=True, blank=True)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("县级批准人"))
    approved_at = models.DateTimeField(_("县级批准时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=300, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["district_code", "township_code", "village", "id"]
        verbose_name = _("公益性岗位")
        verbose_name_plural = _("公益性岗位")

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.township_code

    @property
    def unit_name(self) -> str:
        return self.employer.name if self.employer_id else self.village


class Placement(BaseModel):
    """One person in one post: 公示 (notice), then a contract, then an exit."""

    post = models.ForeignKey(WelfarePost, on_delete=models.PROTECT, related_name="placements",
                             verbose_name=_("岗位"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="welfare_placements",
                               verbose_name=_("人员"))
    # Copied from the person when placed: the database keeps one live placement per household.
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("户"))
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=c.PlacementStatus.choices,
                              default=c.PlacementStatus.NOTICE, db_index=True)
    notice_start = models.DateField(_("公示开始"))
    notice_end = models.DateField(_("公示结束"), help_text=_("公示开始后第 5 个工作日"))
    contract_start = models.DateField(_("合同开始"), null=True, blank=True)
    planned_end = models.DateField(_("合同计划终止"), null=True, blank=True)
    # The rank the eligibility engine gave the person when chosen; a choice other than the
    # first eligible person needs a written reason (audited).
    priority_rank = models.PositiveIntegerField(_("优先序位"), null=True, blank=True)
    override_reason = models.CharField(_("调整排序理由"), max_length=300, blank=True, default="")
    exit_date = models.DateField(_("退出日期"), null=True, blank=True)
    exit_reason = models.CharField(_("退出原因"), max_length=30, choices=c.ExitReason.choices, blank=True,
                                   default="")
    exit_note = models.CharField(_("退出说明"), max_length=300, blank=True, default="")
    placed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("安置经办人"))

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["post_id", "-created_at", "-id"]
        verbose_name = _("岗位安置")
        verbose_name_plural = _("岗位安置")
        constraints = [
            # 一岗一人: one live placement per person, whichever department's post it is.
            models.UniqueConstraint(fields=["person"], condition=Q(status__in=c.LIVE_PLACEMENT_STATUSES),
                                    name="placement_one_live_per_person"),
            # 一户一岗: one live placement per household.
            models.UniqueConstraint(fields=["household"], condition=Q(status__in=c.LIVE_PLACEMENT_STATUSES),
                                    name="placement_one_live_per_household"),
        ]

    def __str__(self) -> str:
        return f"{self.post_id}/{self.person_id}"

    @property
    def area_code(self) -> str:
        return self.township_code


class Attendance(BaseModel):
    """One placement's month: the daily marks of the 考勤表, the counts and the rating."""

    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="attendance",
                                  verbose_name=_("岗位安置"))
    month = models.CharField(_("年月"), max_length=7)
    # One character per day of the month (√ 事 病 旷, a space for a day not worked or not in
    # the contract): the sheet as it was uploaded, from which the counts below are derived.
    marks = models.CharField(_("考勤"), max_length=31, blank=True, default="")
    days_present = models.PositiveSmallIntegerField(_("出勤天数"), default=0)
    days_personal_leave = models.PositiveSmallIntegerField(_("事假天数"), default=0)
    days_sick_leave = models.PositiveSmallIntegerField(_("病假天数"), default=0)
    days_absent = models.PositiveSmallIntegerField(_("旷工天数"), default=0)
    rating = models.CharField(_("考核等次"), max_length=20, choices=c.Rating.choices, blank=True, default="")
    status = models.CharField(_("状态"), max_length=20, choices=c.AttendanceStatus.choices,
                              default=c.AttendanceStatus.RECORDED)
    approved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("审核人"))
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    district_code = models.CharField(_("区县代码"), max_length=6)
    township_code = models.CharField(_("乡镇代码"), max_length=9)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["-month", "placement_id"]
        verbose_name = _("考勤记录")
        verbose_name_plural = _("考勤记录")
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="attendance_placement_month_uniq"),
        ]

    @property
    def area_code(self) -> str:
        return self.township_code


class PostPay(models.Model):
    """A placement month's pay (岗位补贴): a payable claim of ``payments`` (``posts.payables``)."""

    attendance = models.OneToOneField(Attendance, on_delete=models.PROTECT, related_name="pay",
                                      verbose_name=_("考勤记录"))
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="pay",
                                  verbose_name=_("岗位安置"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name=_("人员"))
    month = models.CharField(_("年月"), max_length=7)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    status = models.CharField(_("状态"), max_length=20, choices=c.PayStatus.choices,
                              default=c.PayStatus.APPROVED)
    # What the amount was computed from (work time, wage standard, hours), for the 补贴发放表.
    basis = models.JSONField(_("计算依据"), default=dict, blank=True)
    district_code = models.CharField(_("区县代码"), max_length=6)
    township_code = models.CharField(_("乡镇代码"), max_length=9)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["-month", "district_code", "township_code", "id"]
        verbose_name = _("岗位补贴")
        verbose_name_plural = _("岗位补贴")
        constraints = [
            # Never paid twice for one person and month, whatever post or re-run.
            models.UniqueConstraint(fields=["person", "month"], name="post_pay_person_month_uniq"),
        ]
        indexes = [models.Index(fields=["month", "status"], name="post_pay_month_status_idx")]

    @property
    def area_code(self) -> str:
        return self.township_code
