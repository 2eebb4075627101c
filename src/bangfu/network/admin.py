"""Read-only admin of the network: writes go through the services (and their audit rows)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.network.models import (
    Caseload, GigMarket, GigMatch, GigPosting, Helper, MarketReview, MarketServiceRecord, OutflowBatch,
    OutflowMember, ServiceRecord, Workshop, WorkshopMember, WorkshopRatingRecord,
)


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "employer", "workshop_type", "status", "district_code", "township_code")
    list_filter = ("status", "workshop_type")
    search_fields = ("code", "name")


@admin.register(WorkshopMember)
class WorkshopMemberAdmin(ReadOnlyAdmin):
    list_display = ("workshop", "person", "start_month", "end_month")
    raw_id_fields = ("workshop", "person")


@admin.register(WorkshopRatingRecord)
class WorkshopRatingAdmin(ReadOnlyAdmin):
    list_display = ("workshop", "year", "rating", "review_passed")
    raw_id_fields = ("workshop",)


@admin.register(GigMarket)
class GigMarketAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "kind", "scope", "operation", "listed", "district_code")
    list_filter = ("kind", "operation", "listed")
    search_fields = ("code", "name")


@admin.register(MarketReview)
class MarketReviewAdmin(ReadOnlyAdmin):
    list_display = ("market", "year", "score", "passed")
    raw_id_fields = ("market",)


@admin.register(MarketServiceRecord)
class MarketServiceAdmin(ReadOnlyAdmin):
    list_display = ("market", "service", "served_on", "district_code")
    raw_id_fields = ("market", "person")


@admin.register(GigPosting)
class GigPostingAdmin(ReadOnlyAdmin):
    list_display = ("title", "market", "pay_basis", "pay_fen", "headcount", "work_date")
    raw_id_fields = ("market",)


@admin.register(GigMatch)
class GigMatchAdmin(ReadOnlyAdmin):
    list_display = ("posting", "person", "outcome", "matched_on")
    raw_id_fields = ("posting", "person")


@admin.register(Helper)
class HelperAdmin(ReadOnlyAdmin):
    list_display = ("name", "role", "status", "district_code", "covered_area_code", "registered_on")
    list_filter = ("role", "status")
    search_fields = ("name",)
    exclude = ("phone", "phone_hash", "bank_account", "bank_account_hash")


@admin.register(Caseload)
class CaseloadAdmin(ReadOnlyAdmin):
    list_display = ("helper", "person", "primary", "started_on", "ended_on")
    raw_id_fields = ("helper", "person")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ("person", "kind", "helper", "served_on", "district_code")
    list_filter = ("kind",)
    raw_id_fields = ("person", "helper")


@admin.register(OutflowBatch)
class OutflowBatchAdmin(ReadOnlyAdmin):
    list_display = ("name", "departed_on", "destination_code", "cooperation_region", "owner_area_code")


@admin.register(OutflowMember)
class OutflowMemberAdmin(ReadOnlyAdmin):
    list_display = ("batch", "person")
    raw_id_fields = ("batch", "person")
