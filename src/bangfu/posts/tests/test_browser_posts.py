"""In a real browser: 丰都县's officer opens the posts, a post and the person in it, reads why the
person is eligible, uploads the month's 考勤表, approves it, runs the month's pay and sees the
amount (Playwright + Debian's Chromium). Screenshots of each page are kept under
``$BANGFU_VAR/screenshots`` for a look."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from bangfu.posts.tests.factories import PlacementFactory, WelfarePostFactory
from bangfu.registry.tests.factories import FENGDU
from bangfu.testing.browser import login, shot

pytestmark = pytest.mark.browser

MONTH = "2024-03"


def test_an_officer_follows_a_post_from_the_list_to_the_pay(live_url, page, make_user, test_password, tmp_path):
    post = WelfarePostFactory(name="村道保洁员", duties="村内道路清扫保洁")
    placed = PlacementFactory(post=post, person__name="王小红")
    make_user("district_officer", FENGDU, username="fengdu")
    login(page, live_url, "fengdu", test_password)

    page.get_by_role("link", name="公益性岗位").first.click()
    page.wait_for_url(f"{live_url}/posts/")
    assert page.locator("table.grid", has_text="村道保洁员").count() == 1
    shot(page, "posts-list")
    page.get_by_role("link", name="村道保洁员").click()
    page.wait_for_url(f"**/posts/{post.pk}/")
    shot(page, "posts-detail")
    page.get_by_role("link", name="王小红").first.click()
    page.wait_for_url(f"**/posts/eligibility/{placed.person_id}/**")
    assert "王小红" in page.locator("main").inner_text()
    assert page.locator("main", has_text="年满16周岁").count() == 1
    assert "村道保洁员" in page.locator("[data-live-placement]").inner_text()  # why 一岗一人 fails
    shot(page, "posts-eligibility")

    sheet = tmp_path / "考勤表.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["年月", "安置编号", "证件号码", "姓名", *[f"{d}日" for d in range(1, 32)], "考核等次"])
    book.active.append([MONTH, placed.pk, "", "王小红", *(["√"] * 21 + ["事"] + [None] * 9), "合格"])
    book.save(sheet)
    page.goto(f"{live_url}/posts/attendance/?month={MONTH}")
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="上传并导入").click()
    page.wait_for_load_state()
    assert "新增 1" in page.locator("main").inner_text()
    row = page.locator("table.grid tbody tr", has_text="王小红")
    assert row.locator("td").nth(4).inner_text() == "21"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="审核本月全部考勤").click()
    page.wait_for_selector("ul.messages li.success")
    shot(page, "posts-attendance")

    page.goto(f"{live_url}/posts/pay/?month={MONTH}")
    page.get_by_role("button", name="按已审核考勤生成补贴").click()
    page.wait_for_selector("ul.messages li.success")
    pay_row = page.locator("table.grid tbody tr", has_text="王小红")
    assert pay_row.locator("td.num").inner_text() == "2,000"
    shot(page, "posts-pay")
