"""Journey 4 in a real browser: a broker opens a worker, sees jobs with reasons, records a
referral and then the hire; the job's filled count and the worker's employment record change."""

import pytest
from django.utils import timezone

from bangfu.jobs.models import JobPosting
from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.monitoring.models import EmploymentMonth
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory
from bangfu.testing.browser import shot

pytestmark = pytest.mark.browser


def test_a_broker_takes_a_worker_from_recommendation_to_hire(live_url, page, make_user, test_password):
    person = PersonFactory(name="陈春生", skills="6-29-01-01", accepted_places="in_county,in_city",
                           expected_wage_fen=400_000, labour_ability="weak", township_code=FENGDU_TOWNSHIP)
    posting = JobPostingFactory(title="乡村建设砌筑工", headcount=4, filled_count=1, wage_min_fen=460_000,
                                wage_max_fen=560_000, min_labour_ability="weak")
    make_user("broker", FENGDU, username="broker_li")

    page.goto(f"{live_url}/accounts/login/?next=/jobs/workers/{person.pk}/")
    page.fill("input[name=username]", "broker_li")
    page.fill("input[name=password]", test_password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_url}/jobs/workers/{person.pk}/")

    row = page.locator("#recommendations tr.recommendation").first
    assert "乡村建设砌筑工" in row.inner_text()
    reasons = row.locator("td.reasons").inner_text()
    assert "月薪高于期望 600 元" in reasons and "县内" in reasons and "招聘对象含弱劳动力" in reasons

    row.locator("button", has_text="记录推荐").click()
    page.wait_for_load_state()
    assert "已记录推荐" in page.locator("ul.messages").inner_text()
    page.locator("#applications form.hire-form button").click()
    page.wait_for_load_state()
    assert "已记录录用" in page.locator("ul.messages").inner_text()
    assert "已录用" in page.locator("#applications").inner_text()
    shot(page, "journey4-hired")

    assert JobPosting.objects.get(pk=posting.pk).filled_count == 2
    month = timezone.localdate().strftime("%Y-%m")
    record = EmploymentMonth.objects.get(person=person, month=month)
    assert record.job_title == "乡村建设砌筑工"
