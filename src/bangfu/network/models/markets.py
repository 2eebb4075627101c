"""Gig markets and stations (零工市场 / 零工驿站), their five core services, postings and matches."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.network import choices as c
from bangfu.registry.models import Person


class AreaScoped(BaseModel):
    """A row of one district (and, where known, one township)."""

    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, blank=True, default="", db_index=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        abstract = True

    @property
    def area_code(self) -> str:
        return self.township_code or self.district_code


class GigMarket(AreaScoped):
    """A gig market or station; run by the bureau, as a desk of an employment office, or bought."""

    code = models.CharField(_("编号"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=20, choices=c.MarketKind.choices)
    scope = models.CharField(_("服务范围"), max_length=20, choices=c.MarketScope.choices,
                             default=c.MarketScope.GENERAL)
    sector = models.CharField(_("行业"), max_length=60, blank=True, default="")
    operation = models.CharField(_("运营方式"), max_length=20, choices=c.MarketOperation.choices)
    operator_name = models.CharField(_("运营机构"), max_length=200, blank=True, default="")
    contract_start = models.DateField(_("服务合同起"), null=True, blank=True)
    contract_end = models.DateField(_("服务合同止"), null=True, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True, default="")
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    listed = models.BooleanField(_("列入名录"), default=False, db_index=True)
    closed_on = models.DateField(_("停用日期"), null=True, blank=True)

    class Meta:
        ordering = ["district_code", "code"]
        verbose_name = _("零工市场")
        verbose_name_plural = _("零工市场")

    def __str__(self) -> str:
        return self.name


class MarketReview(BaseModel):
    """The yearly performance review (绩效评估) of a market run as a bought service."""

    market = models.ForeignKey(GigMarket, on_delete=models.CASCADE, related_name="reviews",
                               verbose_name=_("零工市场"))
    year = models.PositiveSmallIntegerField(_("年度"))
    score = models.PositiveSmallIntegerField(_("评估得分"))
    passed = models.BooleanField(_("评估合格"))
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "market__district_code"
    area_township_field = "market__township_code"

    class Meta:
        ordering = ["market_id", "-year"]
        verbose_name = _("零工市场绩效评估")
        verbose_name_plural = _("零工市场绩效评估")
        constraints = [models.UniqueConstraint(fields=["market", "year"], name="market_review_year_uniq")]


class MarketServiceRecord(AreaScoped):
    """One of the five core services given at a market (one row per service, a person if known)."""

    market = models.ForeignKey(GigMarket, on_delete=models.CASCADE, related_name="services",
                               verbose_name=_("零工市场"))
    service = models.CharField(_("服务项目"), max_length=20, choices=c.MarketService.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("服务对象"))
    served_on = models.DateField(_("服务日期"))
    month = models.CharField(_("服务月份"), max_length=7, db_index=True)
    note = models.CharField(_("备注"), max_length=500, blank=True, default="")

    class Meta:
        ordering = ["-served_on", "-id"]
        verbose_name = _("零工市场服务记录")
        verbose_name_plural = _("零工市场服务记录")


class GigPosting(AreaScoped):
    """A gig (零工岗位): pay by the day or by the piece, a headcount, a date of work."""

    market = models.ForeignKey(GigMarket, on_delete=models.CASCADE, related_name="postings",
                               verbose_name=_("零工市场"))
    employer_name = models.CharField(_("用工方"), max_length=200)
    title = models.CharField(_("零工内容"), max_length=100)
    pay_basis = models.CharField(_("计酬方式"), max_length=10, choices=c.PayBasis.choices)
    pay_fen = models.BigIntegerField(_("报酬（分/日或分/件）"))
    headcount = models.PositiveIntegerField(_("需求人数"))
    work_date = models.DateField(_("用工日期"), db_index=True)

    class Meta:
        ordering = ["-work_date", "-id"]
        verbose_name = _("零工需求")
        verbose_name_plural = _("零工需求")
        constraints = [
            models.CheckConstraint(condition=models.Q(headcount__gte=1), name="gig_posting_headcount_min"),
            models.CheckConstraint(condition=models.Q(pay_fen__gte=0), name="gig_posting_pay_nonneg"),
        ]

    def __str__(self) -> str:
        return self.title


class GigMatch(AreaScoped):
    """A worker matched to a gig, and what came of it."""

    posting = models.ForeignKey(GigPosting, on_delete=models.CASCADE, related_name="matches",
                                verbose_name=_("零工需求"))
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="gig_matches",
                               verbose_name=_("人员"))
    outcome = models.CharField(_("对接结果"), max_length=20, choices=c.GigOutcome.choices,
                               default=c.GigOutcome.PENDING)
    matched_on = models.DateField(_("对接日期"))

    class Meta:
        ordering = ["-matched_on", "-id"]
        verbose_name = _("零工对接")
        verbose_name_plural = _("零工对接")
        constraints = [models.UniqueConstraint(fields=["posting", "person"], name="gig_match_uniq")]
