from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.capabilities import Capability  # noqa: F401  (re-exported: accounts.choices.Capability)
from bangfu.core.scoping import DataScope


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    DISTRICT_OFFICER = "district_officer", _("区县经办")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇经办")
    BROKER = "broker", _("劳务经纪人")
    AUDITOR = "auditor", _("审计员")
    OUTPOST_OFFICER = "outpost_officer", _("外地办事处")


class TokenState(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")


# The roles as they were before they became data (``accounts.AccessRole``): the seed of
# migration 0003 copies this table literally, and a role row missing from the table (a test
# database flushed without it) falls back to it. Every role that reads the registry has
# VIEW_REGISTRY (the right everyone had before it was named); the out-of-town office does not.
ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CITY_ADMIN: frozenset(Capability),
    Role.DISTRICT_OFFICER: frozenset({
        Capability.VIEW_REGISTRY,
        Capability.VIEW_FULL_PII, Capability.IMPORT_REGISTRY, Capability.EDIT_REGISTRY,
        Capability.APPROVE_PAYMENTS, Capability.IMPORT_MONITORING, Capability.MANAGE_JOBS,
        Capability.RECORD_SERVICES, Capability.HANDLE_ARREARS,
    }),
    Role.TOWNSHIP_OFFICER: frozenset({
        Capability.VIEW_REGISTRY,
        Capability.VIEW_FULL_PII, Capability.IMPORT_REGISTRY, Capability.EDIT_REGISTRY,
        Capability.IMPORT_MONITORING, Capability.RECORD_SERVICES,
    }),
    Role.BROKER: frozenset({Capability.VIEW_REGISTRY, Capability.RECORD_SERVICES}),
    Role.AUDITOR: frozenset({Capability.VIEW_REGISTRY, Capability.VIEW_AUDIT}),
    Role.OUTPOST_OFFICER: frozenset({Capability.HANDLE_ARREARS}),
}

ROLE_SCOPES: dict[str, str] = {
    Role.CITY_ADMIN: DataScope.ALL,
    Role.DISTRICT_OFFICER: DataScope.AREA,
    Role.TOWNSHIP_OFFICER: DataScope.TOWNSHIP,
    Role.BROKER: DataScope.AREA,
    Role.AUDITOR: DataScope.AREA,
    Role.OUTPOST_OFFICER: DataScope.SELF,
}

# The level of area a user of the role must have ("" any).
ROLE_AREA_LEVELS: dict[str, str] = {
    Role.CITY_ADMIN: "city",
    Role.DISTRICT_OFFICER: "district",
    Role.TOWNSHIP_OFFICER: "township",
    Role.OUTPOST_OFFICER: "city",
}


class AreaLevel(models.TextChoices):
    ANY = "", _("不限")
    CITY = "city", _("市级")
    DISTRICT = "district", _("区县级")
    TOWNSHIP = "township", _("乡镇（街道）级")
