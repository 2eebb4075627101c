"""The network API: "my people" masked with statuses and jobs, the call, services and hires."""

from __future__ import annotations

import pytest

from bangfu.core.models import AuditLog
from bangfu.jobs.models import Application
from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.network.models import ServiceRecord
from bangfu.network.tests.factories import CaseloadFactory, HelperFactory
from bangfu.registry.tests.factories import FENGDU, PersonFactory

pytestmark = pytest.mark.django_db
PHONE = "13822223333"


@pytest.fixture
def helper_client(client, make_user):
    user = make_user(role="broker", area_code=FENGDU)
    helper = HelperFactory(user=user)
    person = PersonFactory(skills="6-29-01-01", phone=PHONE, name="接口对象")
    CaseloadFactory(helper=helper, person=person)
    client.force_login(user)
    return client, person


def test_my_people_is_masked_with_statuses_and_jobs(helper_client):
    client, person = helper_client
    posting = JobPostingFactory(headcount=3, filled_count=0)
    payload = client.get("/api/v1/network/my-people").json()
    (item,) = payload["items"]
    assert item["id"] == person.pk and item["phone"] != PHONE and PHONE[-4:] in item["phone"]
    assert "unemployed" in item["statuses"] and "unserved" in item["statuses"]
    assert posting.pk in [j["posting_id"] for j in item["jobs"]]
    assert all(j["reasons"] for j in item["jobs"])
    assert client.get("/api/v1/network/my-people?status=back_home").json()["items"] == []
    assert client.get("/api/v1/network/my-people?status=nonsense").status_code == 422


def test_the_call_gives_the_phone_to_the_assigned_helper_only(helper_client, make_user):
    client, person = helper_client
    answer = client.post(f"/api/v1/network/my-people/{person.pk}/call")
    assert answer.status_code == 200 and answer.json()["phone"] == PHONE
    assert AuditLog.objects.filter(action="person.view_phone").count() == 1
    other = make_user(role="broker", area_code=FENGDU)
    HelperFactory(user=other)
    client.force_login(other)
    refused = client.post(f"/api/v1/network/my-people/{person.pk}/call")
    assert refused.status_code == 403 and PHONE not in refused.content.decode()


def test_a_service_and_a_hire_through_the_api(helper_client):
    client, person = helper_client
    posting = JobPostingFactory(headcount=3, filled_count=0)
    created = client.post(f"/api/v1/network/my-people/{person.pk}/services", {"kind": "guidance"},
                          content_type="application/json")
    assert created.status_code == 201 and ServiceRecord.objects.get(pk=created.json()["id"]).kind == "guidance"
    assert client.post(f"/api/v1/network/my-people/{person.pk}/services", {"kind": "nap"},
                       content_type="application/json").status_code == 422
    hired = client.post(f"/api/v1/network/my-people/{person.pk}/hires", {"posting_id": posting.pk},
                        content_type="application/json")
    assert hired.json()["status"] == "hired"
    assert Application.objects.get(pk=hired.json()["application_id"]).posting_id == posting.pk
    (item,) = client.get("/api/v1/network/my-people").json()["items"]
    assert posting.pk not in [j["posting_id"] for j in item["jobs"]]
