"""Journey 5 in a real browser: a worker complains on a phone, an officer of the Guangdong
offices handles it, and the worker sees it closed."""

import re

import pytest

from bangfu.arrears.models import ArrearsCase, Office
from bangfu.arrears.services import office_member_set
from bangfu.arrears.tests.factories import id_number
from bangfu.core.actors import SYSTEM
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.testing.browser import shot

pytestmark = pytest.mark.browser

PHONE_VIEWPORT = {"width": 390, "height": 844}


def test_a_worker_complains_an_officer_pays_and_closes_and_the_worker_sees_it_closed(
    live_url, browser, page, offices, make_user, test_password
):
    person = PersonFactory(category="alleviated")  # the worker is in the registry: 脱贫人口
    officer = make_user("district_officer", FENGDU, username="shenzhen_desk")
    office_member_set(user=officer, office=Office.objects.get(code="SZ"), actor=SYSTEM)
    worker_phone = "13912345678"

    # --- the worker, on a phone, without an account
    phone = browser.new_context(viewport=PHONE_VIEWPORT, locale="zh-CN", is_mobile=True, has_touch=True)
    worker = phone.new_page()
    worker.goto(f"{live_url}/arrears/complaint/")
    assert worker.title().startswith("欠薪投诉")
    worker.fill("#id_worker_name", person.name)
    worker.fill("#id_id_number", person.id_number)
    worker.fill("#id_phone", worker_phone)
    worker.fill("#id_employer_name", "深圳某某建筑劳务有限公司")
    worker.select_option("#id_province", "44")
    worker.select_option("#id_city", "4403")  # only Guangdong's cities are offered now
    assert worker.locator("#id_city option[value='3301']").count() == 0
    worker.check("input[name=is_construction][value='1']")
    worker.fill("#id_period_start", "2026-03")
    worker.fill("#id_period_end", "2026-06")
    worker.fill("#id_amount_owed", "12000")
    worker.fill("#id_description", "在龙岗区工地做钢筋工，四个月工资没有发。")
    worker.check("#id_agree")
    worker.click("button[type=submit]")
    worker.wait_for_url(re.compile(r".*/arrears/complaint/filed/$"))
    number = worker.locator("#case-number").inner_text().strip()
    assert re.fullmatch(r"QX\d{12}", number)
    assert "重庆市驻深圳劳务办事处" in worker.content()

    worker.get_by_role("link", name="查询办理进度").click()
    worker.wait_for_url(re.compile(r".*/arrears/status/$"))
    worker.fill("#id_number", number)
    worker.fill("#id_phone", worker_phone)
    worker.click("button[type=submit]")
    assert worker.locator("#case-state").inner_text() == "已登记待受理"

    # --- the officer of the Shenzhen office
    page.goto(f"{live_url}/accounts/login/?next=/arrears/")
    page.fill("input[name=username]", "shenzhen_desk")
    page.fill("input[name=password]", test_password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/arrears/")
    first_row = page.locator("#case-list tbody tr").first
    assert first_row.get_attribute("data-number") == number
    assert "脱贫人口" in first_row.inner_text() and "个工作日" in first_row.inner_text()
    first_row.locator("a").first.click()
    page.wait_for_url(re.compile(rf".*/arrears/cases/{number}/.*"))
    assert "花名册中的脱贫人口，优先办理" in page.locator("#priority-reasons").inner_text()

    page.select_option("#form-transition select[name=to_state]", "accepted")
    page.click("#form-transition button[type=submit]")
    assert page.locator("#case-state").inner_text() == "已受理"

    page.fill("#form-payment input[name=amount]", "12000")
    page.fill("#form-payment input[name=workers]", "1")
    page.click("#form-payment button[type=submit]")
    assert page.locator("#case-state").inner_text() == "已支付"

    page.select_option("#form-transition select[name=to_state]", "closed")
    page.fill("#form-transition textarea[name=note]", "约谈劳务公司负责人，调解后一次性支付工资12,000元，投诉人电话确认收到。")
    page.click("#form-transition button[type=submit]")
    assert page.locator("#case-state").inner_text() == "已办结"
    shot(page, "journey5-officer-closed")

    # --- the worker looks again
    worker.goto(f"{live_url}/arrears/status/")
    worker.fill("#id_number", number)
    worker.fill("#id_phone", worker_phone)
    worker.click("button[type=submit]")
    assert worker.locator("#case-state").inner_text() == "已办结"
    assert "12,000" in worker.locator("#case-status").inner_text()
    shot(worker, "journey5-worker-status")
    phone.close()

    case = ArrearsCase.objects.get(number=number)
    assert (case.state, case.from_registry, case.office.code, case.amount_recovered_fen) == (
        "closed", True, "SZ", 1_200_000)


def test_the_status_page_gives_nothing_away_without_the_phone(live_url, page, offices):
    from bangfu.arrears.tests.factories import file_case

    case = file_case(id_number=id_number(), worker_name="保密的人").case
    page.goto(f"{live_url}/arrears/status/")
    page.fill("#id_number", case.number)
    page.fill("#id_phone", "13700000000")
    page.click("button[type=submit]")
    assert "未找到案件" in page.content() and "保密的人" not in page.content()
    assert page.locator("#case-state").count() == 0
