"""Read-only admin of the employer register: writes go through the services (and their audit rows)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.employers.models import Employer


@admin.register(Employer)
class EmployerAdmin(ReadOnlyAdmin):
    list_display = ("name", "uscc", "district_code", "credit_rating", "owner_area_code")
    search_fields = ("name", "uscc")
    exclude = ("contact_phone", "contact_phone_hash", "bank_account", "bank_account_hash")
