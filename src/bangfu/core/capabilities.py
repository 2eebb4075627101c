"""What a role (or a system actor) may do beyond reading its area.

The enum lives in core so that core and every app can name a capability without importing
``accounts``; ``accounts.choices`` re-exports it and maps roles to their capabilities.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Capability(models.TextChoices):
    VIEW_REGISTRY = "registry.view", _("查看人员花名册")
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
