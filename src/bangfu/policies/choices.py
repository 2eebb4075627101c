"""Code lists (字典) of the subsidies app with their Chinese labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu import codes
from bangfu.core.choices import text_choices


BeneficiaryKind = text_choices(codes.BENEFICIARY_KIND)


class PeriodKind(models.TextChoices):
    YEAR = "year", _("按年度")


class Frequency(models.TextChoices):
    ONCE_PER_PERIOD = "once_per_period", _("每个受益对象每期一次")


InsuranceType = text_choices(codes.INSURANCE_TYPE)
Engine = text_choices(codes.ENGINE)


class RunMode(models.TextChoices):
    PREVIEW = "preview", _("预览")
    COMMIT = "commit", _("生成待遇")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("计算中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


EntitlementStatus = text_choices(codes.ENTITLEMENT_STATUS)


class BatchStatus(models.TextChoices):
    CREATED = "created", _("已生成")
    EXPORTED = "exported", _("已导出银行文件")
    SETTLED = "settled", _("银行已回盘")
    RECONCILED = "reconciled", _("已对账")


class PaymentStatus(models.TextChoices):
    """pending → paid | failed from the bank's return; paid → reversed only by a recorded 退汇.

    ``paid``, ``failed`` and ``reversed`` are final: no return file changes them.
    """

    PENDING = "pending", _("待银行处理")
    PAID = "paid", _("成功")
    FAILED = "failed", _("失败")
    REVERSED = "reversed", _("已退汇")


# A payment in one of these states holds no money for its entitlement, which may be paid anew.
PAYMENT_DEAD_STATUSES = (PaymentStatus.FAILED.value, PaymentStatus.REVERSED.value)


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
