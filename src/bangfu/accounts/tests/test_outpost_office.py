"""外地办事处: a user set up entirely from the pages sees their office's arrears cases and
nothing of the registry (pages and API)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.accounts.tests.factories import TEST_PASSWORD
from bangfu.arrears.models import ArrearsCase, OfficeMember
from bangfu.arrears.tests.conftest import offices  # noqa: F401  (the fixture)
from bangfu.arrears.tests.factories import file_case
from bangfu.core.capabilities import Capability
from bangfu.core.models import AuditLog
from bangfu.registry.models import Household, Person
from bangfu.registry.tests.factories import FENGDU, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(offices):  # noqa: F811
    return {"shenzhen": file_case(work_place_code="4403").case,
            "zhejiang": file_case(work_place_code="3301").case,
            "fengdu": file_case(work_place_code=FENGDU).case}


@pytest.fixture
def outpost_user(client, make_user, offices):  # noqa: F811
    """Created by the city administrator on 用户管理, as an operator would."""
    client.force_login(make_user())
    response = client.post(reverse("accounts:user_create"), {
        "username": "sz_office", "display_name": "深圳办", "role": "outpost_officer", "area_code": "50",
        "office": "SZ", "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()
    client.logout()
    return User.objects.get(username="sz_office")


def test_the_user_is_linked_to_the_office_and_the_link_is_audited(outpost_user):
    assert OfficeMember.objects.get(user=outpost_user).office.code == "SZ"
    assert AuditLog.objects.filter(action="arrears_office.member_set", detail__to="SZ").exists()
    assert outpost_user.has_capability(Capability.HANDLE_ARREARS)
    assert not outpost_user.has_capability(Capability.VIEW_REGISTRY)


def test_they_see_their_office_s_cases_only(client, cases, outpost_user):
    client.force_login(outpost_user)
    page = client.get(reverse("arrears:index")).content.decode()
    assert cases["shenzhen"].number in page
    assert cases["zhejiang"].number not in page and cases["fengdu"].number not in page
    assert client.get(reverse("arrears:case_detail", args=[cases["shenzhen"].number])).status_code == 200
    assert client.get(reverse("arrears:case_detail", args=[cases["fengdu"].number])).status_code == 404
    assert set(ArrearsCase.objects.restrict(outpost_user).values_list("work_place_code", flat=True)) == {"4403"}


def test_they_see_nothing_of_the_registry(client, outpost_user):
    person = PersonFactory()
    client.force_login(outpost_user)
    assert client.get(reverse("registry:person_list")).status_code == 403
    assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code in (403, 404)
    assert client.get(reverse("registry:person_export")).status_code in (403, 404)
    assert client.get("/api/v1/registry/persons").status_code == 403
    assert client.get(f"/api/v1/registry/persons/{person.pk}").status_code in (403, 404)
    assert not Person.objects.restrict(outpost_user).exists()
    assert not Household.objects.restrict(outpost_user).exists()
    menu = client.get(reverse("arrears:index")).content.decode()
    assert reverse("registry:person_list") not in menu


def test_their_home_page_counts_nothing_of_the_registry_even_after_the_city_s(client, make_user, outpost_user):
    """The city administrator's home page caches the city's counts under area 50, the office
    user's area too: the office user must neither read them nor write its own over them."""
    from django.core.cache import cache

    from bangfu.registry.selectors import registry_counts

    cache.clear()
    PersonFactory()
    admin = make_user("city_admin", "50")
    client.force_login(admin)
    assert "脱贫人口和监测对象" in client.get(reverse("home")).content.decode()
    client.force_login(outpost_user)
    assert "脱贫人口和监测对象" not in client.get(reverse("home")).content.decode()
    assert registry_counts(user=outpost_user)["persons"] == 0
    assert registry_counts(user=admin)["persons"] == 1


def test_the_office_is_required_and_must_be_an_out_of_town_office(client, make_user, offices):  # noqa: F811
    client.force_login(make_user())
    for office in ("", f"D{FENGDU}"):
        response = client.post(reverse("accounts:user_create"), {
            "username": f"no_office{office}", "role": "outpost_officer", "area_code": "50", "office": office,
            "password": TEST_PASSWORD})
        assert response.status_code == 200
        assert "驻外劳务办事机构" in response.content.decode()
    assert not User.objects.filter(username__startswith="no_office").exists()


def test_moving_the_user_to_another_office_and_back_to_a_district_role(client, make_user, outpost_user):
    client.force_login(make_user())
    url = reverse("accounts:user_edit", args=[outpost_user.pk])
    assert client.post(url, {"role": "outpost_officer", "area_code": "50", "office": "ZJ",
                             "is_active": "on"}).status_code == 302
    assert OfficeMember.objects.get(user=outpost_user).office.code == "ZJ"
    assert client.post(url, {"role": "district_officer", "area_code": FENGDU, "office": "",
                             "is_active": "on"}).status_code == 302
    assert not OfficeMember.objects.filter(user=outpost_user).exists()
    assert User.objects.get(pk=outpost_user.pk).has_capability(Capability.VIEW_REGISTRY)


def test_the_demo_has_a_shenzhen_office_user_once_the_offices_are_loaded(offices):  # noqa: F811
    from io import StringIO

    from rich.console import Console

    from bangfu.accounts.demo import OUTPOST_USERNAME, demo_users
    from bangfu.core.hooks import DemoContext

    ctx = DemoContext(console=Console(file=StringIO()), people=10)
    demo_users(ctx)
    demo_users(ctx)  # idempotent
    user = User.objects.get(username=OUTPOST_USERNAME)
    assert user.role == "outpost_officer" and OfficeMember.objects.get(user=user).office.code == "SZ"
    assert User.objects.filter(username="admin").count() == 1
