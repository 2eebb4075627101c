"""Read-only admin of the insurance tables (writes go through the services and imports)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.insurance.models import (
    CoverageFollowUp, CoverageGap, InjuryCase, InsuredRecord, OrderDeclaration, Platform,
    SocialInsuranceContribution, UnemploymentBenefitMonth, UnemploymentContribution, VulnerableGroupMember,
)


@admin.register(SocialInsuranceContribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("person", "employer", "month", "insurance_type", "employer_fen", "worker_fen")
    list_filter = ("insurance_type",)
    raw_id_fields = ("person", "employer")


@admin.register(UnemploymentBenefitMonth)
class BenefitMonthAdmin(ReadOnlyAdmin):
    list_display = ("person", "month", "amount_fen")
    raw_id_fields = ("person",)


@admin.register(VulnerableGroupMember)
class VulnerableGroupAdmin(ReadOnlyAdmin):
    list_display = ("person", "group", "year")
    list_filter = ("group", "year")
    raw_id_fields = ("person",)


@admin.register(InsuredRecord)
class InsuredRecordAdmin(ReadOnlyAdmin):
    list_display = ("person", "scheme", "year", "grade_fen", "on_behalf", "list_date")
    list_filter = ("scheme", "year", "on_behalf")
    raw_id_fields = ("person",)


@admin.register(CoverageGap)
class CoverageGapAdmin(ReadOnlyAdmin):
    list_display = ("person", "year", "rule", "since", "closed_on", "township_code")
    list_filter = ("rule", "year")
    raw_id_fields = ("person",)


@admin.register(CoverageFollowUp)
class CoverageFollowUpAdmin(ReadOnlyAdmin):
    list_display = ("gap", "outcome", "recorded_by", "created_at")
    raw_id_fields = ("gap",)


@admin.register(Platform)
class PlatformAdmin(ReadOnlyAdmin):
    list_display = ("employer", "industry", "joined_month")
    list_filter = ("industry",)


@admin.register(OrderDeclaration)
class OrderDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("platform", "month", "orders", "insured_workers", "rate_fen", "premium_fen")


@admin.register(InjuryCase)
class InjuryCaseAdmin(ReadOnlyAdmin):
    # The ID number is never listed; the masked value only.
    list_display = ("worker_name", "id_number_masked", "platform", "injured_on", "stage", "disability_grade")
    list_filter = ("stage",)
    exclude = ("id_number", "id_number_hash")
    raw_id_fields = ("person",)


@admin.register(UnemploymentContribution)
class UnemploymentContributionAdmin(ReadOnlyAdmin):
    list_display = ("employer", "month", "scale", "insured_count", "base_fen", "rate_bp", "paid_fen", "reduction_fen")
    raw_id_fields = ("employer",)
