"""Journeys 1 and 2 of USERS.md in a real browser (Playwright + Debian's Chromium against the
live server), each ending on the page the user checks, with a screenshot kept
(``$BANGFU_VAR/screenshots``):

1. Monthly close: a district officer downloads the template, fills the month, uploads it, reads
   "12 行，2 个错误" with each error in Chinese, fixes the file, imports it, reports (报送) the
   month, and the dashboard shows the month with its change from last month.
2. Briefing: the city administrator picks September, reads the paragraph and the charts, and
   downloads the Word briefing, which is the official document (重庆市, A4, the charts inside).
"""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from bangfu.core.actors import SYSTEM
from bangfu.core.imports.tests.files import xlsx_bytes
from bangfu.monitoring.services import kpi_fill, month_close, months_close_bulk
from bangfu.monitoring.tests.factories import EmploymentMonthFactory, TargetFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.testing.browser import login, shot

pytestmark = pytest.mark.browser

AUGUST, SEPTEMBER = "2024-08", "2024-09"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def month_rows(headers: list[str], persons, month: str) -> list[list]:
    """One row per person, filled as a village sheet would be (out of the city, migrant work)."""
    rows = []
    for person in persons:
        values = {"证件号码": person.id_number, "姓名": person.name, "年月": month, "务工地点类型": "市外",
                  "务工地区代码": "4403", "就业渠道": "外出务工", "务工单位": "深圳市某电子有限公司",
                  "岗位": "电子设备装配工", "月收入": "5200"}
        rows.append([values.get(h, "") for h in headers])
    return rows


def upload(page, live_url: str, path, *, mode: str) -> None:
    page.goto(f"{live_url}/imports/")
    page.select_option("select[name=kind]", "employment")
    page.set_input_files("input[name=file]", str(path))
    page.check(f"input[name=mode][value={mode}]")
    page.get_by_role("button", name="上传并开始").click()
    page.wait_for_selector("#import-job-status h2.summary")


def test_journey_1_a_district_closes_its_month_from_the_template_to_the_dashboard(
        live_url, page, make_user, test_password, tmp_path, settings):
    settings.TASKS = IMMEDIATE  # the fill an import asks for runs at once (a worker does it in production)
    persons = [PersonFactory(township_code=FENGDU_TOWNSHIP) for _ in range(12)]
    for person in persons[:10]:
        EmploymentMonthFactory(person=person, month=AUGUST)
    TargetFactory(area_code=FENGDU, year=2024, employment_target=20)
    kpi_fill(actor=SYSTEM)
    month_close(actor=SYSTEM, district=FENGDU, month=AUGUST)
    make_user("district_officer", FENGDU, username="fengdu")
    login(page, live_url, "fengdu", test_password)

    # the template, as downloaded
    page.goto(f"{live_url}/imports/")
    with page.expect_download() as info:
        page.locator("a[href$='/imports/template/employment/']").click()
    template = tmp_path / "template.xlsx"
    info.value.save_as(template)
    headers = [c for c in next(load_workbook(template).worksheets[0].iter_rows(values_only=True)) if c]
    assert {"证件号码", "年月", "务工地点类型", "就业渠道"} <= set(headers)

    # the month pasted in, with two mistakes
    rows = month_rows(headers, persons, SEPTEMBER)
    rows[3][headers.index("年月")] = "2024-13"
    rows[8][headers.index("务工地点类型")] = "火星"
    sheet = tmp_path / "丰都县9月务工.xlsx"
    sheet.write_bytes(xlsx_bytes([headers, *rows]))
    upload(page, live_url, sheet, mode="dry_run")
    assert page.locator("#import-job-status h2.summary").inner_text() == "12 行，2 个错误"
    errors = page.locator("main").inner_text()
    assert "2024-13" in errors and "火星" in errors
    shot(page, "journey1-errors")

    # fixed and imported for real
    rows[3][headers.index("年月")] = SEPTEMBER
    rows[8][headers.index("务工地点类型")] = "市外"
    sheet.write_bytes(xlsx_bytes([headers, *rows]))
    upload(page, live_url, sheet, mode="import")
    assert page.locator("#import-job-status h2.summary").inner_text() == "12 行，0 个错误"
    assert "导入完成" in page.locator("#import-job-status").inner_text()

    # reported, and the dashboard has the month with the change from August
    page.goto(f"{live_url}/monitoring/?month={SEPTEMBER}")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="报送本月数据").click()
    page.wait_for_selector("ul.messages li.success")
    page.goto(f"{live_url}/monitoring/?month={SEPTEMBER}")
    assert "2024年9月" in page.locator("h1").inner_text()
    assert page.locator("[data-card=scale] .value").inner_text().startswith("12")
    assert "2" in page.locator("[data-card=scale] .foot").inner_text()  # 较上月 +2 (10 in August)
    assert page.locator("[data-card=target] .value").inner_text() == "60.0%"
    assert page.locator("[data-month-status=partial]").count() == 0
    shot(page, "journey1-dashboard")


def test_journey_2_the_city_reads_septembers_briefing_and_downloads_the_document(
        live_url, page, make_user, test_password, tmp_path):
    for month, count in ((AUGUST, 6), (SEPTEMBER, 8)):
        for i in range(count):
            township, district = (FENGDU_TOWNSHIP, FENGDU) if i % 2 else (WANZHOU_TOWNSHIP, WANZHOU)
            EmploymentMonthFactory(person=PersonFactory(district_code=district, township_code=township),
                                   month=month)
    TargetFactory(area_code="50", year=2024, employment_target=10)
    kpi_fill(actor=SYSTEM)
    months_close_bulk(actor=SYSTEM, months=[AUGUST, SEPTEMBER])
    make_user("city_admin", "50", username="city")
    login(page, live_url, "city", test_password)

    page.goto(f"{live_url}/monitoring/briefing/")
    page.select_option("select[name=month]", SEPTEMBER)
    page.wait_for_url(f"**month={SEPTEMBER}**")
    body = page.locator("main").inner_text()
    assert "重庆市" in body and "2024年9月" in body and "务工规模" in body
    assert page.locator("#chart-trend canvas").count() == 1  # ECharts drew the trend
    shot(page, "journey2-briefing")

    with page.expect_download() as info:
        page.get_by_role("link", name="下载Word简报").click()
    docx = tmp_path / "briefing.docx"
    info.value.save_as(docx)
    with zipfile.ZipFile(io.BytesIO(docx.read_bytes())) as package:
        document = package.read("word/document.xml").decode("utf-8")
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert "重庆市" in document and "2024年9月" in document
    assert 'w:w="11906"' in document and 'w:h="16838"' in document  # A4 in twentieths of a point
    assert media  # the dashboard's charts, drawn on the server
