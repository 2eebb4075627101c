"""In a real browser on a phone-sized screen: the broker opens "my people", filters the
unemployed, opens a person, calls (the full number appears, once, for the assigned broker) and
records a hire in two taps; the hired job is then no longer offered (Playwright + Chromium)."""

from __future__ import annotations

import pytest

from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.network.tests.factories import CaseloadFactory, HelperFactory
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.testing.browser import login, shot

pytestmark = pytest.mark.browser


def test_a_broker_calls_a_worker_and_records_a_hire_on_a_phone(live_url, page, make_user, test_password):
    user = make_user("broker", FENGDU, username="broker1")
    helper = HelperFactory(user=user, name="李经纪")
    person = PersonFactory(name="张大山", skills="6-29-01-01", phone="13800138000")
    CaseloadFactory(helper=helper, person=person)
    posting = JobPostingFactory(title="钢筋工（浏览器）", headcount=4, filled_count=0)
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_url, "broker1", test_password)

    page.goto(f"{live_url}/network/my/")
    page.locator("a[data-status=unemployed]").click()
    page.wait_for_url("**/network/my/?status=unemployed")
    card = page.locator("details.person-card", has_text="张大山")
    assert card.count() == 1 and "13800138000" not in page.content()
    card.locator("summary").click()  # tap one: open the person
    assert card.locator(".fit", has_text="钢筋工（浏览器）").count() == 1
    shot(page, "network-my-people")
    card.get_by_role("button", name="拨打电话").click()
    page.wait_for_url("**/network/my/*/call/")
    assert page.locator("a[data-phone]").get_attribute("href") == "tel:13800138000"
    shot(page, "network-call")
    page.get_by_role("link", name="返回我的服务对象").click()
    card = page.locator("details.person-card", has_text="张大山")
    card.locator("summary").click()
    card.locator(f"form[action$='/hire/']:has(input[value='{posting.pk}']) button").click()  # tap two: hired
    page.wait_for_selector("ul.messages li.success")
    assert "已录用" in page.locator("ul.messages").inner_text()
    card = page.locator("details.person-card", has_text="张大山")
    assert card.locator(f"input[name=posting][value='{posting.pk}']").count() == 0
    shot(page, "network-hired")
