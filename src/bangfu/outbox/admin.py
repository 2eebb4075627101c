"""Read-only admin of the outbox: messages are written by the services that report an event."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = ("kind", "status", "attempts", "created_at", "sent_at")
    list_filter = ("kind", "status")
    exclude = ("phone", "phone_hash")
