"""The monthly pay run: approved attendance → claims → a payments batch; welfare_post months."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from bangfu.core.actors import Forbidden
from bangfu.core.models import AuditLog
from bangfu.monitoring.models import EmploymentMonth
from bangfu.payments.models import Payment
from bangfu.payments.tests.factories import PayeeAccountFactory
from bangfu.posts import choices as c
from bangfu.posts.models import PostPay
from bangfu.posts.services import post_pay_batch_create, post_pay_run
from bangfu.posts.tests.factories import AttendanceFactory, PlacementFactory, WelfarePostFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP

pytestmark = pytest.mark.django_db
WAGES = {"default": 200_000, FENGDU: 210_000}


@pytest.fixture
def county(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


@override_settings(BANGFU={"POSTS_MIN_MONTHLY_WAGE_FEN": WAGES, "POSTS_MIN_HOURLY_WAGE_FEN": {"default": 2_100}})
def test_the_run_pays_passing_months_with_enough_days_once_and_is_batched(county):
    full = AttendanceFactory(rating=c.Rating.EXCELLENT)
    part_post = WelfarePostFactory(work_time=c.WorkTime.PART_TIME, hours_per_month=60)
    part = AttendanceFactory(placement=PlacementFactory(post=part_post))
    failed = AttendanceFactory(rating=c.Rating.FAIL)
    few_days = AttendanceFactory(days_present=7)
    waiting = AttendanceFactory(status=c.AttendanceStatus.RECORDED)
    elsewhere = AttendanceFactory(placement=PlacementFactory(post=WelfarePostFactory(
        district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)))
    for record in (full, part):
        PayeeAccountFactory(person=record.placement.person)

    result = post_pay_run(actor=county, month="2024-03")

    pay = {p.person_id: p.amount_fen for p in PostPay.objects.all()}
    assert pay == {full.placement.person_id: 210_000, part.placement.person_id: 60 * 2_100}
    assert (result.claims_created, result.failed_rating, result.too_few_days, result.not_approved) == (2, 1, 1, 1)
    assert elsewhere.placement.person_id not in pay and waiting.placement.person_id not in pay
    # Every approved, placed month of the area is an employment month on the welfare_post channel.
    months = dict(EmploymentMonth.objects.filter(month="2024-03").values_list("person_id", "channel"))
    assert months == {r.placement.person_id: "welfare_post" for r in (full, part, failed, few_days)}
    assert AuditLog.objects.filter(action="welfare_post.pay_run").count() == 1

    again = post_pay_run(actor=county, month="2024-03")
    assert (again.claims_created, again.already_claimed) == (0, 2)
    assert PostPay.objects.count() == 2 and EmploymentMonth.objects.filter(month="2024-03").count() == 4

    batch = post_pay_batch_create(actor=county, month="2024-03").batch
    assert batch.line_count == 2 and batch.total_fen == 210_000 + 126_000
    assert set(Payment.objects.values_list("claim_type", flat=True)) == {"welfare_post_pay"}
    assert set(PostPay.objects.values_list("status", flat=True)) == {c.PayStatus.PAYING}
    with pytest.raises(ValidationError):  # nothing left to pay for the month
        post_pay_batch_create(actor=county, month="2024-03")


def test_a_month_already_recorded_in_the_county_is_relabelled_not_counted_twice(county):
    record = AttendanceFactory()
    EmploymentMonth.objects.create(person=record.placement.person, month="2024-03", place_class="in_county",
                                   channel="local")
    post_pay_run(actor=county, month="2024-03")
    assert list(EmploymentMonth.objects.values_list("channel", flat=True)) == ["welfare_post"]


def test_a_township_officer_cannot_run_the_pay(make_user):
    with pytest.raises(PermissionDenied) as exc:
        post_pay_run(actor=make_user(role="township_officer", area_code=FENGDU_TOWNSHIP), month="2024-03")
    assert isinstance(exc.value, Forbidden)
