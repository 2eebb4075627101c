"""In a real browser: 丰都县's officer opens 技能培训, a course, uploads its 培训花名册 (attendance,
completion and a certificate), opens the trainee and sees the certificate and the employment
month after the course (Playwright + Debian's Chromium). Screenshots under
``$BANGFU_VAR/screenshots``."""

from __future__ import annotations

import openpyxl
import pytest

from bangfu.monitoring.models import EmploymentMonth
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.testing.browser import login, shot
from bangfu.training.tests.factories import CourseFactory

pytestmark = pytest.mark.browser


def test_an_officer_uploads_a_roster_and_follows_a_trainee_to_work(live_url, page, make_user, test_password,
                                                                   tmp_path):
    course = CourseFactory(name="砌筑工巴渝工匠培训班", days=10)
    person = PersonFactory(name="李大山")
    EmploymentMonth.objects.create(person=person, month="2024-06", place_class="in_city", channel="migrant",
                                   employer_name="重庆建工某项目部")
    make_user("district_officer", FENGDU, username="fengdu")
    login(page, live_url, "fengdu", test_password)

    page.get_by_role("link", name="技能培训").first.click()
    page.wait_for_url(f"{live_url}/training/")
    assert page.locator("table.grid", has_text="砌筑工巴渝工匠培训班").count() == 1
    shot(page, "training-list")
    page.get_by_role("link", name="砌筑工巴渝工匠培训班").click()
    page.wait_for_url(f"**/training/courses/{course.pk}/")

    sheet = tmp_path / "培训花名册.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["培训项目编号", "证件号码", "姓名", "出勤天数", "结业日期", "证书编号", "证书等级", "发证日期"])
    book.active.append([course.pk, person.id_number, "李大山", 10, "2024-03-20", "CQ2024-0001", "初级", "2024-04-02"])
    book.save(sheet)
    page.set_input_files("input[name=file]", str(sheet))
    page.get_by_role("button", name="导入").click()
    page.wait_for_selector("#import-result")
    assert "新增1" in page.locator("#import-result").inner_text()
    row = page.locator("#trainees tbody tr", has_text="李大山")
    assert "CQ2024-0001" in row.inner_text()
    shot(page, "training-course")

    row.get_by_role("link", name="李大山").click()
    page.wait_for_url("**/training/trainees/*/")
    assert "CQ2024-0001" in page.locator("#certificate").inner_text()
    assert page.locator("main", has_text="重庆建工某项目部").count() == 1
    shot(page, "training-trainee")
