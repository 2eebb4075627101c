"""The accounts step of ``bangfu demo``: one user per role, with the documented demo password."""

from __future__ import annotations

from django.db.models import Count
from rich.table import Table

from bangfu.core.actors import SYSTEM
from bangfu.core.hooks import DemoContext

# A fixed, documented password for the demo users only (README); never use it elsewhere.
DEMO_PASSWORD = "Bangfu@2024"
FENGDU = "500230"  # 丰都县
OUTPOST_USERNAME = "shenzhen"  # 外地办事处 (the Shenzhen office), when the offices are loaded

# (username, role, area code or None for "a township of 丰都县", Chinese label, English label)
DEMO_USERS = (
    ("admin", "city_admin", "50", "市级管理员（全市）", "city admin"),
    ("fengdu", "district_officer", FENGDU, "区县经办（丰都县）", "district officer"),
    ("fengdu_town", "township_officer", None, "乡镇经办（丰都县某镇）", "township officer"),
    ("broker", "broker", FENGDU, "劳务经纪人（丰都县）", "labour broker"),
    ("auditor", "auditor", "50", "审计员（全市）", "auditor"),
)


def fengdu_township() -> str:
    """The township of 丰都县 with the most registered persons (the first one if none)."""
    from bangfu.registry import reference
    from bangfu.registry.models import Person

    busiest = (Person.objects.filter(district_code=FENGDU).values("township_code")
               .annotate(n=Count("id")).order_by("-n", "township_code").first())
    if busiest:
        return busiest["township_code"]
    return min(code for code, row in reference.divisions().items() if row["parent_code"] == FENGDU)


def _outpost_user():
    """外地办事处: a user of the Shenzhen office, when the out-of-town offices are loaded."""
    from django.apps import apps

    from bangfu.accounts.models import User
    from bangfu.accounts.services import user_create

    if not apps.is_installed("bangfu.arrears"):
        return None
    from bangfu.arrears.models import Office

    user = User.objects.filter(username=OUTPOST_USERNAME).first()
    if user is None and Office.objects.filter(code="SZ", kind="outpost", active=True).exists():
        user = user_create(username=OUTPOST_USERNAME, password=DEMO_PASSWORD, role="outpost_officer",
                           area_code="50", display_name="深圳办事处", office="SZ", actor=SYSTEM,
                           check_password=False)
    return user


def demo_users(ctx: DemoContext) -> None:
    """Create the users that are missing; never reset a password someone may have changed."""
    from bangfu.accounts.models import User
    from bangfu.accounts.services import user_create
    from bangfu.registry import reference

    names = reference.divisions()
    table = Table(title="演示用户 / demo users")
    for header in ("用户名 / user", "密码 / password", "角色 / role", "区域 / area"):
        table.add_column(header)
    existing = False
    for username, role, area, label_zh, label_en in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(username=username, password=DEMO_PASSWORD, role=role,
                               area_code=area or fengdu_township(), display_name=label_zh.split("（")[0],
                               actor=SYSTEM, check_password=False)
            password = DEMO_PASSWORD
        else:
            password, existing = f"{DEMO_PASSWORD} *", True
        area_name = "重庆市" if user.area_code == "50" else names.get(user.area_code, {}).get("name", "")
        table.add_row(username, password, f"{user.get_role_display()} / {label_en}", f"{area_name} {user.area_code}")
    outpost = _outpost_user()
    if outpost is not None:
        table.add_row(outpost.username, DEMO_PASSWORD, f"{outpost.get_role_display()} / out-of-town office (Shenzhen)",
                      "重庆市驻深圳劳务办事处")
    ctx.console.print("✓ 演示用户已就绪 / demo users ready")
    ctx.reports.append(table)
    if existing:
        ctx.reports.append("* 用户已存在，未改动：密码如未修改仍为上述密码 / "
                           "existing user left as is: the password unless it was changed")
