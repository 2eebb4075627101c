"""In a real browser: 丰都县's township officer opens 社会保险 from the menu, finds a person who
should be insured and is not, records a follow-up, and sees the gap leave the list once the next
insured list (a real Excel file, uploaded through 数据导入's service) covers the person."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import xlsx_bytes
from bangfu.insurance.importers import IMPORTERS
from bangfu.insurance.services import coverage_refresh
from bangfu.registry.tests.factories import FENGDU_TOWNSHIP, PersonFactory
from bangfu.testing.browser import login, shot

pytestmark = pytest.mark.browser


def test_a_township_officer_follows_up_a_gap_until_the_next_list_closes_it(live_url, page, make_user, test_password):
    person = PersonFactory(name="刘未保", birth_date=dt.date(1988, 5, 1))
    coverage_refresh(actor=SYSTEM, year=2024, today=dt.date(2024, 6, 30))
    make_user("township_officer", FENGDU_TOWNSHIP, username="sanhe")
    login(page, live_url, "sanhe", test_password)

    page.get_by_role("link", name="社会保险").first.click()
    page.wait_for_url(f"{live_url}/insurance/")
    rows = page.locator("#gaps tbody tr", has_text="刘未保")
    assert rows.count() == 2  # pension and medical
    assert person.id_number not in page.content() and person.id_number[:6] + "*" * 12 in page.content()
    shot(page, "insurance-gaps")
    rows.filter(has_text="养老").get_by_role("link", name="刘未保").click()
    page.wait_for_url("**/insurance/gaps/*/")
    page.select_option("select[name=outcome]", "contacted")
    page.fill("input[name=note]", "已入户宣传参保政策")
    page.get_by_role("button", name="登记跟进").click()
    page.wait_for_selector("ul.messages li.success")
    assert "已入户宣传参保政策" in page.locator("#follow-ups").inner_text()
    shot(page, "insurance-gap-follow-up")

    officer = make_user("district_officer", "500230", username="fengdu")
    head = ["证件号码", "姓名", "险种", "参保年度", "缴费档次（元）", "是否政府代缴"]
    result = run_import(IMPORTERS["insured_list"], io.BytesIO(xlsx_bytes(
        [head, [person.id_number, person.name, "城乡居民养老保险", "2024", "100", "否"]])), actor=officer,
        filename="参保名单.xlsx")
    assert result.committed
    page.goto(f"{live_url}/insurance/?year=2024")
    assert page.locator("#gaps tbody tr", has_text="刘未保").count() == 1  # only medical is left
    shot(page, "insurance-gaps-after-list")
