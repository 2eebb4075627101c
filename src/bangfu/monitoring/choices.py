"""Code lists of monitoring. Place classes, channels, zones and cooperation regions are the
registry's (``bangfu.registry.choices``); area levels and dimensions are shared with the KPI
engine (``bangfu.codes``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu import codes
from bangfu.core.choices import text_choices


class FillStateChoice(models.TextChoices):
    STALE = "STALE", _("待计算")  # facts of the month changed after it was filled
    STARTED = "STARTED", _("计算中")
    DONE = "DONE", _("已完成")


AreaLevel = text_choices(codes.AREA_LEVEL)
Dimension = text_choices(codes.DIMENSION)


class MonthReportState(models.TextChoices):
    CLOSED = "closed", _("已报送")
    REOPENED = "reopened", _("已退回重报")


# Keys that are not a code of the registry's lists.
OTHER_REGION = codes.OTHER_REGION
OUTSIDE_CITY = codes.OUTSIDE_ZONE
