"""The insurance app's refusals: Chinese messages (msgids) that tests assert on."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

ERR_NO_EDIT = gettext_noop("您没有办理社会保险业务的权限")
ERR_STAGE = gettext_noop("案件当前处于“{stage}”阶段，不能{action}")
ERR_GRADE = gettext_noop("伤残等级应为1至10级，或留空表示未达伤残等级")
ERR_NOTE_REQUIRED = gettext_noop("不予确认时请填写理由")
ERR_NEGATIVE = gettext_noop("数量和金额不能为负数")
ERR_INJURY_REPORTED = gettext_noop("该从业人员在该平台同一受伤日期的职业伤害已受理，不能重复受理")
ERR_GAP_CLOSED = gettext_noop("该人员已参保，缺口已消除，无需再跟进")


class InsuranceError(ValueError):
    def __init__(self, message: str, **kwargs):
        self.message = _(message).format(**kwargs) if kwargs else _(message)
        super().__init__(self.message)
