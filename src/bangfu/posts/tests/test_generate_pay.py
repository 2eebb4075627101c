"""The scenario pays the posts' months (posts.generate_pay): one settled batch a month, returned
on the 10th of the next, for the persons with a payee account; the rest stays approved; the
money shows in welfare_post_paid_yuan_ytd and not in 政策兑现资金."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.monitoring.models import KpiFigure
from bangfu.monitoring.services import kpi_fill
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.payments.tests.factories import PayeeAccountFactory
from bangfu.posts import generate_pay
from bangfu.posts.models import PostPay
from bangfu.posts.tests.factories import AttendanceFactory, PlacementFactory

pytestmark = pytest.mark.django_db(transaction=True)
MONTHS = ("2024-08", "2024-09", "2024-12")


def pay_months(placement, amount_fen: int = 210_000) -> None:
    for month in MONTHS:
        attendance = AttendanceFactory(placement=placement, month=month)
        PostPay.objects.create(attendance=attendance, placement=placement, person=placement.person, month=month,
                               amount_fen=amount_fen, district_code=placement.district_code,
                               township_code=placement.township_code)
        EmploymentMonthFactory(person=placement.person, month=month, place_class="in_county",
                               destination_code="", channel="welfare_post")


def test_only_returned_months_of_persons_with_an_account_are_paid():
    with_account, without = PlacementFactory(), PlacementFactory()
    PayeeAccountFactory(person=with_account.person)
    for placement in (with_account, without):
        pay_months(placement)
    ctx = SimpleNamespace(load=True, as_of=dt.date(2024, 12, 31), counts={}, say=lambda *a: None,
                          progress=lambda *a: None)
    generate_pay.generate_step(ctx)

    # August is returned on 10 September, September on 10 October; December's return is next year
    assert list(PaymentBatch.objects.order_by("scope").values_list("scope", "line_count", "status")) == [
        ("2024-08", 1, "settled"), ("2024-09", 1, "settled")]
    assert dict(PostPay.objects.filter(person=with_account.person).values_list("month", "status")) == {
        "2024-08": "paid", "2024-09": "paid", "2024-12": "approved"}
    assert set(PostPay.objects.filter(person=without.person).values_list("status", flat=True)) == {"approved"}
    assert ctx.counts["posts_pay"] == {"batches": 2, "payments": 2, "paid_fen": 420_000}
    settled = Payment.objects.get(claim_id=PostPay.objects.get(person=with_account.person, month="2024-09").pk)
    assert settled.settled_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date() == dt.date(2024, 10, 10)

    kpi_fill(actor=SYSTEM, first="2024-09", last="2024-10")
    figures = {(f.month, f.key): f.value for f in KpiFigure.objects.filter(area_code="50")}
    assert figures[("2024-09", "welfare_post_paid_yuan_ytd")] == 210_000  # August's pay, returned in September
    assert figures[("2024-10", "welfare_post_paid_yuan_ytd")] == 420_000
    assert figures.get(("2024-10", "policy_paid_yuan_ytd"), 0) == 0  # post pay is not 政策兑现资金


def test_the_payable_months_end_with_the_last_return_before_the_clock():
    assert generate_pay.payable_months(dt.date(2024, 12, 31))[-1] == "2024-11"
    assert generate_pay.payable_months(dt.date(2024, 10, 9))[-1] == "2024-08"
    assert generate_pay.payable_months(dt.date(2024, 1, 20)) == []
