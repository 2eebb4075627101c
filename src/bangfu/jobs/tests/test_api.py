"""The 渝职聘 API: another system posts jobs; recommendations and outcomes come back."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.employers import services as employers
from bangfu.jobs import validation as v
from bangfu.jobs.models import Application, JobPosting
from bangfu.jobs.tests.factories import JobPostingFactory, make_uscc
from bangfu.registry.tests.factories import FENGDU, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def body(**changes):
    data = {"employer_uscc": make_uscc(77), "employer_name": "丰都县某某农业开发有限公司",
            "external_id": "EXT-1", "title": "食用菌生产工", "occupation_code": "5-01-02-03",
            "work_place_code": "500230101", "headcount": 8, "wage_min_fen": 300_000, "wage_max_fen": 380_000,
            "age_min": 18, "age_max": 65, "min_labour_ability": "weak",
            "valid_until": (TODAY + dt.timedelta(days=40)).isoformat(), "source": "workshop"}
    data.update(changes)
    return data


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user("district_officer", FENGDU))
    return client


def test_another_system_posts_a_job_once(officer_client):
    first = officer_client.post("/api/v1/jobs/postings", body(), content_type="application/json")
    again = officer_client.post("/api/v1/jobs/postings", body(), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["place_name"] == "丰都县虎威镇"
    assert JobPosting.objects.count() == 1


def test_a_wrong_posting_is_a_422_naming_the_fields_in_chinese(officer_client):
    response = officer_client.post("/api/v1/jobs/postings", body(wage_min_fen=500_000, headcount=0),
                                   content_type="application/json")
    assert response.status_code == 422
    assert response.json()["fields"] == {"headcount": v.ERR_HEADCOUNT, "wage_max_fen": v.ERR_WAGE_ORDER}


def test_a_bad_credit_code_is_a_422(officer_client):
    response = officer_client.post("/api/v1/jobs/postings", body(employer_uscc="91500230MA0000000X"),
                                   content_type="application/json")
    assert response.status_code == 422
    assert response.json()["fields"]["employer_uscc"] == employers.ERR_USCC


def test_recommendations_refer_and_hire_through_the_api(officer_client):
    person = PersonFactory(skills="6-29-01-01", expected_wage_fen=400_000)
    posting = JobPostingFactory(headcount=2)
    recs = officer_client.get(f"/api/v1/jobs/persons/{person.pk}/recommendations").json()
    assert recs[0]["posting_id"] == posting.pk and "县内" in recs[0]["reasons"]
    application = officer_client.post("/api/v1/jobs/applications", {"person_id": person.pk, "posting_id": posting.pk},
                                      content_type="application/json").json()
    hired = officer_client.post(f"/api/v1/jobs/applications/{application['id']}/hire", {"wage_fen": 480_000},
                                content_type="application/json")
    assert hired.json()["status"] == "hired"
    outcomes = officer_client.get("/api/v1/jobs/outcomes").json()
    assert sum(r["hires"] for r in outcomes) == 1


def test_a_hire_in_a_future_month_is_a_422(officer_client):
    from bangfu.monitoring.models import EmploymentMonth
    from bangfu.monitoring.clock import programme_today

    next_month = (programme_today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    person, posting = PersonFactory(), JobPostingFactory(headcount=2)
    application = officer_client.post("/api/v1/jobs/applications", {"person_id": person.pk, "posting_id": posting.pk},
                                      content_type="application/json").json()
    response = officer_client.post(f"/api/v1/jobs/applications/{application['id']}/hire",
                                   {"hired_on": next_month.isoformat()}, content_type="application/json")
    assert response.status_code == 422 and response.json()["fields"] == {"hired_on": "日期不能晚于今天"}
    assert not EmploymentMonth.objects.exists()


def test_recommendations_of_a_person_of_another_district_are_404(officer_client):
    person = PersonFactory(district_code=WANZHOU, township_code="500101001")
    assert officer_client.get(f"/api/v1/jobs/persons/{person.pk}/recommendations").status_code == 404


def test_a_broker_may_refer_but_not_post_jobs(client, make_user):
    client.force_login(make_user("broker", FENGDU))
    assert client.post("/api/v1/jobs/postings", body(), content_type="application/json").status_code == 403
    person, posting = PersonFactory(), JobPostingFactory()
    response = client.post("/api/v1/jobs/applications", {"person_id": person.pk, "posting_id": posting.pk},
                           content_type="application/json")
    assert response.status_code == 201
    assert Application.objects.filter(person=person).exists()


def test_the_openapi_schema_names_the_jobs_endpoints(officer_client):
    schema = officer_client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/jobs/postings", "/api/v1/jobs/persons/{person_id}/recommendations",
                 "/api/v1/jobs/applications/{application_id}/hire", "/api/v1/jobs/outcomes"):
        assert path in schema["paths"]
