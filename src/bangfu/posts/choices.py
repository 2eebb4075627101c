"""Code lists of public-welfare posts (公益性岗位), shown on 字典管理 (``posts.hooks``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu import codes
from bangfu.core.choices import text_choices


class PostType(models.TextChoices):
    ASSIST_MANAGEMENT = "assist_management", _("协助管理类")
    PUBLIC_SERVICE = "public_service", _("公共服务类")


class WorkTime(models.TextChoices):
    FULL_TIME = "full_time", _("全日制")
    PART_TIME = "part_time", _("非全日制")


class FundingSource(models.TextChoices):
    EMPLOYMENT_FUND = "employment_fund", _("就业补助资金")
    LINKAGE_FUND = "linkage_fund", _("衔接资金")


class PostStatus(models.TextChoices):
    """村申请、乡镇审核、县统筹: requested by the village, reviewed by the township, approved by the county."""

    REQUESTED = "requested", _("村申请")
    REVIEWED = "reviewed", _("乡镇已审核")
    APPROVED = "approved", _("县级已批准")
    REJECTED = "rejected", _("未通过")


class PlacementStatus(models.TextChoices):
    NOTICE = "notice", _("公示中")
    ACTIVE = "active", _("在岗")
    EXITED = "exited", _("已退出")
    WITHDRAWN = "withdrawn", _("公示未通过")


# A placement that holds the person's and the household's one post (一岗一人、一户一岗).
LIVE_PLACEMENT_STATUSES = (PlacementStatus.NOTICE.value, PlacementStatus.ACTIVE.value)


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class AttendanceStatus(models.TextChoices):
    RECORDED = "recorded", _("待审核")
    APPROVED = "approved", _("已审核")


class DayMark(models.TextChoices):
    """One day of the 考勤表; the value is the mark written in the sheet."""

    PRESENT = "√", _("出勤")
    PERSONAL_LEAVE = "事", _("事假")
    SICK_LEAVE = "病", _("病假")
    ABSENT = "旷", _("旷工")


class ExitReason(models.TextChoices):
    CONTRACT_END = "contract_end", _("合同期满")
    FAILED_TWICE = "failed_twice", _("考核两次不合格")
    STABLE_WORK = "stable_work", _("实现稳定就业")
    AGE_LIMIT = "age_limit", _("达到年龄上限")
    DEATH = "death", _("死亡")
    VOLUNTARY = "voluntary", _("自愿退出")


# A placement month's pay as a payable claim (``payments``).
PayStatus = text_choices(codes.CLAIM_PAY_STATUS)
