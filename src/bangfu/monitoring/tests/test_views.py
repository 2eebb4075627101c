"""The dashboard, its exports, the briefing and the KPI API read only the KPI tables, by area."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from bangfu.core.testing import AreaIsolationCases
from bangfu.monitoring.tests.factories import kpi_done, kpi_row, kpi_township_world
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU

pytestmark = pytest.mark.django_db

MONTH = "2024-09"


class TestKpiAreaIsolation(AreaIsolationCases):
    """A district's KPI rows: only its own officers (and the city) see them."""

    list_url = "/monitoring/"
    list_query = f"?month={MONTH}"

    def make_object(self, district_code, township_code):
        return kpi_township_world(district_code, township_code)

    def row_marker(self, obj):
        return f"{obj.employment_scale:,}"  # 4,321: only in the township's row

    def detail_url_for(self, obj):
        return f"/monitoring/?month={MONTH}&area={obj.area_code}"

    def api_detail_url_for(self, obj):
        return f"/api/v1/kpi/area?month={MONTH}&area={obj.area_code}"


@pytest.fixture
def city_client(client, make_user):
    client.force_login(make_user())
    return client


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    return client


def test_the_city_dashboard_shows_the_headline_cards(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    html = city_client.get(f"/monitoring/?month={MONTH}").content.decode()
    assert "81,300" in html  # 务工规模
    assert "109.1%" in html  # 81,300 / 74,500
    assert "+4.6%" in html  # 81,300 / 77,700 - 1
    assert "77.0%" in html  # wage share
    assert "2024年9月" in html
    assert 'src="/static/vendor/echarts.min.js"' in html


def test_a_month_without_data_says_so_rather_than_showing_zeros(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    kpi_done("2024-10")
    html = city_client.get("/monitoring/?month=2024-10").content.decode()
    assert "暂无数据" in html
    assert "0.0%" not in html


def test_a_district_officer_cannot_open_the_city_or_a_zone(officer_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    assert officer_client.get(f"/monitoring/?month={MONTH}&area=50").status_code == 404
    assert officer_client.get(f"/monitoring/?month={MONTH}&area=northeast").status_code == 404
    assert officer_client.get(f"/monitoring/?month={MONTH}&area={WANZHOU}").status_code == 404


def test_the_district_dashboard_drills_down_to_its_townships(officer_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    html = officer_client.get(f"/monitoring/?month={MONTH}").content.decode()
    assert f"area={FENGDU_TOWNSHIP}" in html
    assert "虎威镇" in html


@pytest.mark.parametrize("table", ["trend", "areas", "place_class"])
def test_every_table_exports_to_excel(city_client, table):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    response = city_client.get(f"/monitoring/export/{table}/?month={MONTH}&area={FENGDU}")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) >= 2
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_an_unknown_table_is_404(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    assert city_client.get(f"/monitoring/export/persons/?month={MONTH}").status_code == 404


def test_the_briefing_page_writes_the_paragraph_from_the_kpi_tables(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    for month in ("2024-03", "2024-04", "2024-05", "2024-06", "2024-07", "2024-08"):
        kpi_row(month, "50", "city", "", scale=81250)
    html = city_client.get(f"/monitoring/briefing/?month={MONTH}").content.decode()
    assert "今年以来，全市脱贫人口务工规模稳定在8.1万人以上，完成年度目标的109%，同比增长4.6%。" in html
    assert "2023年全市脱贫家庭工资性收入占家庭纯收入的77.0%" in html


def test_the_api_summary_has_the_keys_of_kpi_show(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    data = city_client.get(f"/api/v1/kpi/summary?month={MONTH}").json()
    assert set(data) == {"month", "area", "workers", "employment_scale", "employed_ytd", "target",
                         "target_completion", "yoy", "wage_income_share", "by_place_class",
                         "by_channel", "by_region_group", "by_cooperation_region",
                         "complete", "districts_reported", "districts_total", "missing"}
    assert (data["employment_scale"], data["target_completion"], data["yoy"]) == (81300, 1.0913, 0.0463)
    assert data["wage_income_share"] == 0.77


def test_the_api_children_of_a_district_are_its_townships(officer_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    rows = officer_client.get(f"/api/v1/kpi/children?month={MONTH}&area={FENGDU}").json()
    assert [(r["area_code"], r["area_name"]) for r in rows] == [(FENGDU_TOWNSHIP, "虎威镇")]


def test_the_api_refuses_areas_outside_the_user_with_404(officer_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    for path in ("summary", "children", "breakdowns", "trend", "briefing"):
        assert officer_client.get(f"/api/v1/kpi/{path}?month={MONTH}&area=50").status_code == 404


def test_the_api_briefing_returns_chinese_paragraphs(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    data = city_client.get(f"/api/v1/kpi/briefing?month={MONTH}").json()
    assert data["has_data"] and data["paragraphs"][0].startswith("2024年9月，全市脱贫人口务工规模8.1万人")


def test_kpi_show_json_prints_exactly_the_documented_keys(capsys):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    call_command("kpi", "show", "--month", MONTH, "--json")
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["month", "area", "workers", "employment_scale", "employed_ytd", "target",
                          "target_completion", "yoy", "wage_income_share", "by_place_class",
                          "by_channel", "by_region_group", "by_cooperation_region",
                          # the programmes' figures (KPI_FIGURES), in their order
                          "main_metro_jobs_for_other_zones", "jobs_pushed_ytd", "services_ytd",
                          "policy_paid_yuan_ytd", "policy_person_times_ytd", "arrears_leads_ytd",
                          "arrears_on_time_rate", "outpost_offices", "welfare_posts_placed",
                          "welfare_posts_placed_assist_management", "welfare_posts_placed_public_service",
                          "welfare_posts_vacant", "welfare_post_paid_yuan_ytd", "trained_ytd",
                          "trained_certified_ytd", "trained_employed", "trained_ytd_shortage",
                          "trained_ytd_bayu_craftsman", "trained_ytd_yu_jiaren", "trained_ytd_yu_nengren",
                          "pension_on_behalf_persons", "pension_on_behalf_yuan", "insured_vulnerable",
                          "insured_vulnerable_rate", "injury_insured", "ui_reduction_yuan_ytd", "ui_refund_yuan_ytd",
                          "complete", "districts_reported", "districts_total", "missing"]
    assert data["area"] == "50" and data["target_completion"] == 1.0913
    assert data["by_place_class"] == {"out_of_city": 4321}


def test_kpi_show_of_a_month_without_data_prints_nulls(capsys):
    call_command("kpi", "show", "--month", "2020-01", "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["employment_scale"] is None and data["by_channel"] == {}


def test_report_brief_prints_the_paragraph(capsys, tmp_path):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    call_command("report", "brief", "--month", MONTH, "--docx", str(tmp_path / "b.docx"))
    out = capsys.readouterr().out
    assert "全市脱贫人口务工规模8.1万人，完成年度目标的109%，同比增长4.6%" in out
    assert (tmp_path / "b.docx").stat().st_size > 1000


def test_the_home_page_shows_the_employment_scale_of_the_users_area(officer_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    html = officer_client.get("/").content.decode()
    assert "务工规模" in html
    assert "2024年9月，完成年度目标123%" in html  # 丰都's 5,321 of 4,321, not the city's 109%
    assert "完成年度目标109%" not in html


def test_the_person_page_lists_the_persons_employment_months(officer_client):
    from bangfu.monitoring.tests.factories import EmploymentMonthFactory

    month = EmploymentMonthFactory(employer_name="深圳市某某电子有限公司")
    html = officer_client.get(f"/registry/persons/{month.person_id}/").content.decode()
    assert "务工情况" in html and "深圳市某某电子有限公司" in html and "深圳市" in html
