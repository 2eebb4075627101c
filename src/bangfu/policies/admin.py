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
    raw_id_fields = ("person", "enterprise", "workshop", "run", "version")


@admin.register(m.PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "policy", "period", "area_code", "status", "line_count", "total_fen", "created_at")
    list_filter = ("status",)


@admin.register(m.Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("name", "uscc", "district_code")
    search_fields = ("name", "uscc")
    exclude = ("bank_account", "bank_account_hash")


@admin.register(m.Workshop)
class WorkshopAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "enterprise", "district_code", "township_code", "active")


@admin.register(m.OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("kind", "status")
    exclude = ("phone", "phone_hash")
