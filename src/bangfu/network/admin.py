"""Read-only admin of the workshops: writes go through the services (and their audit rows)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.network.models import Workshop, WorkshopMember


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "employer", "district_code", "township_code", "active")
    search_fields = ("code", "name")


@admin.register(WorkshopMember)
class WorkshopMemberAdmin(ReadOnlyAdmin):
    list_display = ("workshop", "person", "start_month", "end_month")
    raw_id_fields = ("workshop", "person")
