""""My people" reads a page of caseload with a fixed number of queries (the jobs that fit come
from one batched run of the matching engine, not one per person), the batch gives each person
the jobs the one-person call gives, and the hire's service record refreshes the fact store."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.core.months import month_of, shift_month
from bangfu.jobs.models import Application, ServiceRecord as JobService
from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.network import caseload as cl
from bangfu.network.tests.factories import CaseloadFactory, HelperFactory
from bangfu.network.views import people
from bangfu.registry.tests.factories import FENGDU, PersonFactory

TODAY = timezone.localdate()


@pytest.fixture
def broker(make_user):
    user = make_user(role="broker", area_code=FENGDU)
    return user, HelperFactory(user=user)


def _caseload(helper, n: int, start: int = 0):
    for i in range(start, start + n):
        CaseloadFactory(helper=helper, person=PersonFactory(name=f"对象{i:03d}", skills="6-29-01-01",
                                                            phone="13811112222"))


def _postings():
    for i in range(6):
        JobPostingFactory(headcount=5, filled_count=0, title=f"批量岗位{i}", occupation_code="6-29-01-01")


def _queries(client, url: str) -> tuple[int, str]:
    from bangfu.core import parameters

    client.get(url)  # the open postings' arrays are cached once, as on a running server
    parameters.forget()  # the parameters' cache expires on a clock: read them in every measure
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


@pytest.mark.django_db
def test_the_my_people_page_reads_a_page_with_a_fixed_number_of_queries(client, broker, monkeypatch,
                                                                          django_assert_max_num_queries):
    user, helper = broker
    monkeypatch.setattr(people, "PER_PAGE", 50)
    _postings()
    client.force_login(user)
    _caseload(helper, 5)
    small, html = _queries(client, reverse("network:my_people"))
    assert html.count('data-action="hire"') >= 5  # every person is offered jobs
    _caseload(helper, 45, start=5)
    large, html = _queries(client, reverse("network:my_people"))
    assert html.count("data-person=") == 50 and html.count('data-action="hire"') >= 50
    assert large == small, (small, large)
    from bangfu.core import parameters

    parameters.forget()
    with django_assert_max_num_queries(small):
        client.get(reverse("network:my_people"))


@pytest.mark.django_db
def test_the_my_people_api_reads_a_page_with_a_fixed_number_of_queries(client, broker):
    user, helper = broker
    _postings()
    client.force_login(user)
    url = "/api/v1/network/my-people?page_size=50"
    _caseload(helper, 5)
    small, _ = _queries(client, url)
    _caseload(helper, 45, start=5)
    large, body = _queries(client, url)
    import json

    items = json.loads(body)["items"]
    assert len(items) == 50 and all(item["jobs"] for item in items)
    assert large == small, (small, large)


@pytest.mark.django_db
def test_the_batch_gives_each_person_the_jobs_of_the_one_person_call(broker):
    _, helper = broker
    _postings()
    mason = PersonFactory(skills="6-29-01-01")
    cook = PersonFactory(skills="4-03-02-01")
    child = PersonFactory(birth_date=TODAY - dt.timedelta(days=365 * 10))  # no worker: no jobs
    hired = JobPostingFactory(headcount=5, filled_count=0, title="已录用岗位", occupation_code="6-29-01-01")
    Application.objects.create(person=mason, posting=hired, referred_on=TODAY, status="hired",
                               district_code=mason.district_code, township_code=mason.township_code)
    batch = cl.jobs_that_fit_many([mason, cook, child])
    assert batch[child.pk] == []
    assert batch[mason.pk] and hired.pk not in {j["posting"].pk for j in batch[mason.pk]}
    for person in (mason, cook):
        one = cl.jobs_that_fit(person)
        assert [(j["posting"].pk, j["score"], j["reasons"]) for j in batch[person.pk]] == \
               [(j["posting"].pk, j["score"], j["reasons"]) for j in one]


@pytest.mark.django_db(transaction=True)
def test_the_hire_s_service_record_refreshes_the_fact_store(client, make_user, tmp_path, settings):
    """The referral was recorded last month, the hire this month: the hire's own service record
    marks this month dirty and the store is rewritten after the commit."""
    from django.core.management import call_command
    from django.db.models import Count

    from bangfu.engine import facts as store
    from bangfu.jobs.services import application_hire, application_refer

    settings.BANGFU = {**settings.BANGFU, "FACTS_DIR": str(tmp_path / "facts")}
    table = JobService._meta.db_table
    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory(skills="6-29-01-01")
    posting = JobPostingFactory(headcount=5, filled_count=0, valid_from=TODAY - dt.timedelta(days=60))
    last_month = shift_month(month_of(TODAY), -1)
    application = application_refer(actor=officer, person=person, posting=posting,
                                    referred_on=dt.date.fromisoformat(f"{last_month}-15"))
    call_command("facts", "rebuild")
    application_hire(actor=officer, application=application, hired_on=TODAY)
    manifest = store.read_manifest(tmp_path / "facts", table) or {"partitions": {}}
    in_store = {month: p["rows"] for month, p in manifest["partitions"].items()}
    in_database = dict(JobService.objects.values_list("month").annotate(n=Count("id")))
    assert in_database == {last_month: 1, month_of(TODAY): 1}
    assert in_store == in_database
    assert store.dirty_markers(tmp_path / "facts", table) == {}
