"""Pages, API and commands on a partial month: after one district reported this month the city
reads the latest complete month by default, marks this month "1/38 个区县已报送", and never says
"同比下降95.3%" of it. A malformed ``?month=`` is an error, not another month."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from bangfu.core import reference
from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.core.months import shift_month
from bangfu.monitoring.briefing import month_label
from bangfu.monitoring.clock import current_month
from bangfu.monitoring.completeness import area_districts
from bangfu.monitoring.models import MonthReport
from bangfu.monitoring.services import month_close, months_close_bulk
from bangfu.monitoring.tests.factories import kpi_done, kpi_row
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU

pytestmark = pytest.mark.django_db

THIS = current_month()  # partial: only 丰都 reported, and its deadline is next month
PREV = shift_month(THIS, -1)  # complete: every district reported
ZONE = reference.divisions()[FENGDU]["region_group"]
TOTAL = len(area_districts("50"))


@pytest.fixture
def world():
    """The city and 丰都 in two months; one district's figures make up this month's city row."""
    for month, city, fengdu in ((PREV, 8400, 405), (THIS, 400, 400)):
        kpi_done(month)
        kpi_row(month, "50", "city", "", scale=city, last_year=8500, last_month=8300, target=9000)
        kpi_row(month, ZONE, "region_group", "50", scale=city // 2)
        kpi_row(month, FENGDU, "district", ZONE, scale=fengdu, last_year=410, last_month=404, target=500)
        kpi_row(month, FENGDU_TOWNSHIP, "township", FENGDU, scale=fengdu, last_year=410, last_month=404)
    months_close_bulk(actor=SYSTEM, months=[PREV])
    month_close(actor=SYSTEM, district=FENGDU, month=THIS)


@pytest.fixture
def city_client(client, make_user):
    client.force_login(make_user())
    return client


@pytest.fixture
def fengdu_client(client, make_user):
    client.force_login(make_user("district_officer", FENGDU))
    return client


def h1(html: str) -> str:
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


# ---- default month -------------------------------------------------------------------------------------
def test_the_city_dashboard_defaults_to_the_latest_complete_month(city_client, world):
    html = city_client.get("/monitoring/").content.decode()
    assert month_label(PREV) in h1(html) and month_label(THIS) not in h1(html)
    assert "8,400" in html


def test_a_district_that_reported_defaults_to_its_own_complete_month(fengdu_client, world):
    html = fengdu_client.get("/monitoring/").content.decode()
    assert month_label(THIS) in h1(html)
    assert "-2.4%" in html  # 400 / 410 - 1: 丰都's month is complete, so it compares


def test_the_home_card_shows_the_latest_complete_month(city_client, world):
    html = city_client.get("/").content.decode()
    assert f"{month_label(PREV)}，完成年度目标93%" in html  # 8,400 of 9,000
    assert f"{month_label(THIS)}，" not in html and "个区县已报送" not in html


def test_the_api_defaults_to_the_latest_complete_month_of_the_area(client, make_user, world):
    client.force_login(make_user())
    assert client.get("/api/v1/kpi/summary").json()["month"] == PREV
    assert client.get(f"/api/v1/kpi/summary?area={FENGDU}").json()["month"] == THIS
    client.force_login(make_user("district_officer", FENGDU))
    assert client.get(f"/api/v1/kpi/summary?area={FENGDU}").json()["month"] == THIS


def test_kpi_show_defaults_to_the_latest_complete_month(world, capsys):
    call_command("kpi", "show", "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["month"], data["complete"], data["districts_reported"]) == (PREV, True, TOTAL)


# ---- the partial marker and no yoy from a partial month --------------------------------------------------
def test_the_dashboard_marks_a_partial_month_and_names_the_missing_districts(city_client, world):
    html = city_client.get(f"/monitoring/?month={THIS}").content.decode()
    assert f"1/{TOTAL} 个区县已报送" in html
    assert 'data-month-status="partial"' in html
    missing = html.split('data-month-status="partial"', 1)[1].split("</div>", 1)[0]
    assert "<li>万州区</li>" in missing and "<li>丰都县</li>" not in missing
    assert "万州区" in missing.split('title="', 1)[1].split('"', 1)[0]  # on hover too
    assert f"{month_label(THIS)}（1/{TOTAL} 个区县已报送）" in html  # the month picker


def test_a_partial_month_shows_no_year_on_year_and_says_why(city_client, world):
    html = city_client.get(f"/monitoring/?month={THIS}").content.decode()
    yoy_card = html.split('data-card="yoy"', 1)[1].split("</div>\n  </div>", 1)[0]
    assert '<div class="value">—' in yoy_card
    assert f"本月尚未报送完毕（1/{TOTAL} 个区县已报送），暂不计算同比" in yoy_card
    assert "-95.3%" not in html and "95.3" not in html  # 400 / 8,500 - 1
    assert "较上月" not in html.split('data-card="scale"', 1)[1].split("</div>\n  </div>", 1)[0]


def test_a_complete_month_shows_year_on_year(city_client, world):
    html = city_client.get(f"/monitoring/?month={PREV}").content.decode()
    assert "-1.2%" in html  # 8,400 / 8,500 - 1
    assert 'data-month-status="partial"' not in html


def test_the_district_table_of_a_partial_month_says_who_reported(city_client, world):
    html = city_client.get(f"/monitoring/?month={THIS}").content.decode()
    table = html.split('data-table="areas"', 1)[1].split("</table>", 1)[0]
    assert "报送情况" in table and "已报送" in table
    assert "-2.4" in table  # 丰都 reported: its own year on year stands


def test_the_api_gives_no_yoy_or_mom_of_a_partial_month(city_client, world):
    data = city_client.get(f"/api/v1/kpi/summary?month={THIS}").json()
    assert (data["complete"], data["yoy"], data["districts_reported"], data["districts_total"]) == (
        False, None, 1, TOTAL)
    assert {"code": WANZHOU, "name": "万州区"} in data["missing"]
    row = city_client.get(f"/api/v1/kpi/area?month={THIS}").json()
    assert (row["yoy"], row["mom"], row["complete"]) == (None, None, False)
    trend = {t["month"]: t for t in city_client.get(f"/api/v1/kpi/trend?month={THIS}").json()}
    assert trend[THIS]["yoy"] is None and not trend[THIS]["complete"]
    assert trend[PREV]["yoy"] == -0.0118 and trend[PREV]["complete"]
    status = city_client.get(f"/api/v1/kpi/status?month={THIS}").json()
    assert (status["complete"], status["districts_reported"]) == (False, 1)


def test_the_briefing_of_a_partial_month_says_so_first(city_client, world):
    paragraphs = city_client.get(f"/api/v1/kpi/briefing?month={THIS}").json()["paragraphs"]
    first = paragraphs[0]
    assert first.startswith(f"{month_label(THIS)}务工监测数据尚未报送完毕：全市{TOTAL}个区县中已有1个报送")
    assert "暂不计算同比、环比" in first
    text = "".join(paragraphs)
    assert "同比下降" not in text and "较上月" not in text and "稳定在" not in text


def test_the_briefing_of_a_complete_month_compares(city_client, world):
    first = city_client.get(f"/api/v1/kpi/briefing?month={PREV}").json()["paragraphs"][0]
    assert first.startswith(f"{month_label(PREV)}，全市脱贫人口务工规模8,400人") and "同比下降1.2%" in first


def test_a_month_complete_by_its_deadline_names_who_did_not_report(city_client, world):
    old = shift_month(THIS, -3)
    kpi_done(old)
    kpi_row(old, "50", "city", "", scale=8000, last_year=7900)
    month_close(actor=SYSTEM, district=FENGDU, month=old)
    paragraphs = city_client.get(f"/api/v1/kpi/briefing?month={old}").json()["paragraphs"]
    assert "同比增长1.3%" in paragraphs[0]
    assert paragraphs[-1].startswith("说明：万州区、") and f"等{TOTAL - 1}个区县未在报送截止日" in paragraphs[-1]
    html = city_client.get(f"/monitoring/?month={old}").content.decode()
    assert 'data-month-status="late"' in html and f"{TOTAL - 1} 个区县未报送" in html


def test_kpi_show_json_says_how_complete_the_month_is(world, capsys):
    call_command("kpi", "show", "--month", THIS, "--json")
    data = json.loads(capsys.readouterr().out)
    assert (data["complete"], data["districts_reported"], data["districts_total"], data["yoy"]) == (
        False, 1, TOTAL, None)
    assert len(data["missing"]) == TOTAL - 1 and FENGDU not in {m["code"] for m in data["missing"]}


# ---- a bad ?month= -------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["2024-13", "abc"])
def test_a_bad_month_on_a_page_is_a_visible_chinese_error(city_client, world, value):
    for path in ("/monitoring/", "/monitoring/briefing/", "/monitoring/export/trend/",
                 "/monitoring/briefing/docx/"):
        response = city_client.get(f"{path}?month={value}")
        html = response.content.decode()
        assert response.status_code == 400, path
        assert f"“{value}”不是有效的月份，应为 YYYY-MM，例如 2024-09" in html
        assert month_label(PREV) not in h1(html) and month_label(THIS) not in h1(html)
        assert "8,400" not in html


@pytest.mark.parametrize("value", ["2024-13", "abc", "2024-1"])
def test_a_bad_month_in_the_api_is_a_422(city_client, world, value):
    for path in ("summary", "area", "children", "trend", "briefing", "status"):
        assert city_client.get(f"/api/v1/kpi/{path}?month={value}").status_code == 422, path


# ---- closing from the page, the API and the command line -----------------------------------------------
def test_a_district_officer_sees_the_report_button_and_closes_the_month(client, make_user, world):
    client.force_login(make_user("district_officer", WANZHOU))
    kpi_row(THIS, WANZHOU, "district", "northeast", scale=300)
    html = client.get(f"/monitoring/?month={THIS}").content.decode()
    assert "报送本月数据" in html and "data-confirm=" in html.split("报送本月数据", 1)[0].rsplit("<button", 1)[1]
    response = client.post("/monitoring/report/close/", {"district": WANZHOU, "month": THIS,
                                                          "next": f"/monitoring/?month={THIS}"})
    assert response.status_code == 302 and response["Location"] == f"/monitoring/?month={THIS}"
    assert MonthReport.objects.get(district_code=WANZHOU, month=THIS).is_closed
    html = client.get(f"/monitoring/?month={THIS}").content.decode()
    assert "报送本月数据" not in html and f"已于" in html


def test_a_township_officer_sees_the_report_state_without_the_button(client, make_user, world):
    client.force_login(make_user("township_officer", FENGDU_TOWNSHIP))
    html = client.get(f"/monitoring/?month={THIS}").content.decode()
    assert 'data-report="closed"' in html and "报送本月数据" not in html and "退回重报" not in html


def test_the_city_reopens_a_district_month_from_the_page(city_client, world):
    html = city_client.get(f"/monitoring/?month={THIS}&area={FENGDU}").content.decode()
    assert "退回重报" in html
    city_client.post("/monitoring/report/reopen/", {"district": FENGDU, "month": THIS, "reason": "数据有误"})
    assert not MonthReport.objects.get(district_code=FENGDU, month=THIS).is_closed
    assert AuditLog.objects.filter(action="month_report.reopen").exists()


def test_the_api_closes_and_reopens(client, make_user, world):
    officer = make_user("district_officer", WANZHOU)
    client.force_login(officer)
    url = "/api/v1/kpi/reports/close"
    ok = client.post(url, {"district": WANZHOU, "month": THIS}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "closed" and ok.json()["closed_by"] == officer.username
    again = client.post(url, {"district": WANZHOU, "month": THIS}, content_type="application/json")
    assert again.status_code == 422 and "已报送" in again.json()["detail"]
    assert client.post(url, {"district": FENGDU, "month": THIS},
                       content_type="application/json").status_code == 404  # not the officer's area
    for month in ("2024-13", shift_month(THIS, 1)):
        assert client.post(url, {"district": WANZHOU, "month": month},
                           content_type="application/json").status_code == 422
    reopen = {"district": WANZHOU, "month": THIS, "reason": "重报"}
    refused = client.post("/api/v1/kpi/reports/reopen", reopen, content_type="application/json")
    assert refused.status_code == 403 and "市级" in refused.json()["detail"]
    client.force_login(make_user())
    assert client.post("/api/v1/kpi/reports/reopen", reopen, content_type="application/json").json()[
        "state"] == "reopened"


def test_a_township_officer_cannot_close_through_the_api(client, make_user, world):
    client.force_login(make_user("township_officer", FENGDU_TOWNSHIP))
    response = client.post("/api/v1/kpi/reports/close", {"district": FENGDU, "month": PREV},
                           content_type="application/json")
    assert response.status_code in (403, 404)
    assert response.status_code == 404 or "区县或市级" in response.json()["detail"]


def test_kpi_close_from_the_command_line(world, capsys, make_user):
    call_command("kpi", "close", "--district", WANZHOU, "--month", THIS)
    assert MonthReport.objects.get(district_code=WANZHOU, month=THIS).is_closed
    assert f"（全市 2/{TOTAL} 个区县已报送）" in capsys.readouterr().out
    with pytest.raises(CommandError, match="已报送"):
        call_command("kpi", "close", "--district", WANZHOU, "--month", THIS)
    with pytest.raises(CommandError, match="不是有效的月份"):
        call_command("kpi", "close", "--district", WANZHOU, "--month", "2024-13")
    make_user("township_officer", FENGDU_TOWNSHIP, username="town")
    with pytest.raises(CommandError, match="区县或市级"):
        call_command("kpi", "close", "--district", FENGDU, "--month", PREV, "--user", "town")
    call_command("kpi", "reopen", "--district", WANZHOU, "--month", THIS, "--reason", "重报")
    assert not MonthReport.objects.get(district_code=WANZHOU, month=THIS).is_closed


def test_an_english_user_reads_the_partial_marker_in_english(city_client, world):
    city_client.cookies["django_language"] = "en"
    html = city_client.get(f"/monitoring/?month={THIS}").content.decode()
    assert f"1/{TOTAL} districts reported" in html and "no year-on-year change yet" in html
    bad = city_client.get("/monitoring/?month=2024-13").content.decode()
    assert "“2024-13” is not a month: write YYYY-MM" in bad
