"""What 免申即享 contributes to other apps: its entitlements are payable claims (``payments``), and
the labels of its audit rows (操作日志)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.background import BackgroundWork
from bangfu.policies.payables import EntitlementClaims
from bangfu.policies.work import RUN_WORK, policy_run_work

PAYABLE_CLAIMS = [EntitlementClaims()]

BACKGROUND_WORK = [BackgroundWork(RUN_WORK, _("政策试算与认定"), policy_run_work)]

AUDIT_ACTIONS = {
    "policy.create": _("新增政策"),
    "policy.version_create": _("新增政策版本"),
    "policy.activate": _("启用政策"),
    "policy.deactivate": _("停用政策"),
    "policy_run.preview": _("试算政策认定"),
    "policy_run.commit": _("提交政策认定"),
    "entitlement.approve": _("审核通过补贴"),
    "entitlement.reject": _("审核驳回补贴"),
    "entitlement.revert": _("撤回审核"),
    "policies.generate": _("生成演示政策数据"),
    "policies.generate_payments": _("生成演示补贴发放"),
}

AUDIT_FIELDS = {
    "contributions": _("缴费记录数"),
    "eligible": _("符合条件人数"),
    "enterprises": _("企业数"),
    "first_id": _("起始编号"),
    "last_id": _("截止编号"),
    "payee_accounts": _("收款账户数"),
    "workshops": _("就业帮扶车间数"),
}
