"""The login page in a real browser (Playwright + Debian's Chromium against the live server)."""

import pytest

pytestmark = pytest.mark.browser


def test_an_officer_logs_in_from_the_chinese_login_page_and_lands_on_the_home_page(
    live_url, page, make_user, test_password
):
    make_user("district_officer", "500230", username="fengdu_officer")

    page.goto(f"{live_url}/accounts/login/")
    assert page.title().startswith("登录")
    assert page.get_by_role("button", name="登录").is_visible()
    page.fill("input[name=username]", "fengdu_officer")
    page.fill("input[name=password]", test_password)
    page.click("button[type=submit]")

    page.wait_for_url(f"{live_url}/")
    assert page.get_by_role("button", name="退出").is_visible()
    assert page.locator("input[name=password]").count() == 0


def test_a_wrong_password_keeps_the_officer_on_the_login_page_with_a_chinese_error(
    live_url, page, make_user
):
    make_user("district_officer", "500230", username="fengdu_officer")

    page.goto(f"{live_url}/accounts/login/")
    page.fill("input[name=username]", "fengdu_officer")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")

    assert "/accounts/login/" in page.url
    assert "用户名或密码错误" in page.locator("p.error").inner_text()
