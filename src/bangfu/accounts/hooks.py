"""What accounts contributes to core (``bangfu.core.hooks``): the role code list, the demo users."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import Role
from bangfu.accounts.demo import demo_users
from bangfu.core.hooks import CodeList, DemoStep
from bangfu.core.scoping import DataScope

CODE_LISTS = [CodeList("role", _("角色"), Role, order=100),
              CodeList("data_scope", _("数据范围"), DataScope, order=99)]

DEMO_STEPS = [DemoStep("users", demo_users, order=30)]

# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "user.login": _("登录"),
    "user.create": _("新增用户"),
    "user.update": _("修改用户"),
    "user.admin_create": _("后台新增用户"),
    "user.admin_change": _("后台修改用户"),
    "user.password_change": _("修改密码"),
    "user.password_reset": _("管理员重置密码"),
    "role.create": _("新增角色"),
    "role.update": _("修改角色"),
    "token.create": _("创建接口令牌"),
    "token.revoke": _("吊销接口令牌"),
}

AUDIT_FIELDS = {
    "days": _("有效天数"),
    "expires_at": _("到期时间"),
    "prefix": _("令牌前缀"),
    "capabilities": _("权限"),
    "data_scope": _("数据范围"),
    "area_level": _("所属区域级别"),
}
