"""Read-mostly admin: cases change through the services (and their audit rows), never here."""

from django.contrib import admin

from bangfu.arrears.models import ArrearsCase, CaseEvent, Office, OfficeMember
from bangfu.core.admin import ReadOnlyAdmin, ReadOnlyInline


@admin.register(Office)
class OfficeAdmin(ReadOnlyAdmin):  # edits go through the offices import
    list_display = ("code", "name", "kind", "covers", "contact_phone", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")


@admin.register(OfficeMember)
class OfficeMemberAdmin(admin.ModelAdmin):
    list_display = ("user", "office")
    readonly_fields = ("user", "office")

    def has_add_permission(self, request):
        return False


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("at", "actor_name", "kind", "from_state", "to_state", "note")
    readonly_fields = fields


@admin.register(ArrearsCase)
class ArrearsCaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "state", "office", "from_registry", "received_on", "accept_due", "finish_due")
    list_filter = ("state", "from_registry", "office__kind")
    search_fields = ("number",)
    # PII stays out of the admin: encrypted columns are not listed or editable here.
    fields = ("number", "channel", "state", "office", "employer_name", "work_place_label",
              "period_start", "period_end", "amount_owed_fen", "received_at", "accept_due",
              "finish_due", "escalated_at", "amount_recovered_fen", "workers_paid")
    readonly_fields = fields
    inlines = [CaseEventInline]
