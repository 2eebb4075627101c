"""Read-only admin of social-insurance contributions (written by ``bangfu import social_insurance``)."""

from django.contrib import admin

from bangfu.insurance.models import SocialInsuranceContribution


@admin.register(SocialInsuranceContribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ("person", "employer", "month", "insurance_type", "employer_fen", "worker_fen")
    list_filter = ("insurance_type",)
    raw_id_fields = ("person", "employer")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
