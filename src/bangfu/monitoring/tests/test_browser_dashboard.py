"""A district officer opens the dashboard in a real browser, sees only the district, drills to a
township and exports a table to Excel (Playwright + Debian's Chromium against the live server)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from bangfu.core.actors import SYSTEM
from bangfu.monitoring.services import kpi_fill
from bangfu.monitoring.tests.factories import EmploymentMonthFactory, TargetFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.browser

SHETAN = "500230102"  # 社坛镇, another township of 丰都县


def test_a_district_officer_drills_from_the_district_to_a_township_and_exports(
        live_url, page, make_user, test_password, tmp_path):
    for township, count in ((FENGDU_TOWNSHIP, 3), (SHETAN, 2)):
        for _ in range(count):
            EmploymentMonthFactory(person=PersonFactory(township_code=township), month="2024-09")
    for _ in range(7):  # 万州: more people than 丰都, never shown to 丰都's officer
        EmploymentMonthFactory(person=PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP),
                               month="2024-09", place_class="in_county", destination_code="")
    TargetFactory(area_code=FENGDU, year=2024, employment_target=4)
    kpi_fill(actor=SYSTEM)
    make_user("district_officer", FENGDU, username="fengdu_officer")

    page.goto(f"{live_url}/accounts/login/")
    page.fill("input[name=username]", "fengdu_officer")
    page.fill("input[name=password]", test_password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/")

    page.goto(f"{live_url}/monitoring/")
    assert "丰都县" in page.locator("h1").inner_text()
    assert "2024年9月" in page.locator("h1").inner_text()
    scale = page.locator("[data-card=scale] .value").inner_text()
    assert scale.startswith("5")  # 丰都's five, not the city's twelve
    assert page.locator("[data-card=target] .value").inner_text() == "125.0%"
    assert "万州" not in page.locator("main").inner_text()
    assert page.locator("#chart-areas canvas").count() == 1  # ECharts drew the township bars

    page.locator("table[data-table=areas] a.drill", has_text="虎威镇").click()
    page.wait_for_url(f"**area={FENGDU_TOWNSHIP}**")
    assert "虎威镇" in page.locator("h1").inner_text()
    assert page.locator(".drill-path").inner_text().startswith("丰都县")
    assert page.locator("[data-card=scale] .value").inner_text().startswith("3")

    with page.expect_download() as info:
        page.locator("a[href*='/monitoring/export/place_class/']").click()
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    rows = list(load_workbook(io.BytesIO(path.read_bytes())).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("务工地点", "务工人数（人）", "占比（%）")
    assert rows[1] == ("市外", 3, 100.0)
