"""Template context: the navigation a user sees depends on their role."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.capabilities import Capability

# (url name, label, capability or None). Apps add their pages here as they are built. The pages of
# people's data need 查看人员花名册 (an out-of-town office's menu is the arrears desk only).
NAVIGATION = [
    ("home", _("首页"), None),
    ("registry:person_list", _("人员花名册"), Capability.VIEW_REGISTRY),
    ("imports:index", _("数据导入"), Capability.IMPORT_REGISTRY),
    ("monitoring:dashboard", _("务工监测"), Capability.VIEW_REGISTRY),
    ("policies:index", _("免申即享"), Capability.VIEW_REGISTRY),
    ("payments:batches", _("支付发放"), Capability.VIEW_REGISTRY),
    ("jobs:index", _("渝职聘"), Capability.VIEW_REGISTRY),
    ("posts:index", _("公益性岗位"), Capability.EDIT_REGISTRY),
    ("training:index", _("技能培训"), Capability.EDIT_REGISTRY),
    ("insurance:index", _("社会保险"), Capability.EDIT_REGISTRY),
    ("arrears:index", _("根治欠薪"), None),
]

# 系统管理: the system pages, one group at the foot of the menu (the RuoYi family's layout).
SYSTEM_MENU = [
    ("accounts:user_list", _("用户管理"), Capability.MANAGE_USERS),
    ("accounts:role_list", _("角色管理"), Capability.MANAGE_USERS),
    ("accounts:area_tree", _("区划与数据范围"), Capability.MANAGE_USERS),
    ("core:notice_list", _("通知公告"), Capability.MANAGE_USERS),
    ("core:parameters", _("参数设置"), None),
    ("core:dictionaries", _("字典管理"), None),
    ("core:schedule", _("定时任务"), Capability.MANAGE_USERS),
    ("core:audit_log", _("操作日志"), Capability.VIEW_AUDIT),
    ("core:login_log", _("登录日志"), Capability.VIEW_AUDIT),
]


def _items(request, user, entries) -> list[dict]:
    items = []
    for name, label, capability in entries:
        if capability and not user.has_capability(capability):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page not built yet stays out of the menu
            continue
        items.append({"url": url, "label": label, "active": request.path == url or (
            url != "/" and request.path.startswith(url))})
    return items


def navigation(request):
    """``nav_items``: the programmes; ``nav_system``: the 系统管理 group (both as the user may see)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_system": []}
    system = _items(request, user, SYSTEM_MENU)
    return {"nav_items": _items(request, user, NAVIGATION), "nav_system": system,
            "nav_system_open": any(item["active"] for item in system)}
