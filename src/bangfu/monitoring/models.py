"""Employment monitoring: monthly employment facts, household incomes, targets, KPI tables.

The fact tables (``EmploymentMonth``, ``HouseholdIncome``, ``Target``) are written by imports
and the generator and read in place by the Django-free engine (``bangfu.engine.kpi``) under
the table and column names of ``bangfu.engine.schema``. The KPI tables (``KpiArea``,
``KpiBreakdown``, ``KpiFillState``) are written only by the resumable fill and are all the
dashboard reads.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.monitoring import choices as mc
from bangfu.registry import choices as rc
from bangfu.registry.models import Household, Person


class EmploymentMonth(BaseModel):
    """One month in which a person worked (务工): at most one row per person and month."""

    # No single-column indexes: (person, month) and (month, person) below serve both lookups, and
    # every index costs minutes when 20 million months are loaded.
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employment_months",
                               verbose_name=_("人员"), db_index=False)
    month = models.CharField(_("年月"), max_length=7)  # 'YYYY-MM'
    place_class = models.CharField(_("务工地点类型"), max_length=20, choices=rc.PlaceClass.choices)
    # A Chongqing district/township code (50xxxx / 50xxxxxxx) or a province/city code (2/4 digits);
    # blank abroad.
    destination_code = models.CharField(_("务工地区代码"), max_length=12, blank=True, default="")
    channel = models.CharField(_("就业渠道"), max_length=20, choices=rc.Channel.choices)
    employer_name = models.CharField(_("务工单位"), max_length=200, blank=True, default="")
    employer_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, default="")
    job_title = models.CharField(_("岗位"), max_length=100, blank=True, default="")
    occupation_code = models.CharField(_("职业代码"), max_length=20, blank=True, default="")
    income_fen = models.BigIntegerField(_("月收入（分）"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "person__district_code"
    area_township_field = "person__township_code"

    class Meta:
        ordering = ["-month", "person_id"]
        verbose_name = _("务工记录")
        verbose_name_plural = _("务工记录")
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="employment_person_month_uniq"),
        ]
        indexes = [models.Index(fields=["month", "person"], name="employment_month_person_idx")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month}"


class HouseholdIncome(BaseModel):
    """A household's income for one year, by source (fen); ``total_fen`` is their sum."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes",
                                  verbose_name=_("户"))
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    wage_fen = models.BigIntegerField(_("工资性收入（分）"), default=0)
    business_fen = models.BigIntegerField(_("经营性收入（分）"), default=0)
    property_fen = models.BigIntegerField(_("财产性收入（分）"), default=0)
    transfer_fen = models.BigIntegerField(_("转移性收入（分）"), default=0)
    total_fen = models.BigIntegerField(_("家庭纯收入（分）"), default=0)

    objects = AreaQuerySet.as_manager()
    area_district_field = "household__district_code"
    area_township_field = "household__township_code"

    class Meta:
        ordering = ["-year", "household_id"]
        verbose_name = _("家庭收入")
        verbose_name_plural = _("家庭收入")
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_household_year_uniq"),
        ]


class Target(BaseModel):
    """The annual employment-scale target (务工规模目标) of an area: city, district or township."""

    area_code = models.CharField(_("区域代码"), max_length=12)
    year = models.PositiveSmallIntegerField(_("年度"))
    employment_target = models.PositiveIntegerField(_("务工规模目标（人）"))

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-year", "area_code"]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [
            models.UniqueConstraint(fields=["area_code", "year"], name="target_area_year_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.area_code} {self.year}: {self.employment_target}"


class KpiFillState(models.Model):
    """One row per month of the resumable KPI fill: STARTED while writing, DONE when written.

    A month left STARTED (the process died) is redone by the next fill; a DONE month is
    skipped unless the fill is forced; an import of facts marks the months it changes STALE.
    """

    month = models.CharField(_("年月"), max_length=7, unique=True)
    state = models.CharField(_("状态"), max_length=10, choices=mc.FillStateChoice.choices)
    engine = models.CharField(_("计算引擎"), max_length=20, blank=True, default="")
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    area_rows = models.PositiveIntegerField(_("区域行数"), default=0)
    breakdown_rows = models.PositiveIntegerField(_("分组行数"), default=0)

    class Meta:
        ordering = ["month"]
        verbose_name = _("指标计算状态")
        verbose_name_plural = _("指标计算状态")

    def __str__(self) -> str:
        return f"{self.month} {self.state}"


class KpiArea(models.Model):
    """The headline figures of one area in one month, as counted by the KPI engine.

    Ratios are not stored: they are exact quotients of the stored counts (see ``kpi.ratios``).
    """

    month = models.CharField(_("年月"), max_length=7)
    area_code = models.CharField(_("区域代码"), max_length=12)
    area_level = models.CharField(_("区域级别"), max_length=20, choices=mc.AreaLevel.choices)
    # The area one level up on the drill-down path city -> zone -> district -> township.
    parent_code = models.CharField(_("上级区域"), max_length=12, blank=True, default="")
    workers = models.PositiveIntegerField(_("脱贫劳动力"), default=0)
    employment_scale = models.PositiveIntegerField(_("务工规模"), default=0)
    employed_ytd = models.PositiveIntegerField(_("今年以来务工人数"), default=0)
    scale_last_year = models.PositiveIntegerField(_("上年同月务工规模"), null=True, blank=True)
    scale_last_month = models.PositiveIntegerField(_("上月务工规模"), null=True, blank=True)
    target = models.PositiveIntegerField(_("年度目标"), null=True, blank=True)
    income_year = models.PositiveSmallIntegerField(_("收入年度"))
    income_households = models.PositiveIntegerField(_("收入户数"), default=0)
    wage_income_fen = models.BigIntegerField(_("工资性收入（分）"), default=0)
    total_income_fen = models.BigIntegerField(_("家庭纯收入（分）"), default=0)
    income_fen_sum = models.BigIntegerField(_("当月务工收入合计（分）"), default=0)
    income_reported = models.PositiveIntegerField(_("填报月收入人数"), default=0)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["month", "area_code"]
        verbose_name = _("区域月度指标")
        verbose_name_plural = _("区域月度指标")
        constraints = [
            models.UniqueConstraint(fields=["month", "area_code"], name="kpi_area_month_area_uniq"),
        ]
        indexes = [
            models.Index(fields=["month", "parent_code"], name="kpi_area_month_parent_idx"),
            models.Index(fields=["area_code", "month"], name="kpi_area_area_month_idx"),
        ]


class KpiBreakdown(models.Model):
    """The employment scale of one area in one month split by one dimension."""

    month = models.CharField(_("年月"), max_length=7)
    area_code = models.CharField(_("区域代码"), max_length=12)
    dimension = models.CharField(_("维度"), max_length=30, choices=mc.Dimension.choices)
    key = models.CharField(_("分组"), max_length=60)
    employment_scale = models.PositiveIntegerField(_("务工规模"), default=0)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["month", "area_code", "dimension", "key"]
        verbose_name = _("务工规模分组")
        verbose_name_plural = _("务工规模分组")
        constraints = [
            models.UniqueConstraint(fields=["month", "area_code", "dimension", "key"],
                                    name="kpi_breakdown_uniq"),
        ]


class KpiFigure(models.Model):
    """A programme's service figure (``core.hooks.KPI_FIGURES``) of one area in one month.

    One long table (key, value) rather than a column per figure in ``KpiArea``: the figures
    belong to the programmes, and a programme added tomorrow (posts, training, insurance)
    contributes its keys with no migration of monitoring, and never empties a column of the
    others. Each row is ready to show: a year-to-date figure is stored as its year-to-date sum,
    a rate as its numerator (``value``) and ``denominator``, so the dashboard reads one row per
    figure. Money is in fen. The fill rewrites a month's rows with its KPI rows.
    """

    month = models.CharField(_("年月"), max_length=7)
    area_code = models.CharField(_("区域代码"), max_length=12)
    key = models.CharField(_("指标"), max_length=60)
    value = models.BigIntegerField(_("数值"), default=0)
    denominator = models.BigIntegerField(_("分母"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["month", "area_code", "key"]
        verbose_name = _("服务指标")
        verbose_name_plural = _("服务指标")
        constraints = [
            models.UniqueConstraint(fields=["month", "area_code", "key"], name="kpi_figure_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.month} {self.area_code} {self.key}"


class MonthReport(BaseModel):
    """A district's report (报送) of one month: its data for the month is complete.

    The city's or a zone's month is complete when all its districts have closed it, or after
    the deadline (``bangfu.monitoring.completeness``). Only the city re-opens a closed month,
    with a reason; closing it again overwrites ``closed_*`` and keeps the last re-opening.
    Every change has its audit row; this row is the current state.
    """

    district_code = models.CharField(_("区县代码"), max_length=6)
    month = models.CharField(_("年月"), max_length=7)  # 'YYYY-MM'
    state = models.CharField(_("状态"), max_length=10, choices=mc.MonthReportState.choices)
    closed_at = models.DateTimeField(_("报送时间"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("报送人"))
    closed_by_name = models.CharField(_("报送人"), max_length=150, blank=True, default="")
    reopened_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+", verbose_name=_("退回人"))
    reopened_by_name = models.CharField(_("退回人"), max_length=150, blank=True, default="")
    reopen_reason = models.CharField(_("退回原因"), max_length=300, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    # A township's officer reads the report of their district through its area check, not here.
    area_prefix_field = "district_code"

    class Meta:
        ordering = ["-month", "district_code"]
        verbose_name = _("月度报送")
        verbose_name_plural = _("月度报送")
        constraints = [
            models.UniqueConstraint(fields=["district_code", "month"], name="month_report_district_month_uniq"),
        ]
        indexes = [models.Index(fields=["month", "state"], name="month_report_month_state_idx")]

    def __str__(self) -> str:
        return f"{self.district_code} {self.month} {self.state}"

    @property
    def is_closed(self) -> bool:
        return self.state == mc.MonthReportState.CLOSED
