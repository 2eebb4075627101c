"""The posts' refusals, in Chinese (tests assert on these constants)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

ERR_POST_STATE = gettext_noop("岗位当前状态为“{status}”，不能{action}")
ERR_POST_NOT_APPROVED = gettext_noop("岗位尚未经县级批准，不能安置人员")
ERR_POST_FULL = gettext_noop("岗位已满员（{headcount}人）")
ERR_PART_TIME_HOURS = gettext_noop("非全日制岗位须填写每月工时")
ERR_UNIT = gettext_noop("岗位须属于一个村（社区）或一个用人单位")
ERR_HOUSEHOLD_PLACED = gettext_noop("该户已有成员在公益性岗位上（或公示中），每户只能安置一人")
ERR_PERSON_PLACED = gettext_noop("该人员已在其他公益性岗位上（或公示中），一岗一人，不能重复安置")
ERR_NOT_ELIGIBLE = gettext_noop("该人员不符合安置条件：{reasons}")
ERR_OVERRIDE_REASON = gettext_noop("所选人员排在第{rank}位，前面还有符合条件的人员，请填写调整排序的理由")
ERR_NOTICE_NOT_OVER = gettext_noop("公示期到{end}结束，公示期满后才能签订合同")
ERR_CONTRACT_DATES = gettext_noop("合同终止日期应晚于开始日期")
ERR_CONTRACT_TOO_LONG = gettext_noop("连续安置不能超过{months}个月（计划到{limit}）；距退休不足{years}年的可延至退休")
ERR_PLACEMENT_STATE = gettext_noop("安置当前状态为“{status}”，不能{action}")
ERR_EXIT_DATE = gettext_noop("退出日期不能早于合同开始日期")
ERR_NOT_PLACED_THAT_MONTH = gettext_noop("该人员{month}不在公益性岗位上，不能登记考勤")
ERR_ATTENDANCE_APPROVED = gettext_noop("{month}的考勤已审核，不能再修改")
ERR_DAYS = gettext_noop("出勤、事假、病假、旷工天数之和（{total}）超过当月天数（{days}）")
ERR_NO_RATING = gettext_noop("{month}尚未评定考核等次，不能审核发放")
ERR_NO_PAY_WITHOUT_RATING = gettext_noop("{month}没有考核等次，不能发放岗位补贴")
ERR_REASON_REQUIRED = gettext_noop("请填写理由")
ERR_MONTH = gettext_noop("年月格式应为 YYYY-MM")
ERR_ROSTER_MISMATCH = gettext_noop("安置编号与岗位编号、证件号码不一致")


class PostsError(ValidationError):
    """A refusal of a posts service: one Chinese message (the API answers 422)."""

    def __init__(self, template: str, **values):
        super().__init__(_(template).format(**values))
        self.template = template
