"""The network's refusals, in Chinese (tests assert on these constants)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_noop

ERR_OPERATOR = gettext_noop("购买服务运营的零工市场须填写运营机构和服务合同期")
ERR_CONTRACT_DATES = gettext_noop("服务合同止期应晚于起期")
ERR_HEADCOUNT = gettext_noop("需求人数至少为1")
ERR_PAY = gettext_noop("报酬不能为负数")
ERR_FUTURE = gettext_noop("日期不能晚于今天")
ERR_WORKSHOP_STATE = gettext_noop("帮扶车间当前状态为“{status}”，不能{action}")
ERR_TOO_FEW_WORKERS = gettext_noop("吸纳脱贫人口（含监测对象）{count}人，少于认定标准{minimum}人")
ERR_MEMBER_NOT_REGISTRY = gettext_noop("车间务工人员须为脱贫人口或防返贫监测对象")
ERR_MEMBER_MONTHS = gettext_noop("结束年月不能早于起始年月")
ERR_MEMBER_START = gettext_noop("起始年月应在{earliest}至{current}之间（不早于申报前12个月，不晚于本月）")
ERR_GIG_MATCHED = gettext_noop("该人员已与此零工岗位对接（当前结果：{outcome}），请在对接记录中更新结果")
ERR_EXIT_DATE = gettext_noop("退出日期不能晚于今天，也不能早于申报日期")
ERR_MEMBER_OPEN = gettext_noop("该人员在本车间已有未结束的务工记录")
ERR_HELPER_AGE = gettext_noop("帮扶人员年龄应在{min_age}至{max_age}周岁之间（现{age}周岁）")
ERR_HELPER_STEP = gettext_noop("备案须按申请、村级推荐、培训、公示、备案的顺序办理；当前为“{status}”")
ERR_HELPER_NOT_REGISTERED = gettext_noop("该帮扶人员尚未备案，不能包联服务对象")
ERR_PRIMARY_TAKEN = gettext_noop("该人员已有主责帮扶人员")
ERR_NOT_ASSIGNED = gettext_noop("只有该人员的主责帮扶人员可以查看其完整电话")
ERR_NO_HELPER = gettext_noop("您的账号没有关联帮扶人员")
ERR_UNKNOWN_KIND = gettext_noop("未知的服务类型")
ERR_DESTINATION = gettext_noop("未知的目的地代码：{code}")
ERR_NO_MEMBERS = gettext_noop("请至少选择一名输出人员")
ERR_RATING_STATE = gettext_noop("只有已认定或运行中的帮扶车间可以评定等次")
ERR_ACCOUNT = gettext_noop("银行账号应为 8 到 32 位数字")
ERR_BANK_NAME = gettext_noop("请填写开户银行")
ERR_HELPER_REGISTERED = gettext_noop("同一帮扶人员（姓名、出生日期、区县相同）已登记")
ERR_SERVICE_IMPORTED = gettext_noop("该服务记录已导入")


class NetworkError(ValidationError):
    """A refused write: ``message`` is Chinese, ``fields`` maps field names to Chinese messages
    (a ``ValidationError``, so the API answers 422 with them)."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__({name: [text] for name, text in fields.items()} if fields else message)
        self.message = message
        self.fields = fields or {}

    def __str__(self) -> str:
        return self.message


class AlreadyRecorded(NetworkError):
    """The row is there already (its natural key is taken, decided by the database): an import
    counts it as unchanged, a page shows the message."""
