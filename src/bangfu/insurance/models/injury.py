"""Occupational-injury protection for platform workers (职业伤害保障): platforms, their monthly
order declarations with the premium per order by industry, and injury cases (职业伤害确认 →
劳动能力鉴定 → 待遇支付)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.pii import EncryptedTextField, mask_id_number
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.insurance import choices as c
from bangfu.registry.models import Person


class Platform(BaseModel):
    """A platform enterprise in the pilot: an employer of the register with its industry."""

    employer = models.OneToOneField(Employer, on_delete=models.PROTECT, related_name="platform",
                                    verbose_name=_("平台企业"))
    industry = models.CharField(_("行业"), max_length=20, choices=c.PlatformIndustry.choices)
    joined_month = models.CharField(_("纳入试点月份"), max_length=7)

    objects = AreaQuerySet.as_manager()
    area_district_field = "employer__district_code"
    area_township_field = "employer__township_code"

    class Meta:
        ordering = ["industry", "id"]
        verbose_name = _("平台企业")
        verbose_name_plural = _("平台企业")

    def __str__(self) -> str:
        return self.employer.name


class OrderDeclaration(BaseModel):
    """A platform's orders of one month (平台订单申报) and the injury premium they carry:
    ``premium_fen = orders × rate_fen`` (the rate of the industry when declared). The insured
    workers of the month are those with at least one order in it."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="declarations",
                                 verbose_name=_("平台企业"))
    month = models.CharField(_("申报月份"), max_length=7)
    orders = models.BigIntegerField(_("订单量"))
    insured_workers = models.PositiveIntegerField(_("有订单从业人员数"))
    rate_fen = models.PositiveIntegerField(_("每单费率（分）"))
    premium_fen = models.BigIntegerField(_("职业伤害保障费（分）"))

    objects = AreaQuerySet.as_manager()
    area_district_field = "platform__employer__district_code"
    area_township_field = "platform__employer__township_code"

    class Meta:
        ordering = ["-month", "platform_id"]
        verbose_name = _("平台订单申报")
        verbose_name_plural = _("平台订单申报")
        constraints = [models.UniqueConstraint(fields=["platform", "month"], name="order_declaration_uniq")]


class InjuryCase(BaseModel):
    """A platform worker's injury, from the report through 职业伤害确认, 劳动能力鉴定 and 待遇支付."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="injury_cases",
                                 verbose_name=_("平台企业"))
    worker_name = models.CharField(_("从业人员姓名"), max_length=60)
    id_number = EncryptedTextField(_("证件号码"))
    id_number_hash = models.CharField(max_length=64, db_index=True, editable=False)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="injury_cases", verbose_name=_("花名册人员"))
    injured_on = models.DateField(_("受伤日期"))
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, blank=True, default="", db_index=True)
    stage = models.CharField(_("办理阶段"), max_length=20, choices=c.InjuryStage.choices,
                             default=c.InjuryStage.REPORTED, db_index=True)
    disability_grade = models.PositiveSmallIntegerField(_("伤残等级"), null=True, blank=True)
    benefit_fen = models.BigIntegerField(_("待遇金额（分）"), default=0)
    note = models.CharField(_("说明"), max_length=300, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["-injured_on", "-id"]
        # One live case per worker, platform and day of injury: a second report of the same injury
        # would be a second payable case (a case closed 不予确认 may be reported again).
        constraints = [models.UniqueConstraint(fields=["platform", "id_number_hash", "injured_on"],
                                               condition=~models.Q(stage="not_confirmed"),
                                               name="insurance_one_injury_case")]
        verbose_name = _("职业伤害案件")
        verbose_name_plural = _("职业伤害案件")

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)
