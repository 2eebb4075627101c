"""Template context: the navigation a user sees depends on their role."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from bangfu.core.capabilities import Capability

# (url name, label, capability or None). Apps add their pages here as they are built.
NAVIGATION = [
    ("home", _("首页"), None),
    ("registry:person_list", _("人员花名册"), None),
    ("imports:index", _("数据导入"), Capability.IMPORT_REGISTRY),
    ("monitoring:dashboard", _("务工监测"), None),
    ("policies:index", _("免申即享"), None),
    ("payments:batches", _("支付发放"), None),
    ("jobs:index", _("渝职聘"), None),
    ("posts:index", _("公益性岗位"), Capability.EDIT_REGISTRY),
    ("network:index", _("帮扶服务网络"), Capability.RECORD_SERVICES),
    ("arrears:index", _("根治欠薪"), None),
    ("core:audit_log", _("操作日志"), Capability.VIEW_AUDIT),
    ("core:login_log", _("登录日志"), Capability.VIEW_AUDIT),
    ("accounts:user_list", _("用户管理"), Capability.MANAGE_USERS),
    ("core:dictionaries", _("字典管理"), None),
    ("core:schedule", _("定时任务"), Capability.MANAGE_USERS),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, capability in NAVIGATION:
        if capability and not user.has_capability(capability):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page not built yet stays out of the menu
            continue
        items.append({"url": url, "label": label, "active": request.path == url or (
            url != "/" and request.path.startswith(url))})
    return {"nav_items": items}
