"""Read-only admin of the outbox: messages are written by the services that report an event."""

from django.contrib import admin

from bangfu.outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("kind", "status")
    exclude = ("phone", "phone_hash")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
