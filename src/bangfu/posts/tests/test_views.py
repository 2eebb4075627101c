"""Pages and API of posts: area isolation (inherited), the attendance import and the exports."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.imports import run_import
from bangfu.core.testing import AreaIsolationCases
from bangfu.posts import choices as c
from bangfu.posts.errors import ERR_NOT_PLACED_THAT_MONTH
from bangfu.posts.importers import IMPORTERS
from bangfu.posts.models import Attendance
from bangfu.posts.tests.factories import PlacementFactory, WelfarePostFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db


class TestWelfarePostAreaIsolation(AreaIsolationCases):
    list_url = "/posts/"
    api_list_url = "/api/v1/posts/posts"

    def make_object(self, district_code, township_code):
        return WelfarePostFactory(district_code=district_code, township_code=township_code,
                                  name=f"岗位{township_code}")

    def detail_url_for(self, obj):
        return reverse("posts:detail", args=[obj.pk])

    def api_detail_url_for(self, obj):
        return f"/api/v1/posts/posts/{obj.pk}"


class TestPlacementAreaIsolation(AreaIsolationCases):
    list_url = "/posts/attendance/"
    list_query = "?month=2024-03"
    api_list_url = "/api/v1/posts/placements"

    def make_object(self, district_code, township_code):
        post = WelfarePostFactory(district_code=district_code, township_code=township_code)
        return PlacementFactory(post=post, person=PersonFactory(district_code=district_code,
                                                                township_code=township_code,
                                                                name=f"在岗{township_code}"))

    def row_marker(self, obj):
        return obj.person.name

    def detail_url_for(self, obj):
        return reverse("posts:eligibility", args=[obj.person_id])

    def api_detail_url_for(self, obj):
        return f"/api/v1/posts/placements/{obj.pk}"


def _sheet(rows: list[list]) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["年月", "安置编号", "证件号码", "姓名", *[f"{d}日" for d in range(1, 32)], "考核等次"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _row(month, placement_id, marks: str, rating="合格") -> list:
    return [month, placement_id, "", "", *[m if m != " " else None for m in marks.ljust(31)], rating]


def test_the_attendance_import_is_all_or_nothing_and_a_reimport_changes_nothing(make_user):
    officer = make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)
    placed = PlacementFactory()
    not_placed = PlacementFactory(contract_start=placed.contract_start.replace(year=2025), planned_end=None)
    good = _row("2024-03", placed.pk, "√√√√√√√√√√事病旷")
    bad = _row("2024-03", not_placed.pk, "√√√")
    result = run_import(IMPORTERS["post_attendance"], _sheet([good, bad]), actor=officer, filename="a.xlsx")
    assert not result.committed and not Attendance.objects.exists()
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (3, "安置编号", _(ERR_NOT_PLACED_THAT_MONTH).format(month="2024-03"))]
    result = run_import(IMPORTERS["post_attendance"], _sheet([good]), actor=officer, filename="a.xlsx")
    assert result.committed and result.created == 1
    record = Attendance.objects.get()
    assert (record.days_present, record.days_personal_leave, record.days_sick_leave, record.days_absent,
            record.rating) == (10, 1, 1, 1, c.Rating.PASS)
    again = run_import(IMPORTERS["post_attendance"], _sheet([good]), actor=officer, filename="a.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_a_mark_on_a_day_the_month_does_not_have_is_refused_with_its_column(make_user):
    officer = make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)
    placed = PlacementFactory()
    result = run_import(IMPORTERS["post_attendance"], _sheet([_row("2024-04", placed.pk, "√" * 31)]), actor=officer,
                        filename="a.xlsx")
    assert [(e.column, e.message) for e in result.errors] == [("31日", "2024-04没有第31日")]


def test_the_attendance_sheet_lists_the_month_roster_with_masked_ids(client, make_user):
    placed = PlacementFactory()
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    response = client.get(reverse("posts:attendance_sheet") + "?month=2024-03")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("年月", "安置编号", "证件号码", "姓名") and len(rows[0]) == 36
    assert rows[1][1] == placed.pk and "*" in rows[1][2] and rows[1][2] != placed.person.id_number


def test_the_exported_attendance_sheet_filled_in_is_imported_by_its_placement_number(client, make_user):
    placed = PlacementFactory()
    officer = make_user(role="district_officer", area_code=FENGDU)
    client.force_login(officer)
    sheet_file = openpyxl.load_workbook(io.BytesIO(client.get(reverse("posts:attendance_sheet") + "?month=2024-03")
                                                  .content))
    sheet = sheet_file.active
    for day in (1, 4, 5):
        sheet.cell(row=2, column=4 + day, value="√")
    sheet.cell(row=2, column=36, value="合格")
    data = io.BytesIO()
    sheet_file.save(data)
    data.seek(0)
    result = run_import(IMPORTERS["post_attendance"], data, actor=officer, filename="考勤表.xlsx")
    assert not result.errors and result.created == 1
    assert Attendance.objects.get(placement=placed, month="2024-03").days_present == 3


def test_the_api_explains_a_persons_eligibility_and_runs_the_pay(client, make_user):
    person = PersonFactory(labour_ability="weak")
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    body = client.get(f"/api/v1/posts/eligibility/{person.pk}").json()
    assert body["eligible"] is True and "弱劳动力或半劳动力" in body["priority_reasons"]
    assert {r["code"] for r in body["rules"]} >= {"age_min", "age_max", "household_not_placed"}
    run = client.post("/api/v1/posts/pay-runs", {"month": "2024-03"}, content_type="application/json")
    assert run.status_code == 200 and run.json()["claims_created"] == 0
    assert client.post("/api/v1/posts/pay-runs", {"month": "2024-13"},
                       content_type="application/json").status_code == 422


@pytest.mark.parametrize("role", ["broker", "auditor"])
def test_a_signed_in_broker_or_auditor_is_refused_the_posts_pages_and_api(client, make_user, role):
    post = WelfarePostFactory()
    client.force_login(make_user(role=role, area_code=FENGDU))
    for url in ("/posts/", reverse("posts:detail", args=[post.pk]), reverse("posts:attendance"),
                reverse("posts:pay"), "/api/v1/posts/posts", f"/api/v1/posts/posts/{post.pk}"):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert post.name not in response.content.decode(), url


def test_an_officer_of_the_district_sees_the_posts_page(client, make_user):
    post = WelfarePostFactory()
    client.force_login(make_user(role="township_officer", area_code=FENGDU_TOWNSHIP))
    assert post.name in client.get("/posts/").content.decode()


def test_the_posts_pages_send_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/posts/")
    assert response.status_code == 302 and "login" in response["Location"]
