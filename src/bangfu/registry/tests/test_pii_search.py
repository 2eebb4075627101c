"""Searching by full ID number or phone: in a POST body only, audited without the value, capped."""

import pytest
from django.urls import reverse

from bangfu.core.models import AuditLog
from bangfu.registry.pii_services import ERR_PII_SEARCH_LIMIT
from bangfu.registry.tests.factories import FENGDU, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db

SEARCH = "/api/v1/registry/persons/search"


@pytest.fixture
def broker(client, make_user):
    client.force_login(make_user(role="broker", area_code=FENGDU))
    return client


def search(client, **body):
    return client.post(SEARCH, body, content_type="application/json")


def test_the_api_finds_a_person_by_id_number_or_phone_in_the_body(broker):
    wanted = PersonFactory(name="要找的人", phone="13700002222")
    PersonFactory(name="别的人")
    by_id = search(broker, id_number=wanted.id_number)
    by_phone = search(broker, phone="13700002222")
    assert by_id.status_code == by_phone.status_code == 200
    assert [p["name"] for p in by_id.json()] == [p["name"] for p in by_phone.json()] == ["要找的人"]
    assert wanted.id_number not in by_id.content.decode()
    assert "birth_date" not in by_id.json()[0]


def test_each_search_is_audited_with_its_kind_and_result_never_the_value(broker):
    wanted = PersonFactory(phone="13700003333")
    search(broker, id_number=wanted.id_number)
    search(broker, phone="13799999999")
    logs = list(AuditLog.objects.filter(action="person.search_pii").order_by("id"))
    assert [log.detail for log in logs] == [{"kind": "id_number", "found": 1}, {"kind": "phone", "found": 0}]
    assert all(wanted.id_number not in str(log.detail) and "13799999999" not in str(log.detail) for log in logs)


def test_a_search_outside_the_users_area_finds_nothing(client, make_user):
    person = PersonFactory()
    client.force_login(make_user(role="district_officer", area_code=WANZHOU))
    response = search(client, id_number=person.id_number)
    assert response.status_code == 200 and response.json() == []


@pytest.mark.parametrize("body", [{}, {"id_number": "50023019850601001X", "phone": "13700001111"},
                                  {"id_number": "5002301985"}, {"phone": "2370000111"}])
def test_a_search_needs_exactly_one_well_formed_value(broker, body):
    assert search(broker, **body).status_code == 422
    assert not AuditLog.objects.filter(action="person.search_pii").exists()


@pytest.mark.parametrize("value", ["id", "phone"])
def test_the_api_refuses_a_full_id_number_or_phone_as_a_query_parameter(broker, value):
    person = PersonFactory(phone="13700004444")
    q = person.id_number if value == "id" else person.phone
    response = broker.get("/api/v1/registry/persons", {"q": q})
    assert response.status_code == 422
    assert "q" in {str(e["loc"][-1]) for e in response.json()["detail"]}
    assert q not in response.content.decode()


def test_a_name_is_still_a_query_parameter(broker):
    PersonFactory(name="张三丰")
    body = broker.get("/api/v1/registry/persons", {"q": "三丰"}).json()
    assert [p["name"] for p in body["items"]] == ["张三丰"]


def test_searches_by_full_value_are_capped_per_user_and_day(broker, settings):
    settings.BANGFU = {**settings.BANGFU, "PII_SEARCH_DAILY_LIMIT": 2}
    person = PersonFactory()
    assert search(broker, id_number=person.id_number).status_code == 200
    assert search(broker, phone="13711112222").status_code == 200
    refused = search(broker, id_number=person.id_number)
    assert refused.status_code == 429 and refused.json()["detail"] == ERR_PII_SEARCH_LIMIT.format(limit=2)
    # the page shares the cap: the search is refused with the message, nothing else is searched
    response = broker.post(reverse("registry:person_list"), {"q": person.id_number}, follow=True)
    assert ERR_PII_SEARCH_LIMIT.format(limit=2) in response.content.decode()
    assert "qh=" not in response.redirect_chain[-1][0]
    assert AuditLog.objects.filter(action="person.search_pii").count() == 2


def test_the_cap_counts_each_user_apart(client, make_user, settings):
    settings.BANGFU = {**settings.BANGFU, "PII_SEARCH_DAILY_LIMIT": 1}
    person = PersonFactory()
    for _ in range(2):
        client.force_login(make_user(role="broker", area_code=FENGDU))
        assert search(client, id_number=person.id_number).status_code == 200


def test_a_page_search_by_name_is_a_plain_query_string_and_is_not_audited(broker):
    PersonFactory(name="李四")
    response = broker.post(reverse("registry:person_list"), {"q": "李四", "category": "alleviated"})
    assert response["Location"].endswith("?category=alleviated&q=%E6%9D%8E%E5%9B%9B")
    assert not AuditLog.objects.filter(action="person.search_pii").exists()


def test_a_hashed_search_survives_paging_and_a_new_name_search_replaces_it(broker):
    wanted = PersonFactory(name="要找的人", phone="13700005555")
    PersonFactory(name="别的人")
    location = broker.post(reverse("registry:person_list"), {"q": "13700005555"})["Location"]
    html = broker.get(location).content.decode()
    assert "要找的人" in html and "别的人" not in html and "13700005555" not in html
    qh = location.split("qh=")[1]
    again = broker.post(reverse("registry:person_list"), {"q": "别的", "qh": qh})["Location"]
    assert "qh=" not in again and "别的人" in broker.get(again).content.decode()
    assert wanted.id_number not in html
