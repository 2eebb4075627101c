"""Employers' unemployment-insurance contributions (单位失业保险缴费) at the reduced rate, with
the reduction against the standard rate (减征额 = 缴费基数 × rate difference). The job-retention
refund (稳岗返还) reads them as enterprise features of the policy engine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.insurance import choices as c


class UnemploymentContribution(BaseModel):
    """One employer and month: insured headcount, wage base, rate and amount paid, the reduction,
    and the insured who left that month and claimed benefit (for the layoff rate)."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="ui_contributions",
                                 verbose_name=_("缴费单位"))
    month = models.CharField(_("费款所属期"), max_length=7)
    scale = models.CharField(_("企业规模"), max_length=10, choices=c.EnterpriseScale.choices)
    insured_count = models.PositiveIntegerField(_("参保人数"))
    base_fen = models.BigIntegerField(_("缴费基数（分）"))
    rate_bp = models.PositiveIntegerField(_("费率（万分之）"))
    paid_fen = models.BigIntegerField(_("实缴金额（分）"))
    reduction_fen = models.BigIntegerField(_("减征额（分）"))
    leavers_claiming = models.PositiveIntegerField(_("裁员并领取失业保险金人数"), default=0)

    objects = AreaQuerySet.as_manager()
    area_district_field = "employer__district_code"
    area_township_field = "employer__township_code"

    class Meta:
        ordering = ["-month", "employer_id"]
        verbose_name = _("单位失业保险缴费")
        verbose_name_plural = _("单位失业保险缴费")
        constraints = [models.UniqueConstraint(fields=["employer", "month"], name="ui_contribution_uniq")]
        indexes = [models.Index(fields=["month", "employer"], name="ui_contribution_month_idx")]
