import pytest
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_city_admin_creates_a_district_officer_with_an_audit_row(client, make_user):
    admin = make_user("city_admin", "50")
    client.force_login(admin)
    response = client.post(reverse("accounts:user_create"), {
        "username": "fengdu2", "display_name": "王芳", "role": "district_officer",
        "area_code": "500230", "password": "Quite-long-pw-9",
    })
    assert response.status_code == 302
    created = User.objects.get(username="fengdu2")
    assert created.area_code == "500230" and created.check_password("Quite-long-pw-9")
    assert AuditLog.objects.filter(action="user.create", object_id=str(created.pk)).exists()


def test_role_and_area_level_must_agree(client, make_user):
    client.force_login(make_user("city_admin", "50"))
    response = client.post(reverse("accounts:user_create"), {
        "username": "wrong", "role": "district_officer", "area_code": "500230101",
        "password": "Quite-long-pw-9",
    })
    assert response.status_code == 200
    assert "角色与区域级别不符" in response.content.decode()
    assert not User.objects.filter(username="wrong").exists()


def test_users_of_another_district_are_not_found(client, make_user):
    other = make_user("township_officer", "500101001")
    manager = make_user("city_admin", "50")
    manager.area_code = "500230"  # a district-level manager (superuser-like capabilities via role)
    manager.save()
    client.force_login(manager)
    assert client.get(reverse("accounts:user_edit", args=[other.pk])).status_code == 404
    assert other.username not in client.get(reverse("accounts:user_list")).content.decode()


def test_officers_without_the_capability_cannot_open_user_management(client, make_user):
    client.force_login(make_user("district_officer", "500230"))
    assert client.get(reverse("accounts:user_list")).status_code == 403
