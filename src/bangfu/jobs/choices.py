"""Code lists (字典) of 渝职聘: posting sources, services, application states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu import codes
from bangfu.core.choices import text_choices


class PostingSource(models.TextChoices):
    COOPERATION = "cooperation", _("东西协作劳务协作")
    CROSS_ZONE = "cross_zone", _("一区两群跨区域")
    LOCAL = "local", _("本地企业")
    WORKSHOP = "workshop", _("帮扶车间")
    GIG = "gig", _("零工市场")


# The weakest labour ability a posting accepts (招聘对象).
MinAbility = text_choices(codes.MIN_ABILITY)


# Services to a worker (就业服务人次), shared with the network's helpers.
ServiceKind = text_choices(codes.SERVICE_KIND)


class ApplicationStatus(models.TextChoices):
    REFERRED = "referred", _("已推荐")
    INTERVIEW = "interview", _("面试中")
    HIRED = "hired", _("已录用")
    REJECTED = "rejected", _("未录用")
    WITHDRAWN = "withdrawn", _("已放弃")


OPEN_APPLICATION_STATES = ("referred", "interview")


class RunStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")
