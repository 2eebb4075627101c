"""What accounts contributes to core (``bangfu.core.hooks``): the role code list, the demo users."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import Role
from bangfu.accounts.demo import demo_users
from bangfu.core.hooks import CodeList, DemoStep

CODE_LISTS = [CodeList("role", _("角色"), Role, order=100)]

DEMO_STEPS = [DemoStep("users", demo_users, order=30)]
