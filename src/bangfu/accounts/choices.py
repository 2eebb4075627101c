from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.capabilities import Capability  # noqa: F401  (re-exported: accounts.choices.Capability)


class Role(models.TextChoices):
    CITY_ADMIN = "city_admin", _("市级管理员")
    DISTRICT_OFFICER = "district_officer", _("区县经办")
    TOWNSHIP_OFFICER = "township_officer", _("乡镇经办")
    BROKER = "broker", _("劳务经纪人")
    AUDITOR = "auditor", _("审计员")


class TokenState(models.TextChoices):
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已过期")
    REVOKED = "revoked", _("已吊销")


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CITY_ADMIN: frozenset(Capability),
    Role.DISTRICT_OFFICER: frozenset({
        Capability.VIEW_FULL_PII, Capability.IMPORT_REGISTRY, Capability.EDIT_REGISTRY,
        Capability.APPROVE_PAYMENTS, Capability.IMPORT_MONITORING, Capability.MANAGE_JOBS,
        Capability.RECORD_SERVICES, Capability.HANDLE_ARREARS,
    }),
    Role.TOWNSHIP_OFFICER: frozenset({
        Capability.VIEW_FULL_PII, Capability.IMPORT_REGISTRY, Capability.EDIT_REGISTRY,
        Capability.IMPORT_MONITORING, Capability.RECORD_SERVICES,
    }),
    Role.BROKER: frozenset({Capability.RECORD_SERVICES}),
    Role.AUDITOR: frozenset({Capability.VIEW_AUDIT}),
}
