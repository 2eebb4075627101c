"""Read-only admin of the workshops: writes go through the services (and their audit rows)."""

from django.contrib import admin

from bangfu.network.models import Workshop, WorkshopMember


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "employer", "district_code", "township_code", "active")
    search_fields = ("code", "name")


@admin.register(WorkshopMember)
class WorkshopMemberAdmin(ReadOnlyAdmin):
    list_display = ("workshop", "person", "start_month", "end_month")
    raw_id_fields = ("workshop", "person")
