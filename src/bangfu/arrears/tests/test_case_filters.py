"""The case list's one FilterSet: the page, the Excel export and the API select the same cases,
within the user's sight, and refuse the same values (a Chinese error on the page, a 422)."""

import datetime as dt
import re
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.arrears import choices as c
from bangfu.arrears import selectors
from bangfu.arrears.filters import CaseFilterSet
from bangfu.arrears.models import ArrearsCase, Office
from bangfu.arrears.services import case_transition, office_member_set
from bangfu.arrears.tests.factories import file_case
from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.registry.tests.factories import FENGDU

pytestmark = pytest.mark.django_db
API = "/api/v1/arrears/cases"
JULY, AUGUST = dt.date(2026, 7, 6), dt.date(2026, 8, 3)


@pytest.fixture
def cases(offices):
    return {
        "sz_july_small": file_case(work_place_code="4403", received=JULY, amount_owed_fen=300_000).case,
        "sz_july_large": file_case(work_place_code="4403", received=JULY, amount_owed_fen=900_000,
                                   employer_name="深圳某某电子厂").case,
        "sz_august": file_case(work_place_code="4403", received=AUGUST).case,
        "zj_july": file_case(work_place_code="3301", received=JULY).case,
        "fengdu_july": file_case(work_place_code=FENGDU, received=JULY).case,
    }


@pytest.fixture
def admin(make_user):
    return make_user("city_admin", "50")


@pytest.fixture
def shenzhen_officer(make_user, offices):
    user = make_user("district_officer", FENGDU)
    office_member_set(user=user, office=Office.objects.get(code="SZ"), actor=SYSTEM)
    return user


def page_numbers(client, query: str) -> list[str]:
    response = client.get(reverse("arrears:index") + "?" + query)
    assert response.status_code == 200
    return re.findall(r'data-number="([A-Z0-9]+)"', response.content.decode())


def export_numbers(client, query: str) -> list[str]:
    response = client.get(reverse("arrears:export") + "?" + query)
    assert response.status_code == 200, response.get("Location")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    return [row[0] for row in rows[1:]]


def api_numbers(client, query: str) -> list[str]:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


@pytest.mark.parametrize("query, expected", [
    ("office=SZ&month=2026-07&sort=amount", ["sz_july_large", "sz_july_small"]),
    ("state=all&month=2026-08", ["sz_august"]),
    ("q=电子厂", ["sz_july_large"]),
    ("office=ZJ&sort=received", ["zj_july"]),
])
def test_the_page_the_export_and_the_api_give_the_same_cases(client, cases, admin, query, expected):
    client.force_login(admin)
    numbers = [cases[name].number for name in expected]
    assert page_numbers(client, query) == numbers
    assert export_numbers(client, query) == numbers
    assert api_numbers(client, query) == numbers


def test_the_default_is_the_open_cases_by_priority(cases, admin):
    case_transition(case=cases["zj_july"], to_state="rejected", actor=admin, note="不属于受理范围")
    expected = list(ArrearsCase.objects.filter(state__in=c.OPEN_STATES).by_priority())
    assert len(expected) == 4
    assert list(selectors.case_list(user=admin)) == expected
    assert list(selectors.case_list(user=admin, data={"page": "1"})) == expected
    assert list(selectors.case_list(user=admin, data={"state": "final"})) == [cases["zj_july"]]


@pytest.mark.parametrize("sort, key", [
    ("received", lambda c: (-c.received_at.timestamp(), -c.pk)),
    ("amount", lambda c: (-c.amount_owed_fen, -c.pk)),
    ("due", lambda c: (c.accept_due, c.finish_due or dt.date.max, c.pk)),
])
def test_each_sort_order(cases, admin, sort, key):
    listed = list(selectors.case_list(user=admin, data={"state": "all", "sort": sort}))
    assert listed == sorted(listed, key=key) and len(listed) == 5


def test_control_characters_are_stripped_and_values_cut_at_100(cases, admin):
    typed = CaseFilterSet({"q": "\x00电子\x7f厂\n", "office": "SZ\x1b"}, user=admin)
    assert (typed.values["q"], typed.values["office"]) == ("电子厂", "SZ")
    assert list(typed.qs) == [cases["sz_july_large"]]
    assert len(CaseFilterSet({"q": "厂" * 500}, user=admin).values["q"]) == 100


def test_the_office_choices_are_the_offices_the_user_may_see(cases, shenzhen_officer, admin):
    assert [code for code, _ in CaseFilterSet(None, user=shenzhen_officer).form.fields["office"].choices
            if code] == ["SZ"]
    assert len(CaseFilterSet(None, user=admin).offices) == Office.objects.count()


def test_a_filter_never_reaches_outside_the_area(client, cases, shenzhen_officer):
    client.force_login(shenzhen_officer)
    assert sorted(api_numbers(client, "state=all")) == sorted(
        cases[n].number for n in ("sz_july_small", "sz_july_large", "sz_august"))
    # Another office's code is not a choice: refused, never a list of that office's cases.
    assert page_numbers(client, "office=ZJ") == page_numbers(client, "")
    assert client.get(f"{API}?office=ZJ").status_code == 422
    assert client.get(reverse("arrears:case_detail", args=[cases["zj_july"].number])).status_code == 404
    assert list(CaseFilterSet({"state": "all", "q": cases["zj_july"].number}, user=shenzhen_officer).qs) == []


@pytest.mark.parametrize("query, field", [("state=nonsense", "state"), ("office=nowhere", "office"),
                                          ("sort=name", ""), ("month=2026-13", "")])
def test_a_refused_value_is_a_chinese_error_on_the_page_and_a_422_in_the_api(client, cases, admin, query, field):
    client.force_login(admin)
    page = client.get(reverse("arrears:index") + "?" + query).content.decode()
    errors = re.search(r'<ul class="errorlist" role="alert">(.*?)</ul>', page, re.S)
    assert errors and re.search(r"[\u4e00-\u9fff]{4}", errors.group(1))
    response = client.get(f"{API}?{query}")
    assert response.status_code == 422
    if field:  # refused by the FilterSet itself (the others already by the API's schema)
        assert list(response.json()["detail"]) == [field]


def test_the_page_without_a_refused_value_shows_no_error(client, cases, admin):
    client.force_login(admin)
    assert "errorlist" not in client.get(reverse("arrears:index") + "?state=all&month=2026-07").content.decode()


def test_an_export_with_a_refused_value_exports_nothing_and_goes_back_to_the_page(client, cases, admin):
    client.force_login(admin)
    response = client.get(reverse("arrears:export") + "?state=all&office=nowhere")
    assert response.status_code == 302 and response["Location"].endswith("?state=all&office=nowhere")
    assert not AuditLog.objects.filter(action="arrears_case.export").exists()


def test_the_export_audit_row_names_the_filters(client, cases, admin):
    client.force_login(admin)
    export_numbers(client, "office=SZ&month=2026-07")
    detail = AuditLog.objects.get(action="arrears_case.export").detail
    assert detail == {"rows": 2, "filters": {"state": "open", "office": "SZ", "month": "2026-07",
                                             "sort": "priority"}}
