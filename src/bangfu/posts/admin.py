"""Read-only admin: posts, placements, attendance and pay change through the services only."""

from django.contrib import admin

from bangfu.core.admin import ReadOnlyAdmin
from bangfu.posts.models import Attendance, Placement, PostPay, WelfarePost


@admin.register(WelfarePost)
class WelfarePostAdmin(ReadOnlyAdmin):
    list_display = ("name", "post_type", "work_time", "township_code", "village", "funding_source", "status")
    list_filter = ("status", "post_type", "work_time", "funding_source")
    search_fields = ("name", "village")


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ("post", "person", "status", "notice_end", "contract_start", "planned_end", "exit_reason")
    list_filter = ("status", "exit_reason")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("placement", "month", "days_present", "rating", "status")
    list_filter = ("status", "rating")


@admin.register(PostPay)
class PostPayAdmin(ReadOnlyAdmin):
    list_display = ("person", "month", "amount_fen", "status")
    list_filter = ("status",)
