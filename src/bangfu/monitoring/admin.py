"""Admin views of monitoring: read-only (facts come from imports, KPI rows from the fill)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.monitoring.models import (
    EmploymentMonth, HouseholdIncome, KpiArea, KpiBreakdown, KpiFillState, MonthReport, Target,
)


@admin.register(EmploymentMonth)
class EmploymentMonthAdmin(ReadOnlyAdmin):
    list_display = ["person_id", "month", "place_class", "destination_code", "channel", "employer_name",
                    "income_fen"]
    list_filter = ["month", "place_class", "channel"]
    list_select_related = False
    show_full_result_count = False  # counting millions of rows on every page is slow


@admin.register(HouseholdIncome)
class HouseholdIncomeAdmin(ReadOnlyAdmin):
    list_display = ["household_id", "year", "wage_fen", "business_fen", "property_fen", "transfer_fen",
                    "total_fen"]
    list_filter = ["year"]
    show_full_result_count = False


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ["area_code", "year", "employment_target"]
    list_filter = ["year"]
    search_fields = ["area_code"]


@admin.register(KpiFillState)
class KpiFillStateAdmin(ReadOnlyAdmin):
    list_display = ["month", "state", "engine", "started_at", "finished_at", "area_rows", "breakdown_rows"]
    list_filter = ["state"]


@admin.register(KpiArea)
class KpiAreaAdmin(ReadOnlyAdmin):
    list_display = ["month", "area_code", "area_level", "workers", "employment_scale", "target"]
    list_filter = ["month", "area_level"]
    search_fields = ["area_code"]


@admin.register(KpiBreakdown)
class KpiBreakdownAdmin(ReadOnlyAdmin):
    list_display = ["month", "area_code", "dimension", "key", "employment_scale"]
    list_filter = ["dimension"]
    search_fields = ["area_code"]


@admin.register(MonthReport)
class MonthReportAdmin(ReadOnlyAdmin):
    """Closed and re-opened through the monitoring pages, the API or ``bangfu kpi close``."""

    list_display = ["district_code", "month", "state", "closed_at", "closed_by_name", "reopened_at",
                    "reopen_reason"]
    list_filter = ["month", "state"]
    search_fields = ["district_code"]
