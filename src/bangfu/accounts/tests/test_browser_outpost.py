"""Setting up an out-of-town office user (外地办事处) in a real browser, from the pages only."""

import re

import pytest

from bangfu.arrears.tests.conftest import offices  # noqa: F401  (the fixture)
from bangfu.arrears.tests.factories import file_case
from bangfu.testing.browser import login, logout, shot

pytestmark = pytest.mark.browser


def test_the_administrator_sets_up_a_shenzhen_office_user_who_sees_its_cases_and_no_registry(
    live_url, page, offices, make_user, test_password  # noqa: F811
):
    shenzhen = file_case(work_place_code="4403").case
    zhejiang = file_case(work_place_code="3301").case
    make_user("city_admin", "50", username="city_admin1")

    login(page, live_url, "city_admin1", test_password)
    page.locator("details.navgroup summary").click()
    page.locator("details.navgroup").get_by_role("link", name="用户管理").click()
    page.get_by_role("link", name="新增用户").click()
    page.fill("#id_username", "sz_desk")
    page.fill("#id_display_name", "深圳办事处张三")
    page.select_option("#id_role", "outpost_officer")
    page.select_option("#id_area_code", "50")
    page.select_option("#id_office", "SZ")
    page.fill("#id_password", test_password)
    shot(page, "outpost-user-form")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(re.compile(r".*/accounts/users/$"))
    row = page.locator("tr", has_text="sz_desk")
    assert "外地办事处" in row.inner_text()
    logout(page)

    login(page, live_url, "sz_desk", test_password)
    menu = page.locator("nav.sidenav").inner_text()
    assert "根治欠薪" in menu and "人员花名册" not in menu
    page.locator("nav.sidenav").get_by_role("link", name="根治欠薪").click()
    content = page.content()
    assert shenzhen.number in content and zhejiang.number not in content
    shot(page, "outpost-user-arrears")

    response = page.goto(f"{live_url}/registry/persons/")
    assert response.status == 403
    assert "权限" in page.content()
    shot(page, "outpost-user-registry-403")
