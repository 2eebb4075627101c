"""Training's refusals, in Chinese (tests assert on these constants)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

ERR_OCCUPATION = gettext_noop("职业代码“{code}”不在职业分类目录中")
ERR_DATES = gettext_noop("结业日期不能早于开班日期")
ERR_DAYS = gettext_noop("培训天数应至少为1天")
ERR_DISTRICT = gettext_noop("区县代码“{code}”无效")
ERR_ALREADY_ENROLLED = gettext_noop("该人员已报名此培训项目")
ERR_ENROLMENT_STATE = gettext_noop("学员当前状态为“{status}”，不能{action}")
ERR_TOO_MANY_DAYS = gettext_noop("出勤天数（{days}）超过培训天数（{course_days}）")
ERR_TOO_FEW_DAYS = gettext_noop("出勤{days}天，不足培训天数的{percent}%（至少{needed}天），不能结业")
ERR_COMPLETED_BEFORE_START = gettext_noop("结业日期不能早于开班日期（{start}）")
ERR_CERTIFICATE_NUMBER = gettext_noop("证书编号“{number}”已被使用")
ERR_ALREADY_CERTIFIED = gettext_noop("该学员已登记证书")
ERR_CERTIFICATE_DATE = gettext_noop("发证日期不能早于结业日期（{completed}）")
ERR_NUMBER_REQUIRED = gettext_noop("请填写证书编号")


class TrainingError(ValidationError):
    """A refusal of a training service: one Chinese message (the API answers 422)."""

    def __init__(self, template: str, **values):
        super().__init__(_(template).format(**values))
        self.template = template
