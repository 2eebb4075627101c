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


def test_an_officer_takes_a_workshop_from_application_to_running_and_posts_a_gig_with_a_match(
        live_url, page, make_user, test_password):
    from bangfu.employers.tests.factories import EmployerFactory
    from bangfu.network.models import GigMatch, Workshop
    from bangfu.network.tests.factories import GigMarketFactory
    from bangfu.registry.tests.factories import FENGDU_TOWNSHIP

    make_user("district_officer", FENGDU, username="officer1")
    employer = EmployerFactory(name="丰都县巧手服饰有限公司")
    people = [PersonFactory(name=f"车间工{i}") for i in range(5)]
    market = GigMarketFactory(name="丰都县三合街道零工驿站")
    login(page, live_url, "officer1", test_password)
    asked = []

    # 申报
    page.goto(f"{live_url}/network/workshops/")
    shot(page, "network-workshops")
    page.get_by_role("link", name="申报帮扶车间").click()
    page.get_by_label("认定编号").fill("BFCJ-B-001")
    page.get_by_label("车间名称").fill("巧手服饰帮扶车间")
    page.get_by_label("经营主体统一社会信用代码").fill(employer.uscc)
    page.get_by_label("所在乡镇").select_option(FENGDU_TOWNSHIP)
    page.get_by_label("车间类型").select_option("home")
    shot(page, "network-workshop-apply")
    page.get_by_role("button", name="提交申报").click()
    page.wait_for_selector("ul.messages li.success")
    assert page.locator("h1 .tag").inner_text() == "申报"
    assert page.locator("[data-check=unmet]").count() == 1
    assert page.get_by_role("button", name="认定", exact=True).is_disabled()

    # a wrong ID number comes back in Chinese; five registry workers on the roster meet the check
    page.get_by_label("身份证号").fill("50023019800101")
    page.get_by_role("button", name="登记务工人员", exact=True).click()
    page.wait_for_selector("#member .errorlist")
    assert "请输入18位身份证号" in page.locator("#member").inner_text()
    assert "未保存" in page.locator("ul.messages").inner_text()  # said at the top too
    shot(page, "network-workshop-member-error")
    for person in people:
        page.get_by_label("身份证号").fill(person.id_number)
        page.get_by_role("button", name="登记务工人员", exact=True).click()
        page.wait_for_selector("ul.messages li.success")
    assert page.locator("[data-check=met]").count() == 1
    shot(page, "network-workshop-applied")

    # 认定 asks first: dismissed, nothing changes; accepted, the workshop is recognised
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.get_by_role("button", name="认定", exact=True).click()
    page.wait_for_timeout(300)
    assert asked and "不能撤回" in asked[0]
    assert Workshop.objects.get(code="BFCJ-B-001").status == "applied"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="认定", exact=True).click()
    page.wait_for_selector("h1 .tag[data-status=recognised]")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="投入运行").click()
    page.wait_for_selector("h1 .tag[data-status=running]")
    shot(page, "network-workshop-running")
    assert Workshop.objects.get(code="BFCJ-B-001").status == "running"

    # a gig at the market, then a match and its outcome
    page.goto(f"{live_url}/network/markets/")
    page.get_by_role("link", name="丰都县三合街道零工驿站").click()
    page.get_by_label("用工方").fill("丰都县某农业合作社")
    page.get_by_label("零工内容").fill("采摘柑橘")
    page.get_by_label("计酬方式").select_option("day")
    page.get_by_label("报酬（元/日或元/件）").fill("150")
    page.get_by_label("需求人数").fill("4")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "network-market")
    page.get_by_role("button", name="发布").click()
    page.wait_for_selector("ul.messages li.success")
    assert page.locator("h1").inner_text() == "采摘柑橘"
    page.get_by_label("身份证号").fill(people[0].id_number)
    page.get_by_role("button", name="登记", exact=True).click()
    page.wait_for_selector("ul.messages li.success")
    row = page.locator("tr[data-match]", has_text="车间工0")
    row.locator("select[name=outcome]").select_option("worked")
    row.get_by_role("button", name="更新").click()
    page.wait_for_selector("[data-worked='1']")
    shot(page, "network-gig")
    assert GigMatch.objects.get(person=people[0]).outcome == "worked"
    assert market.postings.count() == 1
