"""The API: the public endpoints need no login; everything else does and is scoped."""

import json

import pytest

from bangfu.arrears.models import ArrearsCase, Office
from bangfu.arrears.services import office_member_set
from bangfu.arrears.tests.factories import file_case, id_number, phone
from bangfu.core.actors import SYSTEM
from bangfu.registry.tests.factories import FENGDU

pytestmark = pytest.mark.django_db
BASE = "/api/v1/arrears"


def payload(**overrides):
    data = {
        "worker_name": "陈七", "id_number": id_number(), "phone": phone(), "employer_name": "杭州某某服装厂",
        "work_place_code": "3301", "period_start": "2026-02", "period_end": "2026-05",
        "amount_owed_yuan": "15800.50", "workers_affected": 3, "description": "",
    }
    data.update(overrides)
    return data


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_the_public_complaint_endpoint_needs_no_login(client, offices):
    response = post(client, f"{BASE}/public/complaints", payload())
    assert response.status_code == 201, response.content
    body = response.json()
    case = ArrearsCase.objects.get(number=body["number"])
    assert (body["office_name"], case.amount_owed_fen, case.channel) == ("重庆市驻浙江劳务办事处", 1_580_050, "api")


def test_the_public_complaint_endpoint_names_the_bad_fields(client, offices):
    response = post(client, f"{BASE}/public/complaints", payload(id_number="11010519491231002Y", phone="12"))
    assert response.status_code == 422
    assert set(response.json()["detail"]) == {"id_number", "phone"}


def test_the_public_status_endpoint_needs_number_and_phone(client, offices):
    worker_phone = phone()
    case = file_case(phone=worker_phone).case
    ok = post(client, f"{BASE}/public/status", {"number": case.number, "phone": worker_phone})
    wrong = post(client, f"{BASE}/public/status", {"number": case.number, "phone": phone()})
    assert ok.status_code == 200 and ok.json()["state"] == "received"
    assert wrong.status_code == 404 and "state" not in wrong.json()


def test_the_public_endpoints_are_rate_limited(client, offices, settings):
    settings.BANGFU = {**settings.BANGFU, "ARREARS_RATE_LIMITS": {"complaint_ip": (1, 3600)}}
    assert post(client, f"{BASE}/public/complaints", payload()).status_code == 201
    assert post(client, f"{BASE}/public/complaints", payload()).status_code == 429


@pytest.mark.parametrize("method, path", [("get", "/cases"), ("get", "/offices"), ("get", "/figures"),
                                          ("post", "/cases")])
def test_everything_else_needs_a_login(client, offices, method, path):
    response = getattr(client, method)(f"{BASE}{path}", content_type="application/json", data="{}" if method == "post" else None)
    assert response.status_code == 401


def test_the_list_is_scoped_and_masked(client, offices, make_user):
    mine = file_case(work_place_code="4403").case
    file_case(work_place_code="3301")
    officer = make_user("district_officer", FENGDU)
    office_member_set(user=officer, office=Office.objects.get(code="SZ"), actor=SYSTEM)
    client.force_login(officer)
    body = client.get(f"{BASE}/cases").json()
    assert [item["number"] for item in body["items"]] == [mine.number]
    assert "*" in body["items"][0]["id_number_masked"] and body["count"] == 1


def test_a_case_outside_the_scope_is_a_404(client, offices, make_user):
    other = file_case(work_place_code="3301").case
    client.force_login(make_user("district_officer", FENGDU))
    assert client.get(f"{BASE}/cases/{other.number}").status_code == 404
    assert post(client, f"{BASE}/cases/{other.number}/transition", {"to_state": "accepted"}).status_code == 404


def test_an_officer_works_a_case_through_the_api(client, offices, make_user):
    case = file_case(work_place_code=FENGDU).case
    client.force_login(make_user("district_officer", FENGDU))
    accepted = post(client, f"{BASE}/cases/{case.number}/transition", {"to_state": "accepted"})
    assert accepted.status_code == 200 and accepted.json()["finish_due"]
    paid = post(client, f"{BASE}/cases/{case.number}/payments", {"amount_yuan": "12000", "workers": 1})
    assert paid.json()["state"] == "paid"
    refused = post(client, f"{BASE}/cases/{case.number}/transition", {"to_state": "closed", "note": ""})
    assert refused.status_code == 400 and "办结说明" in refused.json()["detail"]
    closed = post(client, f"{BASE}/cases/{case.number}/transition", {"to_state": "closed", "note": "调解后支付"})
    assert closed.json()["state"] == "closed"
    assert closed.json()["priority_reasons"]


def test_an_officer_registers_a_complaint_through_the_api(client, offices, make_user):
    client.force_login(make_user("city_admin", "50"))
    response = post(client, f"{BASE}/cases", payload(channel="phone"))
    assert response.status_code == 201 and response.json()["channel"] == "phone"


def test_offices_and_figures_are_served(client, offices, make_user):
    file_case(work_place_code="4403")
    client.force_login(make_user("city_admin", "50"))
    assert len([o for o in client.get(f"{BASE}/offices").json() if o["kind"] == "outpost"]) == 26
    rows = client.get(f"{BASE}/figures").json()
    assert rows[0]["office_code"] == "SZ" and rows[0]["leads"] == 1


def test_the_public_api_needs_no_csrf_token_because_no_cookie_is_involved(offices):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True), f"{BASE}/public/complaints", payload())
    assert response.status_code == 201


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1e999999", "0", "-3"])
def test_absurd_amounts_are_a_422_not_a_crash(client, offices, amount):
    response = post(client, f"{BASE}/public/complaints", payload(amount_owed_yuan=amount))
    assert response.status_code == 422


@pytest.mark.parametrize("number", ["QX2026\x0010001", "../../etc", "QX" + "9" * 40, ""])
def test_odd_case_numbers_are_a_404(client, offices, number):
    response = post(client, f"{BASE}/public/status", {"number": number, "phone": "13800000000"})
    assert response.status_code in (404, 422)


def test_a_phone_typed_with_spaces_or_country_code_still_finds_the_case(client, offices):
    case = file_case(phone="13912345678").case
    response = post(client, f"{BASE}/public/status", {"number": case.number, "phone": "+86 139 1234 5678"})
    assert response.status_code == 200
