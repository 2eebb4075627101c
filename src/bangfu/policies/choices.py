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
