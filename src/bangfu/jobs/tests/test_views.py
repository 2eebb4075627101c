"""Pages of 渝职聘: area isolation, the worker page, forms with Chinese errors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.core.testing import AreaIsolationCases
from bangfu.jobs import validation as v
from bangfu.jobs.models import Application, JobPosting
from bangfu.jobs.tests.factories import ApplicationFactory, EmployerFactory, JobPostingFactory, PushFactory
from bangfu.registry.tests.factories import FENGDU, WANZHOU, PersonFactory

TODAY = timezone.localdate()


class TestApplicationAreaIsolation(AreaIsolationCases):
    list_url = "/jobs/applications/"
    api_list_url = "/api/v1/jobs/applications"

    def make_object(self, district_code, township_code):
        person = PersonFactory(district_code=district_code, township_code=township_code, name="隔离测试人")
        return ApplicationFactory(person=person)

    def row_marker(self, obj):
        return obj.person.name

    def detail_url_for(self, obj):
        return reverse("jobs:worker", args=[obj.person_id])


class TestPushAreaIsolation(AreaIsolationCases):
    api_list_url = "/api/v1/jobs/pushes"

    def make_object(self, district_code, township_code):
        return PushFactory(person=PersonFactory(district_code=district_code, township_code=township_code))

    def detail_url_for(self, obj):
        return reverse("jobs:explain", args=[obj.person_id, obj.posting_id])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["index", "posting_list", "employer_list", "runs", "figures", "cross_zone",
                                  "cooperation", "export_batches", "applications", "posting_import"])
def test_every_list_page_opens(client, make_user, name):
    client.force_login(make_user("city_admin", "50"))
    JobPostingFactory()
    assert client.get(reverse(f"jobs:{name}")).status_code == 200


@pytest.mark.django_db
def test_the_worker_page_shows_recommendations_with_reasons(client, make_user):
    person = PersonFactory(skills="6-29-01-01", expected_wage_fen=400_000, accepted_places="in_county")
    JobPostingFactory(title="县城砌筑工", wage_min_fen=460_000, wage_max_fen=600_000)
    JobPostingFactory(title="过期岗位", valid_from=TODAY - dt.timedelta(days=30), valid_until=TODAY - dt.timedelta(days=1))
    client.force_login(make_user("broker", FENGDU))
    page = client.get(reverse("jobs:worker", args=[person.pk])).content.decode()
    assert "县城砌筑工" in page and "过期岗位" not in page
    assert "技能对口：砌筑工；月薪高于期望 600 元；县内" in page


@pytest.mark.django_db
def test_a_broker_records_a_referral_and_a_hire_from_the_worker_page(client, make_user):
    person = PersonFactory()
    posting = JobPostingFactory(headcount=3)
    client.force_login(make_user("broker", FENGDU))
    client.post(reverse("jobs:refer", args=[person.pk]), {"posting": posting.pk})
    application = Application.objects.get(person=person, posting=posting)
    client.post(reverse("jobs:application_hire", args=[application.pk]), {"hired_on": TODAY.isoformat()})
    posting.refresh_from_db()
    assert posting.filled_count == 1
    assert person.employment_months.filter(month=TODAY.strftime("%Y-%m")).exists()


@pytest.mark.django_db
def test_a_broker_cannot_publish_postings(client, make_user):
    client.force_login(make_user("broker", FENGDU))
    assert client.get(reverse("jobs:posting_create")).status_code == 403


@pytest.mark.django_db
def test_the_posting_form_shows_chinese_errors_and_saves_nothing(client, make_user):
    employer = EmployerFactory()
    client.force_login(make_user("district_officer", FENGDU))
    response = client.post(reverse("jobs:posting_create"), {
        "employer_uscc": employer.uscc, "title": "普工", "occupation_code": "6-25-01-13",
        "work_place": FENGDU, "headcount": "0", "wage_min": "6000", "wage_max": "4000",
        "age_min": "18", "age_max": "45", "min_labour_ability": "ordinary",
        "valid_from": TODAY.isoformat(), "valid_until": (TODAY - dt.timedelta(days=1)).isoformat(),
        "source": "local"})
    page = response.content.decode()
    assert response.status_code == 200
    for message in (v.ERR_HEADCOUNT, v.ERR_WAGE_ORDER, "有效期止已过"):
        assert message in page
    assert not JobPosting.objects.exists()


@pytest.mark.django_db
def test_the_posting_form_publishes_a_posting(client, make_user):
    employer = EmployerFactory()
    client.force_login(make_user("district_officer", FENGDU))
    response = client.post(reverse("jobs:posting_create"), {
        "employer_uscc": employer.uscc, "title": "普工", "occupation_code": "6-25-01-13",
        "work_place": "", "work_township": "500230101", "headcount": "10", "wage_min": "4000",
        "wage_max": "5500", "age_min": "18", "age_max": "45", "min_labour_ability": "weak",
        "valid_from": TODAY.isoformat(), "valid_until": (TODAY + dt.timedelta(days=30)).isoformat(),
        "source": "workshop", "accommodation": "on"})
    posting = JobPosting.objects.get()
    assert response.status_code == 302
    assert (posting.work_township_code, posting.work_district_code, posting.accommodation) == (
        "500230101", FENGDU, True)


@pytest.mark.django_db
def test_another_districts_posting_cannot_be_edited_but_can_be_read(client, make_user):
    posting = JobPostingFactory(owner_area_code=WANZHOU)
    client.force_login(make_user("district_officer", FENGDU))
    assert client.get(reverse("jobs:posting_detail", args=[posting.pk])).status_code == 200
    assert client.get(reverse("jobs:posting_edit", args=[posting.pk])).status_code == 404


@pytest.mark.django_db
def test_a_dry_run_from_the_web_shows_a_preview_and_writes_nothing(client, make_user):
    PersonFactory()
    JobPostingFactory(headcount=3)
    client.force_login(make_user("district_officer", FENGDU))
    response = client.post(reverse("jobs:run_start"), {"dry_run": "1"})
    assert response.status_code == 200
    assert "推送预览" in response.content.decode()
    from bangfu.jobs.models import Push

    assert not Push.objects.exists()


@pytest.mark.django_db
def test_the_person_page_links_to_the_job_page(client, make_user):
    person = PersonFactory()
    client.force_login(make_user("district_officer", FENGDU))
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert reverse("jobs:worker", args=[person.pk]) in page
