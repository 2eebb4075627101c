"""The officers' pages and area scoping: each office sees its cases; others are a 404."""

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.arrears.models import ArrearsCase, Office
from bangfu.arrears.services import case_transition, office_member_set
from bangfu.arrears.tests.factories import file_case, id_number, phone
from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(offices):
    return {
        "shenzhen": file_case(work_place_code="4403").case,
        "zhejiang": file_case(work_place_code="3301").case,
        "fengdu": file_case(work_place_code=FENGDU).case,
        "wanzhou": file_case(work_place_code=WANZHOU).case,
    }


@pytest.fixture
def shenzhen_officer(make_user, offices):
    user = make_user("district_officer", FENGDU)
    office_member_set(user=user, office=Office.objects.get(code="SZ"), actor=SYSTEM)
    return user


def _visible(user) -> set[str]:
    return set(ArrearsCase.objects.restrict(user).values_list("work_place_code", flat=True))


def test_the_city_sees_every_case(cases, make_user):
    assert _visible(make_user("city_admin", "50")) == {"4403", "3301", FENGDU, WANZHOU}


def test_a_district_officer_sees_the_cases_of_their_district_bureau(cases, make_user):
    assert _visible(make_user("district_officer", FENGDU)) == {FENGDU}


def test_an_out_of_town_officer_sees_only_their_office_s_cases(cases, shenzhen_officer):
    assert _visible(shenzhen_officer) == {"4403"}


def test_a_township_officer_sees_no_arrears_case(cases, make_user):
    assert _visible(make_user("township_officer", FENGDU_TOWNSHIP)) == set()


@pytest.mark.parametrize("url_name", ["case_detail", "case_reveal"])
def test_a_case_outside_the_officer_s_scope_is_a_404(client, cases, shenzhen_officer, url_name):
    client.force_login(shenzhen_officer)
    url = reverse(f"arrears:{url_name}", args=[cases["zhejiang"].number])
    response = client.get(url) if url_name == "case_detail" else client.post(url)
    assert response.status_code == 404


def test_acting_on_a_case_outside_the_scope_is_a_404_and_changes_nothing(client, cases, shenzhen_officer):
    client.force_login(shenzhen_officer)
    url = reverse("arrears:case_action", args=[cases["fengdu"].number, "transition"])
    assert client.post(url, {"to_state": "accepted"}).status_code == 404
    assert ArrearsCase.objects.get(pk=cases["fengdu"].pk).state == "received"


def test_the_list_puts_a_poverty_alleviated_worker_first_with_the_accept_clock(client, offices, shenzhen_officer):
    file_case(work_place_code="4403", amount_owed_fen=9_000_000)
    person = PersonFactory()
    top = file_case(work_place_code="4403", amount_owed_fen=300_000, id_number=person.id_number).case
    client.force_login(shenzhen_officer)
    body = client.get(reverse("arrears:index")).content.decode()
    rows = body.split('data-number="')[1:]
    assert rows[0].startswith(top.number)
    assert "脱贫人口" in rows[0] and "剩 5 个工作日" in rows[0]


def test_an_overdue_case_is_shown_in_red(client, offices, make_user):
    case = file_case(received=dt.date(2026, 9, 30)).case
    client.force_login(make_user("city_admin", "50"))
    body = client.get(reverse("arrears:index")).content.decode()
    row = body.split(f'data-number="{case.number}"')[0].rsplit("<tr", 1)[1]
    assert 'class="overdue"' in row
    assert "已超期" in body


def test_the_officer_accepts_records_payment_and_closes_from_the_case_page(client, offices, shenzhen_officer):
    case = file_case(work_place_code="4403").case
    client.force_login(shenzhen_officer)
    act = lambda action, data: client.post(reverse("arrears:case_action", args=[case.number, action]), data)  # noqa: E731
    act("transition", {"to_state": "accepted", "note": ""})
    act("payment", {"amount": "12000", "workers": "1", "note": "", "mark_paid": "on"})
    act("transition", {"to_state": "closed", "note": "约谈用人单位后全额支付"})
    case.refresh_from_db()
    assert (case.state, case.amount_recovered_fen, case.closing_note) == ("closed", 1_200_000, "约谈用人单位后全额支付")
    page = client.get(reverse("arrears:case_detail", args=[case.number])).content.decode()
    assert "已办结" in page and "约谈用人单位后全额支付" in page


def test_a_refused_step_is_reported_not_crashed(client, offices, shenzhen_officer):
    case = file_case(work_place_code="4403").case
    client.force_login(shenzhen_officer)
    response = client.post(reverse("arrears:case_action", args=[case.number, "transition"]),
                           {"to_state": "rejected", "note": ""}, follow=True)
    assert "请填写理由" in response.content.decode()


def test_an_officer_files_a_phone_complaint(client, offices, make_user):
    client.force_login(make_user("district_officer", FENGDU))
    data = {"channel": "phone", "worker_name": "赵六", "id_number": id_number(), "phone": phone(),
            "employer_name": "丰都某某农业公司", "province": "50", "city": FENGDU, "is_construction": "0",
            "period_start": "2026-05", "period_end": "2026-08", "amount_owed": "3000", "workers_affected": "2"}
    response = client.post(reverse("arrears:case_new"), data)
    case = ArrearsCase.objects.get()
    assert response["Location"] == reverse("arrears:case_detail", args=[case.number])
    assert (case.channel, case.office.code, case.created_by.role) == ("phone", f"D{FENGDU}", "district_officer")


def test_revealing_the_full_phone_is_audited(client, offices, make_user):
    worker_phone = phone()
    case = file_case(phone=worker_phone).case
    client.force_login(make_user("city_admin", "50"))
    response = client.post(reverse("arrears:case_reveal", args=[case.number]))
    assert worker_phone in response.content.decode()
    log = AuditLog.objects.get(action="arrears_case.view_full_pii")
    assert worker_phone not in str(log.detail)


def test_the_export_is_masked_and_audited(client, cases, make_user):
    client.force_login(make_user("city_admin", "50"))
    response = client.get(reverse("arrears:export") + "?state=all")
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 5
    assert all("*" in row[5] for row in rows[1:])
    assert AuditLog.objects.filter(action="arrears_case.export").count() == 1


def test_the_figures_and_offices_pages_render(client, cases, make_user):
    admin = make_user("city_admin", "50")
    case_transition(case=cases["fengdu"], to_state="accepted", actor=admin)
    client.force_login(admin)
    figures = client.get(reverse("arrears:figures"))
    assert figures.status_code == 200 and b"arrears-chart-data" in figures.content
    assert "重庆市驻深圳劳务办事处" in figures.content.decode()
    offices = client.get(reverse("arrears:offices")).content.decode()
    assert "重庆市驻广东劳务办事处" in offices and "深圳市" in offices


def test_officer_pages_need_a_login(client, cases):
    for name in ("index", "figures", "offices", "case_new"):
        assert client.get(reverse(f"arrears:{name}")).status_code == 302
