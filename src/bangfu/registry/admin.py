"""Admin views of the registry: read-only (registry writes go through imports and services)."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.registry.models import Division, Household, Person, Place


@admin.register(Division)
class DivisionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent_code", "region_group"]
    list_filter = ["level", "region_group"]
    search_fields = ["code", "name"]


@admin.register(Place)
class PlaceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "parent_code", "cooperation_region"]
    list_filter = ["level", "cooperation_region"]
    search_fields = ["code", "name"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["number", "district_code", "township_code", "village", "category"]
    list_filter = ["category"]
    search_fields = ["number"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    """Masked ID and phone, the age instead of the birth date: the full values are shown on the
    person page, with an audit row (core/pii.py says why the birth date is not shown)."""

    list_display = ["name", "masked_id", "masked_phone", "district_code", "township_code",
                    "category", "labour_ability"]
    list_filter = ["category", "labour_ability"]
    search_fields = ["name", "household__number"]
    list_select_related = ["household"]
    exclude = ["id_number", "phone", "birth_date"]
    readonly_fields = ["masked_id", "masked_phone", "age"]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)

    @admin.display(description=_("证件号码"))
    def masked_id(self, obj):
        return obj.id_number_masked

    @admin.display(description=_("联系电话"))
    def masked_phone(self, obj):
        return obj.phone_masked

    @admin.display(description=_("年龄"))
    def age(self, obj):
        return obj.display_age(timezone.localdate())
