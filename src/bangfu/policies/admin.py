"""Read-only admin views of the subsidies tables: every write goes through the services
(policies/services), which validate the CEL and write the audit rows."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.policies import models as m


@admin.register(m.Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("code", "current_version", "active", "updated_at")


@admin.register(m.PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("policy", "number", "name", "beneficiary_kind", "created_at", "created_by")
    list_filter = ("beneficiary_kind",)


@admin.register(m.PolicyRun)
class PolicyRunAdmin(ReadOnlyAdmin):
    list_display = ("policy", "period", "area_code", "mode", "engine", "status", "eligible", "created", "started_at")
    list_filter = ("mode", "status", "engine")


@admin.register(m.Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ("policy", "period", "beneficiary_kind", "beneficiary_id", "district_code", "amount_fen", "status")
    list_filter = ("status", "beneficiary_kind")
    raw_id_fields = ("person", "employer", "workshop", "run", "version")
