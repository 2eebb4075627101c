from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.choices import ROLE_AREA_LEVELS, ROLE_CAPABILITIES, ROLE_SCOPES, AreaLevel, Role, TokenState
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import CITY_CODE, DataScope


class AccessRole(models.Model):
    """A role as data (系统管理 → 角色管理): what its users may do and how far they see.

    ``capabilities`` holds ``Capability`` values (the vocabulary stays the enum); ``data_scope``
    is applied by ``AreaQuerySet.restrict``; ``area_level`` is the level of area its users must
    have ("" any). The built-in roles are seeded by migration 0003 and cannot be deleted.
    """

    code = models.SlugField(_("角色编码"), max_length=32, unique=True)
    name = models.CharField(_("角色名称"), max_length=40)
    capabilities = models.JSONField(_("权限"), default=list, blank=True)
    data_scope = models.CharField(_("数据范围"), max_length=12, choices=DataScope.choices,
                                  default=DataScope.AREA)
    area_level = models.CharField(_("所属区域级别"), max_length=12, choices=AreaLevel.choices,
                                  blank=True, default="")
    builtin = models.BooleanField(_("内置"), default=False, editable=False)
    remark = models.CharField(_("备注"), max_length=200, blank=True, default="")
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=50)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The built-in roles read in the page's language while their name is the seeded one."""
        if self.code in Role.values and self.name == BUILTIN_NAMES.get(self.code):
            return str(Role(self.code).label)
        return self.name

    def capability_set(self) -> frozenset[str]:
        return frozenset(value for value in self.capabilities if value in Capability.values)

    def capability_labels(self) -> list[str]:
        return [str(cap.label) for cap in Capability if cap.value in self.capability_set()]


# The seeded Chinese names (a renamed built-in role shows its new name in every language).
BUILTIN_NAMES = {
    "city_admin": "市级管理员", "district_officer": "区县经办", "township_officer": "乡镇经办",
    "broker": "劳务经纪人", "auditor": "审计员", "outpost_officer": "外地办事处",
}


def builtin_role(code: str) -> AccessRole | None:
    """An unsaved role of the built-in table, for a code whose row is missing."""
    if code not in ROLE_CAPABILITIES:
        return None
    return AccessRole(code=code, name=BUILTIN_NAMES.get(code, code), builtin=True,
                      capabilities=sorted(ROLE_CAPABILITIES[code]), data_scope=ROLE_SCOPES[code],
                      area_level=ROLE_AREA_LEVELS.get(code, ""))


class User(AbstractUser):
    """A bureau officer, broker or auditor; sees the data of ``area_code`` and below."""

    # The code of an ``AccessRole`` (checked by the services; kept a code so that a role's row
    # can be edited without touching its users).
    role = models.CharField(_("角色"), max_length=32, default=Role.TOWNSHIP_OFFICER)
    area_code = models.CharField(
        _("所属区域"), max_length=12, default=CITY_CODE, db_index=True,
        help_text=_("全市 50，区县 6 位代码，乡镇 9 位代码"),
    )
    display_name = models.CharField(_("姓名"), max_length=60, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    @property
    def role_record(self) -> AccessRole | None:
        """The user's role row, read once per user object (and again when ``role`` changes)."""
        cached = getattr(self, "_role_record", None)
        if cached is None or cached.code != self.role:
            cached = AccessRole.objects.filter(code=self.role).first() or builtin_role(self.role)
            if cached is None:
                return None
            self._role_record = cached
        return cached

    def forget_role(self) -> None:
        self.__dict__.pop("_role_record", None)

    def has_capability(self, capability: Capability) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        record = self.role_record
        return record is not None and capability in record.capability_set()

    @property
    def data_scope(self) -> str:
        """How far ``restrict`` lets the user see (``core.scoping.DataScope``); no role: nothing."""
        record = self.role_record
        return record.data_scope if record is not None else DataScope.SELF

    def get_role_display(self) -> str:
        record = self.role_record
        return record.label if record is not None else self.role

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
