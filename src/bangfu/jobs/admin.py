"""Read-only admin views: writes go through the services (and their audit rows)."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.jobs.models import Application, ExportBatch, JobPosting, MatchRun, Push, ServiceRecord


@admin.register(JobPosting)
class JobPostingAdmin(ReadOnlyAdmin):
    list_display = ("title", "employer", "place_name", "headcount", "filled_count", "valid_until", "source")
    list_filter = ("source", "work_region_group", "cooperation_region")
    search_fields = ("title", "employer__name")


@admin.register(Push)
class PushAdmin(ReadOnlyAdmin):
    list_display = ("person", "posting", "score", "week", "created_at")


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("person", "posting", "status", "referred_on", "hired_on")


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ("person", "kind", "served_on", "actor_name")


admin.site.register(MatchRun, ReadOnlyAdmin)
admin.site.register(ExportBatch, ReadOnlyAdmin)
