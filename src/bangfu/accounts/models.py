from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import ROLE_CAPABILITIES, Role, TokenState
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import CITY_CODE


class User(AbstractUser):
    """A bureau officer, broker or auditor; sees the data of ``area_code`` and below."""

    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.TOWNSHIP_OFFICER)
    area_code = models.CharField(
        _("所属区域"), max_length=12, default=CITY_CODE, db_index=True,
        help_text=_("全市 50，区县 6 位代码，乡镇 9 位代码"),
    )
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def has_capability(self, capability: Capability) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        return capability in ROLE_CAPABILITIES.get(self.role, frozenset())

    @property
    def label(self) -> str:
        return self.display_name or self.username


class ApiToken(models.Model):
    """An API token; only its hash is stored, the key is shown once when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=60, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("前缀"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    # Written at most every few minutes and never waited for (see accounts/tokens.py).
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked = models.BooleanField(_("已吊销"), default=False)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    def state(self, now: datetime | None = None) -> str:
        """``revoked``, ``expired`` or ``active`` at ``now``."""
        if self.revoked:
            return TokenState.REVOKED
        if self.expires_at <= (now or timezone.now()):
            return TokenState.EXPIRED
        return TokenState.ACTIVE

    def get_state_display(self) -> str:
        return TokenState(self.state()).label
