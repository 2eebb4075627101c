"""Subsidies without application (免申即享 / 直补快办).

Facts the policy engine reads besides the registry and employment months: enterprises,
assistance workshops and their members, social-insurance contributions, payee accounts and
past entitlements. Policies are versioned data; a run writes entitlements once (unique on
policy + period + beneficiary); entitlements are approved, batched for the bank, paid or failed.
The engine reads these tables in place under the names in ``bangfu.engine.features``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.pii import EncryptedTextField, mask_bank_account, mask_phone
from bangfu.core.scoping import AreaQuerySet
from bangfu.policies import choices as c
from bangfu.registry.models import Person


class Enterprise(BaseModel):
    """An employer identified by its unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, blank=True, default="", db_index=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True, default="")
    bank_account = EncryptedTextField(_("银行账号"), blank=True, default="")
    bank_account_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["district_code", "name"]
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return self.township_code or self.district_code

    @property
    def bank_account_masked(self) -> str:
        return mask_bank_account(self.bank_account)


class Workshop(BaseModel):
    """An assistance workshop (帮扶车间) run by an enterprise; awards are paid to its operator."""

    code = models.CharField(_("认定编号"), max_length=40, unique=True)
    name = models.CharField(_("车间名称"), max_length=200)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="workshops",
                                   verbose_name=_("经营主体"))
    district_code = models.CharField(_("区县代码"), max_length=6, db_index=True)
    township_code = models.CharField(_("乡镇代码"), max_length=9, db_index=True)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    active = models.BooleanField(_("认定有效"), default=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["district_code", "code"]
        verbose_name = _("帮扶车间")
        verbose_name_plural = _("帮扶车间")

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
        ]


class SocialInsuranceContribution(models.Model):
    """What an employer paid for one worker, one month and one insurance type (fen)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="contributions",
                               verbose_name=_("人员"))
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="contributions",
                                   verbose_name=_("缴费单位"))
    month = models.CharField(_("费款所属期"), max_length=7)
    insurance_type = models.CharField(_("险种"), max_length=20, choices=c.InsuranceType.choices)
    employer_fen = models.BigIntegerField(_("单位缴费（分）"), default=0)
    worker_fen = models.BigIntegerField(_("个人缴费（分）"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = AreaQuerySet.as_manager()
    area_district_field = "person__district_code"
    area_township_field = "person__township_code"

    class Meta:
        ordering = ["-month", "person_id"]
        verbose_name = _("社保缴费记录")
        verbose_name_plural = _("社保缴费记录")
        constraints = [
            models.UniqueConstraint(fields=["person", "enterprise", "month", "insurance_type"],
                                    name="contribution_uniq"),
        ]
        indexes = [
            models.Index(fields=["enterprise", "person", "month"], name="contribution_ent_person_idx"),
            models.Index(fields=["month", "person"], name="contribution_month_person_idx"),
        ]


class PayeeAccount(BaseModel):
    """The bank account a person's subsidies are paid into (the registry holds none)."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="payee_account",
                                  verbose_name=_("人员"))
    bank_name = models.CharField(_("开户银行"), max_length=100)
    account = EncryptedTextField(_("银行账号"))
    account_hash = models.CharField(max_length=64, db_index=True, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("更新人"))

    objects = AreaQuerySet.as_manager()
    area_district_field = "person__district_code"
    area_township_field = "person__township_code"

    class Meta:
        verbose_name = _("收款账户")
        verbose_name_plural = _("收款账户")

    @property
    def account_masked(self) -> str:
        return mask_bank_account(self.account)


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
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="entitlements", verbose_name=_("企业"), db_index=False)
    workshop = models.ForeignKey(Workshop, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="entitlements", verbose_name=_("帮扶车间"), db_index=False)
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
        return self.person or self.enterprise or self.workshop

    @property
    def beneficiary_name(self) -> str:
        b = self.beneficiary
        return str(b) if b is not None else ""


class PaymentBatch(models.Model):
    """Approved entitlements of one policy and period sent to the bank together."""

    number = models.CharField(_("批次号"), max_length=30, unique=True)
    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="batches", verbose_name=_("政策"))
    period = models.CharField(_("期间"), max_length=7)
    area_code = models.CharField(_("范围"), max_length=12, db_index=True)
    status = models.CharField(_("状态"), max_length=20, choices=c.BatchStatus.choices, default=c.BatchStatus.CREATED)
    is_rebatch = models.BooleanField(_("失败重发"), default=False)
    line_count = models.PositiveIntegerField(_("笔数"), default=0)
    total_fen = models.BigIntegerField(_("总金额（分）"), default=0)
    checksum = models.CharField(_("校验码"), max_length=64, blank=True, default="")
    paid_count = models.PositiveIntegerField(_("成功笔数"), default=0)
    paid_fen = models.BigIntegerField(_("成功金额（分）"), default=0)
    failed_count = models.PositiveIntegerField(_("失败笔数"), default=0)
    failed_fen = models.BigIntegerField(_("失败金额（分）"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    settled_at = models.DateTimeField(_("回盘时间"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("对账时间"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("支付批次")
        verbose_name_plural = _("支付批次")

    def __str__(self) -> str:
        return self.number

    @property
    def pending_count(self) -> int:
        return self.line_count - self.paid_count - self.failed_count


class Payment(models.Model):
    """One line of a payment batch; the bank's return file marks it paid or failed, once.

    A paid line changes again only by a recorded bank reversal (退汇, ``payment_reverse``).
    """

    batch = models.ForeignKey(PaymentBatch, on_delete=models.PROTECT, related_name="payments",
                              verbose_name=_("支付批次"))
    line_no = models.PositiveIntegerField(_("序号"))
    entitlement = models.ForeignKey(Entitlement, on_delete=models.PROTECT, related_name="payments",
                                    verbose_name=_("补贴待遇"))
    payee_name = models.CharField(_("收款人"), max_length=200)
    bank_name = models.CharField(_("开户银行"), max_length=100)
    account = EncryptedTextField(_("银行账号"))
    account_hash = models.CharField(max_length=64, editable=False)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    status = models.CharField(_("状态"), max_length=20, choices=c.PaymentStatus.choices,
                              default=c.PaymentStatus.PENDING)
    failure_reason = models.CharField(_("失败原因"), max_length=200, blank=True, default="")
    bank_reference = models.CharField(_("银行流水号"), max_length=64, blank=True, default="")
    settled_at = models.DateTimeField(_("回盘时间"), null=True, blank=True)
    reversed_at = models.DateTimeField(_("退汇时间"), null=True, blank=True)
    reversed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("退汇登记人"))
    reversal_reason = models.CharField(_("退汇原因"), max_length=200, blank=True, default="")
    district_code = models.CharField(_("区县代码"), max_length=6)
    township_code = models.CharField(_("乡镇代码"), max_length=9, blank=True, default="")

    objects = AreaQuerySet.as_manager()
    area_district_field = "district_code"
    area_township_field = "township_code"

    class Meta:
        ordering = ["batch_id", "line_no"]
        verbose_name = _("支付明细")
        verbose_name_plural = _("支付明细")
        constraints = [
            models.UniqueConstraint(fields=["batch", "line_no"], name="payment_line_uniq"),
            models.UniqueConstraint(fields=["batch", "entitlement"], name="payment_batch_entitlement_uniq"),
            # An entitlement is in at most one payment that is live (waiting for the bank or paid):
            # never paid twice. Written as "not dead" so a state added later counts as live.
            models.UniqueConstraint(fields=["entitlement"], condition=~Q(status__in=c.PAYMENT_DEAD_STATUSES),
                                    name="payment_one_live_per_entitlement"),
        ]

    @property
    def area_code(self) -> str:
        return self.township_code or self.district_code

    @property
    def account_masked(self) -> str:
        return mask_bank_account(self.account)

    @property
    def failed_at(self):
        """When the money stopped being on its way: the reversal, else the bank's return."""
        return self.reversed_at or self.settled_at


class OutboxMessage(models.Model):
    """A text message to send (SMS-style), written in the same transaction as what it reports.

    Any app may enqueue through ``bangfu.policies.outbox``; ``dedup_key`` makes enqueueing
    idempotent, so a retried transaction never texts a person twice.
    """

    kind = models.CharField(_("类型"), max_length=40, db_index=True)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("人员"))
    phone = EncryptedTextField(_("手机号码"), blank=True, default="")
    phone_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    area_code = models.CharField(_("所属区域"), max_length=12, blank=True, default="", db_index=True)
    body = models.TextField(_("内容"))
    dedup_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(_("状态"), max_length=20, choices=c.OutboxStatus.choices,
                              default=c.OutboxStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    last_error = models.CharField(_("错误"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
