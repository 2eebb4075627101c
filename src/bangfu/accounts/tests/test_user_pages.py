"""用户管理: the area from the division tree, roles from the table, the password reset, the area tree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.accounts.models import AccessRole, User
from bangfu.accounts.tests.factories import TEST_PASSWORD
from bangfu.core.models import AuditLog
from bangfu.core.scoping import DataScope

pytestmark = pytest.mark.django_db

FENGDU, FENGDU_TOWN, WANZHOU = "500230", "500230001", "500101"


def test_the_form_offers_the_area_tree_and_the_roles_of_the_table(client, make_user):
    AccessRole.objects.create(code="night_watch", name="值班员", data_scope=DataScope.AREA)
    client.force_login(make_user())
    page = client.get(reverse("accounts:user_create")).content.decode()
    assert '<option value="500230">' in page and "丰都县" in page
    assert '<option value="500230001">' in page and "三合街道" in page
    assert "值班员" in page and "外地办事处" in page


def test_a_district_administrator_picks_only_areas_of_their_district(client, make_user):
    AccessRole.objects.create(code="district_admin", name="区县管理员", capabilities=["users.manage"],
                              data_scope=DataScope.AREA, area_level="district")
    client.force_login(make_user("district_admin", FENGDU))
    page = client.get(reverse("accounts:user_create")).content.decode()
    assert '<option value="500230001">' in page
    assert '<option value="500101">' not in page and '<option value="50">' not in page
    response = client.post(reverse("accounts:user_create"), {
        "username": "wz1", "role": "township_officer", "area_code": "500101001", "password": TEST_PASSWORD})
    assert response.status_code == 200 and not User.objects.filter(username="wz1").exists()


def test_the_role_s_area_level_is_checked(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("accounts:user_create"), {
        "username": "town1", "role": "township_officer", "area_code": FENGDU, "password": TEST_PASSWORD})
    assert "角色与区域级别不符" in response.content.decode()
    response = client.post(reverse("accounts:user_create"), {
        "username": "town1", "role": "township_officer", "area_code": FENGDU_TOWN, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(username="town1").area_code == FENGDU_TOWN


def test_the_password_reset_is_shown_once_works_and_is_audited(client, make_user):
    target = make_user("district_officer", FENGDU, username="reset_me")
    client.force_login(make_user())
    response = client.post(reverse("accounts:user_password_reset", args=[target.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    password = html.split('class="new-password"')[1].split(">", 1)[1].split("<", 1)[0]
    assert len(password) == 12
    target.refresh_from_db()
    assert target.check_password(password) and not target.check_password(TEST_PASSWORD)
    row = AuditLog.objects.get(action="user.password_reset")
    assert row.detail == {"username": "reset_me"} and password not in str(row.detail)
    assert client.get(reverse("accounts:user_password_reset", args=[target.pk])).status_code == 405


def test_a_district_manager_cannot_reset_a_user_of_another_district(client, make_user):
    AccessRole.objects.create(code="district_admin", name="区县管理员", capabilities=["users.manage"],
                              data_scope=DataScope.AREA, area_level="district")
    other = make_user("district_officer", WANZHOU)
    client.force_login(make_user("district_admin", FENGDU))
    assert client.post(reverse("accounts:user_password_reset", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.check_password(TEST_PASSWORD)


def test_a_district_manager_cannot_take_over_a_stronger_account_of_their_district(client, make_user):
    """Resetting the password of a user with rights the manager lacks would hand those rights over;
    so would changing that user's area or state."""
    from bangfu.accounts.services import user_reset_password, user_update
    from bangfu.core.actors import Forbidden

    AccessRole.objects.create(code="district_admin", name="区县管理员", capabilities=["users.manage"],
                              data_scope=DataScope.AREA, area_level="district")
    manager = make_user("district_admin", FENGDU)
    stronger = make_user("district_officer", FENGDU)  # holds capabilities a users-only manager lacks
    root = make_user("district_officer", FENGDU, is_superuser=True)
    client.force_login(manager)
    for target in (stronger, root):
        assert client.post(reverse("accounts:user_password_reset", args=[target.pk])).status_code == 403
        target.refresh_from_db()
        assert target.check_password(TEST_PASSWORD)
        with pytest.raises(Forbidden):
            user_update(user=target, actor=manager, is_active=False)
        with pytest.raises(Forbidden):
            user_reset_password(user=target, actor=manager)
    assert not AuditLog.objects.filter(action="user.password_reset").exists()


@pytest.mark.parametrize("role, area", [("district_officer", FENGDU), ("broker", FENGDU), ("auditor", "50"),
                                        ("outpost_officer", "50")])
def test_officers_without_user_management_get_403(client, make_user, role, area):
    target = make_user("district_officer", FENGDU)
    client.force_login(make_user(role, area))
    assert client.get(reverse("accounts:area_tree")).status_code == 403
    assert client.post(reverse("accounts:user_password_reset", args=[target.pk])).status_code == 403


def test_the_area_tree_shows_each_area_s_users_and_their_scope(client, make_user):
    make_user("district_officer", FENGDU, display_name="丰都经办甲")
    make_user("township_officer", FENGDU_TOWN, display_name="三合经办乙")
    client.force_login(make_user(display_name="市管理员"))
    html = client.get(reverse("accounts:area_tree")).content.decode()
    assert "丰都县" in html and "丰都经办甲" in html and "本区县及以下" in html
    assert "三合街道" in html and "三合经办乙" in html and "本乡镇" in html
    assert "名山街道" not in html  # townships without users only on ?all=1
    assert "名山街道" in client.get(reverse("accounts:area_tree") + "?all=1").content.decode()


def test_a_district_administrator_cannot_grant_rights_beyond_their_own(client, make_user):
    AccessRole.objects.create(code="district_admin", name="区县管理员", capabilities=["users.manage", "registry.view", "jobs.service"],
                              data_scope=DataScope.AREA, area_level="district")
    AccessRole.objects.create(code="city_reader", name="全市查看", capabilities=["registry.view"],
                              data_scope=DataScope.ALL)
    target = make_user("broker", FENGDU)
    client.force_login(make_user("district_admin", FENGDU))
    for role in ("city_reader", "district_officer"):  # city-wide scope; capabilities they lack
        response = client.post(reverse("accounts:user_create"), {
            "username": f"new_{role}", "role": role, "area_code": FENGDU, "password": TEST_PASSWORD})
        assert response.status_code == 200 and "不能授予超出本人权限或范围的角色" in response.content.decode()
        response = client.post(reverse("accounts:user_edit", args=[target.pk]), {
            "role": role, "area_code": FENGDU, "is_active": "on"})
        assert response.status_code == 200
    assert not User.objects.filter(username__startswith="new_").exists()
    assert User.objects.get(pk=target.pk).role == "broker"
    response = client.post(reverse("accounts:user_create"), {
        "username": "new_broker", "role": "broker", "area_code": FENGDU, "password": TEST_PASSWORD})
    assert response.status_code == 302
