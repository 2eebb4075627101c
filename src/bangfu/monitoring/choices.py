"""Code lists of monitoring. Place classes, channels, zones and cooperation regions are the
registry's (``bangfu.registry.choices``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FillStateChoice(models.TextChoices):
    STALE = "STALE", _("待计算")  # facts of the month changed after it was filled
    STARTED = "STARTED", _("计算中")
    DONE = "DONE", _("已完成")


class AreaLevel(models.TextChoices):
    CITY = "city", _("全市")
    REGION_GROUP = "region_group", _("一区两群")
    DISTRICT = "district", _("区县")
    TOWNSHIP = "township", _("乡镇（街道）")


class Dimension(models.TextChoices):
    PLACE_CLASS = "place_class", _("务工地点")
    CHANNEL = "channel", _("就业渠道")
    REGION_GROUP = "region_group", _("一区两群")
    COOPERATION_REGION = "cooperation_region", _("劳务协作地区")
    FLOW = "flow", _("跨区域流向")


# Keys that are not a code of the registry's lists.
OTHER_REGION = "other"  # out of the city, not in a cooperation region
OUTSIDE_CITY = "outside"  # work zone of a job outside Chongqing
