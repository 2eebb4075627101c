"""Read-only admin: training records change through the services only."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.training.models import Certificate, Course, Enrolment, FollowUp


@admin.register(Course)
class CourseAdmin(ReadOnlyAdmin):
    list_display = ("name", "occupation_code", "level", "days", "provider", "start_date", "end_date",
                    "district_code", "brand", "shortage")
    list_filter = ("level", "brand", "shortage")
    search_fields = ("name", "occupation_code", "place")


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("course", "person", "status", "days_attended", "completed_on")
    list_filter = ("status",)


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "person", "level", "issued_on")
    list_filter = ("level",)
    search_fields = ("number",)


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "contact_date", "outcome", "employer_name")
    list_filter = ("outcome",)
