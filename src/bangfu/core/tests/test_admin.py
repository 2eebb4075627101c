"""The admin shows bangfu's tables read-only: writes go through the services and their audit rows."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from bangfu.core.admin import ReadOnlyAdmin

# Edited in the admin on purpose, each with its own audit row (accounts/admin.py, core/admin.py),
# or membership only shown (arrears).
WRITABLE = {"accounts.User", "accounts.ApiToken", "core.Notice", "arrears.OfficeMember"}


def test_every_bangfu_table_in_the_admin_is_read_only_through_one_base_class(django_user_model):
    request = RequestFactory().get("/admin/")
    request.user = django_user_model(is_superuser=True, is_staff=True)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        label = f"{model._meta.app_label}.{model.__name__}"
        if not model.__module__.startswith("bangfu.") or label in WRITABLE:
            continue
        assert isinstance(model_admin, ReadOnlyAdmin), label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize("label", sorted(WRITABLE))
def test_the_writable_exceptions_exist(label):
    app_label, name = label.split(".")
    assert any(m._meta.app_label == app_label and m.__name__ == name for m in admin.site._registry)
