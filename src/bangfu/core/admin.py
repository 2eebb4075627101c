"""Admin for the audit log (read-only) and notices (通知公告), and the read-only base every app uses."""

from django.contrib import admin

from bangfu.core.audit import audit_record
from bangfu.core.models import AuditLog, Notice


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows shown and searched, never added, changed or deleted here: writes go through the
    services, which validate and write the audit row in the same transaction."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """The audit log can be read and searched, never changed."""

    list_display = ["at", "actor_name", "action", "object_type", "object_id", "area_code", "ip_address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "action", "object_id"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditLog._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ["title", "published", "created_at"]
    list_filter = ["published"]
    search_fields = ["title"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action="notice.update" if change else "notice.create",
                     obj=obj, detail={"title": obj.title, "published": obj.published})

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action="notice.delete", obj=obj, detail={"title": obj.title})
        super().delete_model(request, obj)
