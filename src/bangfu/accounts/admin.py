"""Admin for users and API tokens; changes made here are audited like any other."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.models import ApiToken, User
from bangfu.accounts.tokens import token_revoke
from bangfu.core.audit import audit_record


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "display_name", "role", "area_code", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "area_code"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("帮扶"), {"fields": ("display_name", "role", "area_code")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + ((_("帮扶"), {"fields": ("display_name", "role", "area_code")}),)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "role":  # the roles of the role table (角色管理), not free text
            from django import forms

            from bangfu.accounts.forms import role_choices

            return forms.ChoiceField(label=db_field.verbose_name, choices=role_choices)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fields = sorted(f for f in (form.changed_data or []) if f not in ("password", "password1", "password2"))
        audit_record(actor=request.user, action="user.admin_change" if change else "user.admin_create",
                     obj=obj, area_code=obj.area_code,
                     detail={"username": obj.username, "fields": fields, "role": obj.role})


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "user", "name", "created_at", "expires_at", "last_used_at", "revoked"]
    list_filter = ["revoked"]
    search_fields = ["user__username", "prefix", "name"]
    readonly_fields = ["user", "name", "prefix", "created_at", "expires_at", "last_used_at",
                       "revoked", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are created with `bangfu token create USER` (the key is shown once)

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked=False):
            token_revoke(token=token, actor=request.user)  # one transaction and audit row each
        messages.success(request, _("已吊销"))
