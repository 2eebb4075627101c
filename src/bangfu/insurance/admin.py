"""Read-only admin of social-insurance contributions (written by ``bangfu import social_insurance``)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.insurance.models import SocialInsuranceContribution, UnemploymentBenefitMonth


@admin.register(SocialInsuranceContribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("person", "employer", "month", "insurance_type", "employer_fen", "worker_fen")
    list_filter = ("insurance_type",)
    raw_id_fields = ("person", "employer")


@admin.register(UnemploymentBenefitMonth)
class BenefitMonthAdmin(ReadOnlyAdmin):
    list_display = ("person", "month", "amount_fen")
    raw_id_fields = ("person",)
