"""In a real browser: the city opens the dashboard on its latest complete month, picks this month
and sees "1/38 个区县已报送" with the missing districts; 万州's officer reports the month
("报送本月数据", confirmed); the city then reads "2/38" (Playwright + Debian's Chromium)."""

from __future__ import annotations

import pytest

from bangfu.core import reference
from bangfu.core.actors import SYSTEM
from bangfu.core.months import shift_month
from bangfu.monitoring.briefing import month_label
from bangfu.monitoring.clock import current_month
from bangfu.monitoring.completeness import area_districts
from bangfu.monitoring.services import month_close, months_close_bulk
from bangfu.monitoring.tests.factories import kpi_done, kpi_row
from bangfu.registry.tests.factories import FENGDU, WANZHOU
from bangfu.testing.browser import login

pytestmark = pytest.mark.browser

THIS = current_month()
PREV = shift_month(THIS, -1)


def test_the_city_sees_how_many_districts_reported_and_a_district_reports(
        live_url, page, make_user, test_password):
    total = len(area_districts("50"))
    for month, scale in ((PREV, 8400), (THIS, 400)):
        kpi_done(month)
        kpi_row(month, "50", "city", "", scale=scale, last_year=8500, last_month=8300, target=9000)
        for code in (FENGDU, WANZHOU):
            zone = reference.divisions()[code]["region_group"]
            kpi_row(month, code, "district", zone, scale=scale // 2, last_year=410)
    months_close_bulk(actor=SYSTEM, months=[PREV])
    month_close(actor=SYSTEM, district=FENGDU, month=THIS)
    make_user("city_admin", "50", username="city")
    make_user("district_officer", WANZHOU, username="wanzhou")

    login(page, live_url, "city", test_password)
    page.goto(f"{live_url}/monitoring/")
    assert month_label(PREV) in page.locator("h1").inner_text()  # the latest complete month
    assert page.locator("[data-month-status=partial]").count() == 0

    page.select_option("select[name=month]", THIS)  # the picker submits on change
    page.wait_for_url(f"**month={THIS}**")
    marker = page.locator("[data-month-status=partial]")
    assert marker.locator(".reported").inner_text() == f"1/{total} 个区县已报送"
    assert "万州区" in marker.get_attribute("title")
    assert "—" in page.locator("[data-card=yoy] .value").inner_text()
    marker.locator("summary").click()
    assert marker.locator("ul.missing li", has_text="万州区").is_visible()
    assert marker.locator("ul.missing li", has_text="丰都县").count() == 0

    page.context.clear_cookies()
    login(page, live_url, "wanzhou", test_password)
    page.goto(f"{live_url}/monitoring/?month={THIS}")
    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="报送本月数据").click()
    page.wait_for_selector("ul.messages li.success")
    assert "万州区" in messages[0]
    assert page.locator("[data-report=closed]").count() == 1

    page.context.clear_cookies()
    login(page, live_url, "city", test_password)
    page.goto(f"{live_url}/monitoring/?month={THIS}")
    assert page.locator("[data-month-status=partial] .reported").inner_text() == f"2/{total} 个区县已报送"
