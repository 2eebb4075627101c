"""Direct payment (直补快办) of any kind of claim: payee accounts, batches sent to the bank and
their lines.

A line pays one *claim* (``claim_type``, ``claim_id``): a policy entitlement today, a
welfare-post month or a training allowance tomorrow. Each payable model registers a claim type
(``bangfu.payments.claims``); payments never imports the app it comes from. The database keeps
each claim in at most one live payment.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.models import BaseModel
from bangfu.core.pii import EncryptedTextField, mask_bank_account
from bangfu.core.scoping import AreaQuerySet
from bangfu.employers.models import Employer
from bangfu.payments import choices as c
from bangfu.registry.models import Person


class PayeeAccount(BaseModel):
    """The bank account a person's payments are paid into (the registry holds none)."""

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


class PaymentBatch(models.Model):
    """Claims of one type and scope (e.g. one policy and year) sent to the bank together."""

    number = models.CharField(_("批次号"), max_length=30, unique=True)
    claim_type = models.CharField(_("支付事项类型"), max_length=40)
    # What the claim type selected, in its own words ("transport_subsidy/2024"); with claim_type
    # it finds the batches of one policy and year.
    scope = models.CharField(_("支付范围"), max_length=100)
    purpose = models.CharField(_("用途"), max_length=200)
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
        indexes = [models.Index(fields=["claim_type", "scope"], name="payment_batch_scope_idx")]

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
    claim_type = models.CharField(_("支付事项类型"), max_length=40)
    claim_id = models.BigIntegerField(_("支付事项编号"))
    # Who is paid: a person (into their payee account) or an employer (its corporate account).
    payee_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("收款人员"), db_index=False)
    payee_employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("收款单位"), db_index=False)
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
            models.UniqueConstraint(fields=["batch", "claim_type", "claim_id"], name="payment_batch_claim_uniq"),
            # A claim is in at most one payment that is live (waiting for the bank or paid): never
            # paid twice. Written as "not dead" so a state added later counts as live.
            models.UniqueConstraint(fields=["claim_type", "claim_id"], condition=~Q(status__in=c.PAYMENT_DEAD_STATUSES),
                                    name="payment_one_live_per_claim"),
        ]
        indexes = [models.Index(fields=["claim_type", "claim_id"], name="payment_claim_idx")]

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
