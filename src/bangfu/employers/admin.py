"""Read-only admin of the employer register: writes go through the services (and their audit rows)."""

from django.contrib import admin

from bangfu.employers.models import Employer


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "district_code", "credit_rating", "owner_area_code")
    search_fields = ("name", "uscc")
    exclude = ("contact_phone", "contact_phone_hash", "bank_account", "bank_account_hash")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
