"""Writes of 渝职聘: postings refused with Chinese reasons, referrals, hires, pushes under caps."""

from __future__ import annotations

import datetime as dt
import json
import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.jobs import validation as v
from bangfu.jobs.models import Application, JobPosting, Push, ServiceRecord
from bangfu.jobs.services import (
    JobsError, application_hire, application_refer, match_run, posting_create,
    service_record_create,
)
from bangfu.jobs.services.outcomes import ERR_FULL
from bangfu.jobs.tests.factories import EmployerFactory, JobPostingFactory, make_uscc
from bangfu.monitoring.models import EmploymentMonth
from bangfu.outbox.models import OutboxMessage
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def good_posting(**changes) -> dict:
    values = dict(title="钢筋工", occupation_code="6-29-01-04", work_place_code=FENGDU, headcount=3,
                  wage_min_fen=500_000, wage_max_fen=650_000, age_min=18, age_max=55,
                  valid_until=TODAY + dt.timedelta(days=30), source="local", min_labour_ability="ordinary")
    values.update(changes)
    return values


@pytest.fixture
def officer(make_user):
    return make_user("district_officer", FENGDU)


# ---- postings and employers ---------------------------------------------------------------
@pytest.mark.parametrize("changes, field, message", [
    (dict(wage_min_fen=700_000, wage_max_fen=500_000), "wage_max_fen", v.ERR_WAGE_ORDER),
    (dict(age_min=50, age_max=30), "age_max", v.ERR_AGE_ORDER),
    (dict(age_max=80), "age_max", v.ERR_AGE_BOUNDS.format(low=16, high=65)),
    (dict(occupation_code="9-99-99-99"), "occupation_code", v.ERR_OCCUPATION.format(code="9-99-99-99")),
    (dict(work_place_code="509999"), "work_place_code", v.ERR_PLACE.format(code="509999")),
    (dict(headcount=0), "headcount", v.ERR_HEADCOUNT),
])
def test_a_wrong_posting_is_refused_with_a_chinese_reason(officer, changes, field, message):
    with pytest.raises(JobsError) as caught:
        posting_create(actor=officer, employer=EmployerFactory(), **good_posting(**changes))
    assert caught.value.fields[field] == message
    assert not JobPosting.objects.exists()


def test_a_posting_that_already_expired_is_refused(officer):
    past = TODAY - dt.timedelta(days=1)
    with pytest.raises(JobsError) as caught:
        posting_create(actor=officer, employer=EmployerFactory(),
                       **good_posting(valid_from=past - dt.timedelta(days=9), valid_until=past))
    assert caught.value.fields["valid_until"].startswith("有效期止已过")


def test_a_posting_gets_its_place_facts_and_an_audit_row(officer):
    posting = posting_create(actor=officer, employer=EmployerFactory(),
                             **good_posting(work_place_code="4403", required_certificates="电工证、焊工证"))
    assert (posting.cooperation_region, posting.place_name) == ("pearl_delta", "广东省深圳市")
    assert posting.certificate_list == ["电工证", "焊工证"]
    assert AuditLog.objects.filter(action="posting.create", object_id=str(posting.pk)).exists()


def test_a_posting_expires_by_itself(officer):
    posting = JobPostingFactory(valid_until=TODAY)
    assert posting.state(TODAY) == "open"
    assert posting.state(TODAY + dt.timedelta(days=1)) == "expired"
    assert not JobPosting.objects.open(TODAY + dt.timedelta(days=1)).exists()


# ---- referrals and hires ------------------------------------------------------------------
def test_a_referral_records_a_service_and_a_hire_closes_the_loop(officer):
    person = PersonFactory(skills="6-29-01-01")
    posting = JobPostingFactory(headcount=2, filled_count=0)
    application = application_refer(actor=officer, person=person, posting=posting)
    assert ServiceRecord.objects.get(person=person).kind == "referral"
    application_hire(actor=officer, application=application, hired_on=TODAY, wage_fen=520_000)
    posting.refresh_from_db()
    assert posting.filled_count == 1
    record = EmploymentMonth.objects.get(person=person, month=TODAY.strftime("%Y-%m"))
    assert (record.place_class, record.channel, record.income_fen) == ("in_county", "local", 520_000)
    assert record.employer_uscc == posting.employer.uscc
    assert Application.objects.get(pk=application.pk).status == "hired"


def test_a_full_posting_cannot_hire(officer):
    posting = JobPostingFactory(headcount=1, filled_count=0)
    first = application_refer(actor=officer, person=PersonFactory(), posting=posting)
    second = application_refer(actor=officer, person=PersonFactory(), posting=posting)
    application_hire(actor=officer, application=first)
    with pytest.raises(JobsError) as caught:
        application_hire(actor=officer, application=second)
    assert caught.value.message == ERR_FULL
    posting.refresh_from_db()
    assert posting.filled_count == 1


def test_a_hire_in_another_district_is_recorded_as_work_in_the_city(officer):
    person = PersonFactory()
    posting = JobPostingFactory(work_place_code="500112", work_district_code="500112", source="cross_zone")
    application_hire(actor=officer, application=application_refer(actor=officer, person=person, posting=posting))
    record = EmploymentMonth.objects.get(person=person)
    assert (record.place_class, record.channel, record.destination_code) == ("in_city", "migrant", "500112")


def test_a_hire_dated_in_a_future_month_is_refused_and_writes_no_employment(officer):
    from bangfu.monitoring.clock import programme_today

    today = programme_today()
    next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    application = application_refer(actor=officer, person=PersonFactory(), posting=JobPostingFactory())
    with pytest.raises(JobsError) as caught:
        application_hire(actor=officer, application=application, hired_on=next_month)
    assert caught.value.fields == {"hired_on": "日期不能晚于今天"}
    assert not EmploymentMonth.objects.exists()
    assert Application.objects.get(pk=application.pk).status != "hired"


def test_a_service_cannot_be_dated_in_the_future(officer):
    with pytest.raises(JobsError):
        service_record_create(actor=officer, person=PersonFactory(), kind="call",
                              served_on=TODAY + dt.timedelta(days=1))


# ---- pushes under caps --------------------------------------------------------------------
def market(n_workers=12, n_postings=6, headcount=1):
    people = [PersonFactory(skills="6-29-01-01", accepted_places="in_county,in_city",
                            expected_wage_fen=400_000) for _ in range(n_workers)]
    postings = [JobPostingFactory(headcount=headcount, wage_min_fen=450_000 + i * 10_000)
                for i in range(n_postings)]
    return people, postings


def test_pushes_respect_the_weekly_cap_never_repeat_and_keep_each_job_in_budget(settings):
    settings.BANGFU = {**settings.BANGFU, "PUSH_PER_WORKER_PER_WEEK": 2, "PUSH_BUDGET_FACTOR": 3}
    people, postings = market(n_workers=12, n_postings=6, headcount=1)
    for day in range(3):  # three runs in the same week
        match_run(actor=SYSTEM, on=TODAY)
    per_week = Push.objects.values("person", "week").annotate(n=Count("id"))
    assert max(r["n"] for r in per_week) <= 2
    per_pair = Push.objects.values("person", "posting").annotate(n=Count("id"))
    assert max(r["n"] for r in per_pair) == 1
    per_job = Push.objects.values("posting").annotate(n=Count("id"))
    assert max(r["n"] for r in per_job) <= math.ceil(3 * 1)
    assert Push.objects.count() == 6 * 3  # every job used its whole budget


def test_next_week_brings_new_jobs_but_never_the_same_job_again(settings):
    settings.BANGFU = {**settings.BANGFU, "PUSH_PER_WORKER_PER_WEEK": 1, "PUSH_BUDGET_FACTOR": 10}
    people, postings = market(n_workers=3, n_postings=4, headcount=2)
    match_run(actor=SYSTEM, on=TODAY)
    match_run(actor=SYSTEM, on=TODAY + dt.timedelta(days=7))
    assert Push.objects.values("person").annotate(n=Count("id")).filter(n=2).count() == 3
    assert Push.objects.values("person", "posting").distinct().count() == Push.objects.count()


def test_a_push_sends_one_text_per_worker_with_the_reasons():
    people, postings = market(n_workers=1, n_postings=3, headcount=5)
    result = match_run(actor=SYSTEM, on=TODAY)
    message = OutboxMessage.objects.get(kind="jobs.push")
    assert message.person_id == people[0].pk
    assert "【渝职聘】" in message.body and "县内" in message.body
    assert set(Push.objects.values_list("outbox_message_id", flat=True)) == {message.pk}
    assert result.summary["pushes"] == 3
    assert AuditLog.objects.filter(action="match.run").count() == 1


def test_a_dry_run_writes_nothing_and_shows_the_same_pushes():
    market(n_workers=4, n_postings=3, headcount=5)
    dry = match_run(actor=SYSTEM, on=TODAY, dry_run=True)
    assert not Push.objects.exists() and not OutboxMessage.objects.exists()
    real = match_run(actor=SYSTEM, on=TODAY)
    assert [(p["person"], p["job"]) for p in dry.pushes] == [(p["person"], p["job"]) for p in real.pushes]


def test_working_people_are_not_pushed_unless_they_registered_as_job_seekers(officer):
    working, seeker = PersonFactory(), PersonFactory()
    JobPostingFactory(headcount=5)
    month = TODAY.strftime("%Y-%m")
    for p in (working, seeker):
        EmploymentMonth.objects.create(person=p, month=month, place_class="in_county", channel="local")
    service_record_create(actor=officer, person=seeker, kind="registration")
    result = match_run(actor=SYSTEM, on=TODAY)
    assert {p["person"] for p in result.pushes} == {seeker.pk}


def test_a_district_run_pushes_only_that_districts_workers():
    here = PersonFactory()
    PersonFactory(district_code=WANZHOU, township_code="500101001")
    JobPostingFactory(headcount=5, work_place_code="500112", work_district_code="500112")
    result = match_run(actor=SYSTEM, area_code=FENGDU, on=TODAY)
    assert {p["person"] for p in result.pushes} == {here.pk}


# ---- the command --------------------------------------------------------------------------
def test_match_run_json_has_the_documented_shape():
    people, postings = market(n_workers=2, n_postings=2, headcount=3)
    out = StringIO()
    call_command("match", "run", "--district", FENGDU, "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data) == {"summary", "pushes"}
    assert data["summary"]["dry_run"] is True
    push = data["pushes"][0]
    assert set(push) == {"person", "job", "score", "reasons"}
    assert push["person"] in {p.pk for p in people} and push["job"] in {p.pk for p in postings}
    assert isinstance(push["score"], float) and all(isinstance(r, str) for r in push["reasons"])


def test_match_explain_names_the_vetoes_and_the_score_parts():
    person = PersonFactory(birth_date=dt.date(1960, 1, 1), township_code=FENGDU_TOWNSHIP)
    posting = JobPostingFactory(age_max=45)
    out = StringIO()
    call_command("match", "explain", "--person", str(person.pk), "--job", str(posting.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert [v["code"] for v in data["vetoes"]] == ["age"]
    assert {p["name"] for p in data["parts"]} == {"occupation", "wage", "distance", "employer", "priority"}


def test_a_hire_is_a_service_record_and_the_hired_job_is_no_longer_recommended(officer):
    from bangfu.jobs.matching import recommendations_for

    person = PersonFactory(skills="6-29-01-01")
    posting = JobPostingFactory(headcount=5, filled_count=0)
    assert posting.pk in {r["posting"].pk for r in recommendations_for(person, on=TODAY)}
    application = application_refer(actor=officer, person=person, posting=posting)
    assert posting.pk in {r["posting"].pk for r in recommendations_for(person, on=TODAY)}  # referred: still open
    application_hire(actor=officer, application=application, hired_on=TODAY)
    kinds = sorted(ServiceRecord.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == ["hire", "referral"]
    assert posting.pk not in {r["posting"].pk for r in recommendations_for(person, on=TODAY)}
