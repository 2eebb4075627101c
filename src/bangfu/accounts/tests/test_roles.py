"""角色管理: roles as data, edited by the city administrator, read by has_capability and restrict."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.accounts.models import AccessRole, User
from bangfu.core.capabilities import Capability
from bangfu.core.models import AuditLog
from bangfu.core.scoping import DataScope

pytestmark = pytest.mark.django_db

FENGDU = "500230"
FENGDU_TOWN = "500230001"


def _client(client, user):
    client.force_login(user)
    return client


def test_the_city_administrator_lists_and_creates_a_role(client, make_user):
    admin = make_user()
    page = _client(client, admin).get(reverse("accounts:role_list"))
    assert page.status_code == 200
    assert "区县经办" in page.content.decode() and "本区县及以下" in page.content.decode()

    response = client.post(reverse("accounts:role_create"), {
        "code": "stats_viewer", "name": "统计查看员", "capabilities": ["registry.view", "audit.view"],
        "data_scope": "area", "area_level": "district", "remark": ""})
    assert response.status_code == 302, response.content.decode()
    role = AccessRole.objects.get(code="stats_viewer")
    assert role.capability_set() == {"registry.view", "audit.view"}
    row = AuditLog.objects.get(action="role.create")
    assert row.detail["capabilities"] == ["audit.view", "registry.view"]

    viewer = make_user(role="stats_viewer", area_code=FENGDU)
    assert viewer.has_capability(Capability.VIEW_AUDIT)
    assert not viewer.has_capability(Capability.EDIT_REGISTRY)


def test_editing_a_role_changes_its_users_rights_and_is_audited(client, make_user):
    admin = make_user()
    officer = make_user(role="district_officer", area_code=FENGDU)
    assert officer.has_capability(Capability.MANAGE_JOBS)
    role = AccessRole.objects.get(code="district_officer")
    caps = sorted(role.capability_set() - {"jobs.manage"})
    response = _client(client, admin).post(reverse("accounts:role_edit", args=[role.pk]), {
        "name": role.name, "capabilities": caps, "data_scope": "area", "area_level": "district"})
    assert response.status_code == 302
    fresh = User.objects.get(pk=officer.pk)
    assert not fresh.has_capability(Capability.MANAGE_JOBS)
    assert fresh.has_capability(Capability.HANDLE_ARREARS)
    row = AuditLog.objects.get(action="role.update")
    assert row.detail["changes"]["capabilities"]["before"] == sorted(caps + ["jobs.manage"])
    assert row.detail["changes"]["capabilities"]["after"] == caps


def test_a_role_with_scope_all_sees_the_city_whatever_its_area(make_user):
    from bangfu.registry.models import Person

    AccessRole.objects.create(code="city_reader", name="全市查看", capabilities=["registry.view"],
                              data_scope=DataScope.ALL)
    reader = make_user(role="city_reader", area_code=FENGDU)
    district = make_user(role="district_officer", area_code=FENGDU)
    assert "WHERE" not in str(Person.objects.restrict(reader).query)
    assert FENGDU in str(Person.objects.restrict(district).query)


def test_scope_self_sees_no_area_rows_and_township_scope_needs_a_township(make_user):
    from bangfu.registry.models import Person

    AccessRole.objects.create(code="own_only", name="仅本人", capabilities=[], data_scope=DataScope.SELF)
    own = make_user(role="own_only", area_code="50")
    assert Person.objects.restrict(own).query.is_empty()
    AccessRole.objects.create(code="town_only", name="乡镇", capabilities=[], data_scope=DataScope.TOWNSHIP)
    assert Person.objects.restrict(make_user(role="town_only", area_code=FENGDU)).query.is_empty()
    assert not Person.objects.restrict(make_user(role="town_only", area_code=FENGDU_TOWN)).query.is_empty()


def test_the_city_administrators_keep_user_management(client, make_user):
    admin = make_user()
    role = AccessRole.objects.get(code="city_admin")
    response = _client(client, admin).post(reverse("accounts:role_edit", args=[role.pk]), {
        "name": role.name, "capabilities": ["registry.view"], "data_scope": "all", "area_level": "city"})
    assert response.status_code == 200
    assert "必须保留" in response.content.decode()
    assert Capability.MANAGE_USERS.value in AccessRole.objects.get(code="city_admin").capability_set()


@pytest.mark.parametrize("role, area", [("district_officer", FENGDU), ("township_officer", FENGDU_TOWN),
                                        ("auditor", "50"), ("broker", FENGDU)])
def test_only_the_city_administrator_manages_roles(client, make_user, role, area):
    user = make_user(role=role, area_code=area)
    _client(client, user)
    role_row = AccessRole.objects.get(code="broker")
    assert client.get(reverse("accounts:role_list")).status_code == 403
    assert client.post(reverse("accounts:role_create"), {"code": "x1", "name": "x", "data_scope": "all"}).status_code == 403
    assert client.post(reverse("accounts:role_edit", args=[role_row.pk]), {
        "name": "x", "capabilities": list(Capability.values), "data_scope": "all"}).status_code == 403
    assert AccessRole.objects.get(code="broker").data_scope == DataScope.AREA
    assert not AccessRole.objects.filter(code="x1").exists()


def test_a_district_user_manager_cannot_edit_roles(client, make_user):
    """A role with 管理用户 in a district manages its district's users, but not the roles."""
    AccessRole.objects.create(code="district_admin", name="区县管理员", capabilities=["users.manage"],
                              data_scope=DataScope.AREA, area_level="district")
    manager = make_user(role="district_admin", area_code=FENGDU)
    _client(client, manager)
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert client.get(reverse("accounts:role_list")).status_code == 403


def test_a_builtin_role_reads_the_registry_with_roles_as_data(client, make_user):
    user = make_user(role="broker", area_code=FENGDU, username="broker_a")
    client.force_login(user)
    assert client.get(reverse("registry:person_list")).status_code == 200
    assert user.get_role_display() == "劳务经纪人"


def test_the_audit_log_reads_a_role_change_in_chinese(client, make_user):
    admin = make_user()
    role = AccessRole.objects.get(code="broker")
    _client(client, admin).post(reverse("accounts:role_edit", args=[role.pk]), {
        "name": role.name, "capabilities": ["registry.view", "jobs.service", "arrears.handle"],
        "data_scope": "township", "area_level": ""})
    html = client.get(reverse("core:audit_log")).content.decode()
    assert "修改角色" in html
    assert "办理欠薪线索" in html and "本区县及以下 → 本乡镇" in html
    assert "arrears.handle" not in html
