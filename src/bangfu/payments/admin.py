"""Read-only admin of payments: every write goes through the services (compare-and-set, audit)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.payments.models import Payment, PaymentBatch


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "claim_type", "purpose", "area_code", "status", "line_count", "total_fen", "created_at")
    list_filter = ("status", "claim_type")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("batch", "line_no", "claim_type", "claim_id", "payee_name", "amount_fen", "status")
    list_filter = ("status", "claim_type")
    exclude = ("account", "account_hash")
    raw_id_fields = ("batch", "payee_person", "payee_employer")
