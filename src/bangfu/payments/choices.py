"""Code lists (字典) of payments."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStatus(models.TextChoices):
    CREATED = "created", _("已生成")
    EXPORTED = "exported", _("已导出银行文件")
    SETTLED = "settled", _("银行已回盘")
    RECONCILED = "reconciled", _("已对账")
    CANCELLED = "cancelled", _("已作废")


class PaymentStatus(models.TextChoices):
    """pending → paid | failed from the bank's return; paid → reversed only by a recorded 退汇;
    pending → cancelled when a batch never sent to the bank is withdrawn.

    ``paid``, ``failed``, ``reversed`` and ``cancelled`` are final: no return file changes them.
    """

    PENDING = "pending", _("待银行处理")
    PAID = "paid", _("成功")
    FAILED = "failed", _("失败")
    REVERSED = "reversed", _("已退汇")
    CANCELLED = "cancelled", _("已作废")


# A payment in one of these states holds no money for its claim, which may be paid anew.
PAYMENT_DEAD_STATUSES = (PaymentStatus.FAILED.value, PaymentStatus.REVERSED.value, PaymentStatus.CANCELLED.value)
# Of those, the ones the bank (or its reversal) decided: the claim failed and waits for a re-batch.
PAYMENT_FAILED_STATUSES = (PaymentStatus.FAILED.value, PaymentStatus.REVERSED.value)
