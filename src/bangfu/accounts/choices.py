from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Capability(models.TextChoices):
    """What a role may do beyond reading its area (the role's permissions)."""

    VIEW_FULL_PII = "pii.view_full", _("查看完整证件号码和电话")
    IMPORT_REGISTRY = "registry.import", _("导入花名册")
    EDIT_REGISTRY = "registry.edit", _("维护户和人员信息")
    VIEW_AUDIT = "audit.view", _("查看操作日志")
    MANAGE_USERS = "users.manage", _("管理用户")
    MANAGE_POLICIES = "policies.manage", _("制定补贴政策")
    APPROVE_PAYMENTS = "policies.approve", _("审核补贴和支付")
    IMPORT_MONITORING = "monitoring.import", _("导入务工监测数据")
    MANAGE_JOBS = "jobs.manage", _("管理岗位和推送")
    RECORD_SERVICES = "jobs.service", _("记录就业服务")
    HANDLE_ARREARS = "arrears.handle", _("办理欠薪线索")


ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(c.value for c in Capability),
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
