"""Posts from request to exit: the workflow, the refusals in Chinese, and the audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from bangfu.core.models import AuditLog
from bangfu.monitoring.models import EmploymentMonth
from bangfu.posts import choices as c
from bangfu.posts import errors as e
from bangfu.posts.errors import PostsError
from bangfu.posts.models import Placement
from bangfu.posts.services import (
    Counts, attendance_approve, attendance_record, contract_limit, placement_create, placement_exit,
    placement_sign, post_approve, post_request, post_review,
)
from bangfu.posts.tests.factories import NOTICE_START, PlacementFactory, WelfarePostFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, HouseholdFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def township(make_user):
    return make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)


@pytest.fixture
def county(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


def refused(template: str, **values) -> str:
    return _(template).format(**values) if values else _(template)


def test_a_post_goes_from_village_request_through_township_review_to_county_approval(township, county):
    post = post_request(actor=township, name="村道保洁", post_type=c.PostType.PUBLIC_SERVICE, district_code=FENGDU,
                        township_code=FENGDU_TOWNSHIP, village="新村", funding_source=c.FundingSource.LINKAGE_FUND,
                        funding_year=2024, headcount=2)
    assert post.status == c.PostStatus.REQUESTED
    post_review(actor=township, post=post, approve=True)
    with pytest.raises(PermissionDenied):  # the township cannot approve for the county
        post_approve(actor=township, post=post, approve=True)
    post = post_approve(actor=county, post=post, approve=True)
    assert post.status == c.PostStatus.APPROVED
    assert list(AuditLog.objects.filter(object_id=str(post.pk)).order_by("id").values_list("action", flat=True)) == [
        "welfare_post.request", "welfare_post.review", "welfare_post.approve"]


def test_a_part_time_post_needs_its_monthly_hours(township):
    with pytest.raises(PostsError) as exc:
        post_request(actor=township, name="护林", post_type=c.PostType.ASSIST_MANAGEMENT, district_code=FENGDU,
                     township_code=FENGDU_TOWNSHIP, village="新村", funding_source=c.FundingSource.EMPLOYMENT_FUND,
                     funding_year=2024, work_time=c.WorkTime.PART_TIME)
    assert exc.value.messages == [refused(e.ERR_PART_TIME_HOURS)]


def test_a_placement_starts_a_notice_of_five_working_days(county):
    post = WelfarePostFactory()
    person = PersonFactory(labour_ability="weak")
    placement = placement_create(actor=county, post=post, person=person, notice_start=dt.date(2024, 9, 27))
    # From Friday 2024-09-27: Sunday 29 September (a make-up working day) and Monday 30, then
    # the National Day holiday 1-7 October, then 8, 9 and 10 October.
    assert placement.notice_end == dt.date(2024, 10, 10)
    assert placement.status == c.PlacementStatus.NOTICE
    assert placement.priority_rank == 1


def test_a_second_placement_in_one_household_is_refused(county):
    household = HouseholdFactory()
    first, second = PersonFactory(household=household), PersonFactory(household=household)
    placement_create(actor=county, post=WelfarePostFactory(), person=first, notice_start=NOTICE_START)
    with pytest.raises(PostsError) as exc:
        placement_create(actor=county, post=WelfarePostFactory(), person=second, notice_start=NOTICE_START,
                         override_reason="同户")
    assert exc.value.messages == [refused(e.ERR_HOUSEHOLD_PLACED)]


def test_a_person_placed_in_another_post_is_refused(county):
    person = PersonFactory()
    PlacementFactory(person=person)
    with pytest.raises(PostsError) as exc:
        placement_create(actor=county, post=WelfarePostFactory(), person=person, notice_start=NOTICE_START)
    assert exc.value.messages == [refused(e.ERR_PERSON_PLACED)]


def test_the_database_keeps_one_live_placement_per_person_and_per_household():
    placement = PlacementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(person=placement.person, post=WelfarePostFactory())
    other = PersonFactory(household=placement.household)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementFactory(person=other, household=placement.household)
    # An exited placement frees the person and the household.
    Placement.objects.filter(pk=placement.pk).update(status=c.PlacementStatus.EXITED)
    assert PlacementFactory(person=other, household=placement.household).pk


def test_an_ineligible_person_is_refused_with_the_rule_and_the_value(county):
    person = PersonFactory(birth_date=dt.date(1960, 1, 1))
    with pytest.raises(PostsError) as exc:
        placement_create(actor=county, post=WelfarePostFactory(), person=person, notice_start=NOTICE_START)
    assert "新安置不超过60周岁" in exc.value.messages[0] and "64周岁" in exc.value.messages[0]


def test_choosing_below_the_first_ranked_needs_a_reason_which_is_audited(county):
    post = WelfarePostFactory()
    PersonFactory(labour_ability="weak", category="monitored")  # ranked first
    chosen = PersonFactory()
    with pytest.raises(PostsError) as exc:
        placement_create(actor=county, post=post, person=chosen, notice_start=NOTICE_START)
    assert exc.value.messages == [refused(e.ERR_OVERRIDE_REASON, rank=2)]
    placement = placement_create(actor=county, post=post, person=chosen, notice_start=NOTICE_START,
                                 override_reason="排名第一者本人放弃")
    entry = AuditLog.objects.get(action="welfare_post.place", object_id=str(placement.pk))
    assert entry.detail["override"] is True and entry.detail["override_reason"] == "排名第一者本人放弃"
    assert placement.override_reason == "排名第一者本人放弃" and placement.priority_rank == 2


def test_the_contract_waits_for_the_end_of_the_notice_and_is_at_most_36_months(county):
    placement = placement_create(actor=county, post=WelfarePostFactory(), person=PersonFactory(),
                                 notice_start=NOTICE_START)
    with pytest.raises(PostsError) as exc:
        placement_sign(actor=county, placement=placement, contract_start=dt.date(2024, 1, 9),
                       planned_end=dt.date(2024, 12, 31))
    assert exc.value.messages == [refused(e.ERR_NOTICE_NOT_OVER, end="2024-01-09")]
    with pytest.raises(PostsError):
        placement_sign(actor=county, placement=placement, contract_start=dt.date(2024, 1, 10),
                       planned_end=dt.date(2027, 1, 10))
    placement = placement_sign(actor=county, placement=placement, contract_start=dt.date(2024, 1, 10),
                               planned_end=dt.date(2027, 1, 9))
    assert placement.status == c.PlacementStatus.ACTIVE


def test_a_contract_may_run_to_retirement_when_fewer_than_five_years_remain():
    young = PersonFactory(birth_date=dt.date(1980, 3, 5))
    assert contract_limit(young, dt.date(2024, 1, 10)) == dt.date(2027, 1, 9)  # 36 months
    near = PersonFactory(birth_date=dt.date(1966, 3, 5))  # 57 at the start: retires at 60 on 2026-03-05
    assert contract_limit(near, dt.date(2024, 1, 10)) == dt.date(2026, 3, 5)
    older = PersonFactory(birth_date=dt.date(1963, 3, 5))  # 56 at the start: retirement beyond 36 months
    assert contract_limit(older, dt.date(2020, 1, 10)) == dt.date(2023, 3, 5)


def test_attendance_for_a_person_not_placed_that_month_is_refused(township):
    person = PersonFactory()
    with pytest.raises(PostsError) as exc:
        attendance_record(actor=township, person=person, month="2024-03", rating=c.Rating.PASS,
                          counts=Counts(20, 0, 0, 0))
    assert exc.value.messages == [refused(e.ERR_NOT_PLACED_THAT_MONTH, month="2024-03")]
    placement = PlacementFactory(person=person)  # contract from 2024-01-15
    with pytest.raises(PostsError):
        attendance_record(actor=township, person=person, month="2023-12", counts=Counts(20, 0, 0, 0))
    record, outcome = attendance_record(actor=township, person=person, month="2024-03", marks="√√√事病旷√",
                                        rating=c.Rating.PASS)
    assert outcome == "created" and record.placement == placement
    assert (record.days_present, record.days_personal_leave, record.days_sick_leave, record.days_absent) == (4, 1, 1, 1)
    assert attendance_record(actor=township, person=person, month="2024-03", marks="√√√事病旷√",
                             rating=c.Rating.PASS)[1] == "unchanged"


def test_a_month_without_a_rating_cannot_be_approved(township, county):
    person = PersonFactory()
    PlacementFactory(person=person)
    record, _ = attendance_record(actor=township, person=person, month="2024-03", counts=Counts(20, 0, 0, 0))
    with pytest.raises(PostsError) as exc:
        attendance_approve(actor=county, ids=[record.pk])
    assert exc.value.messages == [refused(e.ERR_NO_RATING, month="2024-03")]
    attendance_record(actor=township, person=person, month="2024-03", counts=Counts(20, 0, 0, 0),
                      rating=c.Rating.EXCELLENT)
    assert attendance_approve(actor=county, ids=[record.pk]) == 1
    with pytest.raises(PostsError):  # approved: no more changes
        attendance_record(actor=township, person=person, month="2024-03", counts=Counts(19, 0, 0, 0),
                          rating=c.Rating.EXCELLENT)


def test_an_exit_records_its_coded_reason_and_frees_the_household(county):
    placement = PlacementFactory()
    placement_exit(actor=county, placement=placement, reason=c.ExitReason.STABLE_WORK, exit_date=dt.date(2024, 6, 30))
    placement.refresh_from_db()
    assert (placement.status, placement.exit_reason) == (c.PlacementStatus.EXITED, "stable_work")
    assert not EmploymentMonth.objects.exists()
    sibling = PersonFactory(household=placement.household)
    assert placement_create(actor=county, post=WelfarePostFactory(), person=sibling, notice_start=dt.date(2024, 7, 1),
                            override_reason="原在岗人员已退出").pk
