"""Subsidies without application (免申即享 / 直补快办).

Policies are versioned data; a run writes entitlements once (unique on policy + period +
beneficiary); entitlements are approved, then paid as claims of ``bangfu.payments`` (the
claim type is in ``policies.payables``). Besides the registry and employment months the
engine reads employers, workshops and social-insurance contributions from their own apps, and
these tables in place, under the names in ``bangfu.engine.features``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.network.models import Helper, Workshop
from bangfu.policies import choices as c
from bangfu.registry.models import Person


class Policy(BaseModel):
    """A subsidy policy; what it says lives in its versions, the latest one is in force."""

    code = models.CharField(_("政策代码"), max_length=50, unique=True)
    current_version = models.ForeignKey("PolicyVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("现行版本"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("补贴政策")
        verbose_name_plural = _("补贴政策")

    def __str__(self) -> str:
        return self.current_version.name if self.current_version_id else self.code

    @property
    def name(self) -> str:
        return str(self)


class PolicyVersion(models.Model):
    """One version of a policy as its author saved it; never changed afterwards."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions",
                               verbose_name=_("政策"))
    number = models.PositiveIntegerField(_("版本号"))
    name = models.CharField(_("政策名称"), max_length=200)
    legal_basis = models.CharField(_("政策依据（文件号）"), max_length=300)
    beneficiary_kind = models.CharField(_("受益对象"), max_length=20, choices=c.BeneficiaryKind.choices)
    period_kind = models.CharField(_("期间类型"), max_length=20, choices=c.PeriodKind.choices,
                                   default=c.PeriodKind.YEAR)
    frequency = models.CharField(_("发放频次"), max_length=30, choices=c.Frequency.choices,
                                 default=c.Frequency.ONCE_PER_PERIOD)
    condition = models.TextField(_("享受条件（CEL）"))
    amount = models.TextField(_("补贴金额（CEL，单位元）"))
    budget_fen = models.BigIntegerField(_("预算（分）"), null=True, blank=True)
    description = models.TextField(_("政策说明"), blank=True, default="")
    note = models.TextField(_("备注"), blank=True, default="")
    change_reason = models.CharField(_("修改原因"), max_length=300, blank=True, default="")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["policy_id", "-number"]
        verbose_name = _("政策版本")
        verbose_name_plural = _("政策版本")
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="policy_version_uniq")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def to_definition(self):
        from bangfu.engine.policy.definition import PolicyDefinition

        return PolicyDefinition(
            code=self.policy.code, name=self.name, legal_basis=self.legal_basis,
            beneficiary=self.beneficiary_kind, condition=self.condition, amount=self.amount,
            period=self.period_kind, frequency=self.frequency,
            budget_yuan=self.budget_fen / 100 if self.budget_fen is not None else None,
            description=self.description, note=self.note,
        )


class PolicyRun(models.Model):
    """One evaluation of a policy version for a period over an area: a preview or a commit."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="runs", verbose_name=_("政策"))
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="runs",
                                verbose_name=_("版本"))
    period = models.CharField(_("期间"), max_length=7)
    area_code = models.CharField(_("范围"), max_length=12, db_index=True)
    engine = models.CharField(_("计算引擎"), max_length=20, choices=c.Engine.choices, default=c.Engine.DUCKDB)
    mode = models.CharField(_("类型"), max_length=20, choices=c.RunMode.choices)
    status = models.CharField(_("状态"), max_length=20, choices=c.RunStatus.choices, default=c.RunStatus.QUEUED)
    eligible = models.PositiveIntegerField(_("符合条件"), default=0)
    total_fen = models.BigIntegerField(_("金额合计（分）"), default=0)
    created = models.PositiveIntegerField(_("新增待遇"), default=0)
    already_existed = models.PositiveIntegerField(_("已存在"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("操作人"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    seconds = models.FloatField(_("耗时（秒）"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("政策运行")
        verbose_name_plural = _("政策运行")


class Entitlement(models.Model):
    """A subsidy granted to one beneficiary for one period: written once by a committed run."""

    # Few single-column indexes: a commit inserts hundreds of thousands of rows, and every index
    # costs on each; the composite indexes below (and the unique key) serve the lookups.
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="entitlements",
                               verbose_name=_("政策"), db_index=False)
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("版本"), db_index=False)
    run = models.ForeignKey(PolicyRun, on_delete=models.PROTECT, related_name="entitlements",
                            verbose_name=_("生成批次"))
    period = models.CharField(_("期间"), max_length=7)
    beneficiary_kind = models.CharField(_("受益对象类型"), max_length=20, choices=c.BeneficiaryKind.choices)
    beneficiary_id = models.BigIntegerField(_("受益对象编号"))
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="entitlements",
                               verbose_name=_("人员"), db_index=False)
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="entitlements", verbose_name=_("企业"), db_index=False)
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="entitlements", verbose_name=_("帮扶车间"), db_index=False)
    helper = models.ForeignKey(Helper, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="entitlements", verbose_name=_("帮扶人员"), db_index=False)
    district_code = models.CharField(_("区县代码"), max_length=6)
    township_code = models.CharField(_("乡镇代码"), max_length=9, blank=True, default="")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    status = models.CharField(_("状态"), max_length=20, choices=c.EntitlementStatus.choices,
                              default=c.EntitlementStatus.PENDING)
    # The feature values that decided the grant, kept so the reason survives later data changes.
    facts = models.JSONField(_("依据"), default=dict, blank=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("审核人"), db_index=False)
    decision_reason = models.CharField(_("审核意见"), max_length=300, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["district_code", "township_code", "id"]
        verbose_name = _("补贴待遇")
        verbose_name_plural = _("补贴待遇")
        constraints = [
            models.UniqueConstraint(fields=["policy", "period", "beneficiary_kind", "beneficiary_id"],
                                    name="entitlement_once_per_period"),
        ]
        indexes = [
            models.Index(fields=["policy", "period", "status"], name="entitlement_policy_status_idx"),
            models.Index(fields=["district_code", "status"], name="entitlement_district_idx"),
            models.Index(fields=["beneficiary_kind", "beneficiary_id"], name="entitlement_beneficiary_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.policy_id}/{self.period}/{self.beneficiary_kind}:{self.beneficiary_id}"

    @property
    def area_code(self) -> str:
        return self.township_code or self.district_code

    @property
    def beneficiary(self):
        return self.person or self.employer or self.workshop or self.helper

    @property
    def beneficiary_name(self) -> str:
        b = self.beneficiary
        return str(b) if b is not None else ""
