"""The posts step of ``bangfu generate``: September 2024's placements in proportion to the
article's 9.6万 at 1.9 million people, each placed month a ``welfare_post`` employment month
(and no other), the employment scale unchanged, attendance and pay claims for 2024."""

from __future__ import annotations

from collections import Counter

import pytest

from bangfu.core.months import first_day, last_day
from bangfu.monitoring import generate as monitoring_generate
from bangfu.monitoring.models import EmploymentMonth, KpiFigure
from bangfu.posts import generate
from bangfu.posts.models import Attendance, Placement, PostPay
from bangfu.registry.generate import GenerateContext
from bangfu.registry.generate.pipeline import registry_step

PEOPLE = 8000


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ctx = GenerateContext(seed=7, people=PEOPLE, load=True, scenario="chongqing-2024")
        registry_step(ctx)
        monitoring_generate.generate_step(ctx)
        generate.generate_step(ctx)
        yield ctx
        from bangfu.core.models import AuditLog
        from bangfu.monitoring.models import HouseholdIncome, KpiArea, KpiBreakdown, KpiFillState, MonthReport, Target
        from bangfu.posts.models import WelfarePost
        from bangfu.registry.models import Household, Person

        for model in (KpiFigure, PostPay, Attendance, Placement, WelfarePost, KpiBreakdown, KpiArea, KpiFillState,
                      EmploymentMonth, HouseholdIncome, Target, MonthReport, Person, Household, AuditLog):
            model.objects.all().delete()


def in_post_during(p: Placement, month: str) -> bool:
    return (p.contract_start is not None and p.contract_start <= last_day(month)
            and (p.exit_date is None or p.exit_date >= first_day(month)))


@pytest.mark.django_db
def test_september_2024_has_the_articles_placements_in_proportion(generated):
    end = last_day("2024-09")
    placed = (Placement.objects.filter(status__in=("active", "exited"), contract_start__lte=end,
                                       person__category="alleviated")
              .exclude(exit_date__lte=end).count())
    expected = round(96_000 * PEOPLE / 1_900_000)
    assert abs(placed - expected) <= 0.02 * expected, (placed, expected)
    # not everyone placed is in post in September: some left, some start later, some are in 公示
    statuses = Counter(Placement.objects.values_list("status", flat=True))
    assert statuses["exited"] > 0 and statuses["notice"] > 0


@pytest.mark.django_db
def test_each_placed_month_is_a_welfare_post_month_and_no_other_is(generated):
    months = generated.shared["monitoring"]["months"]
    placed = {(p.person_id, m) for p in Placement.objects.all() for m in months if in_post_during(p, m)}
    welfare = set(EmploymentMonth.objects.filter(channel="welfare_post").values_list("person_id", "month"))
    assert placed and placed == welfare
    assert not EmploymentMonth.objects.filter(channel="welfare_post").exclude(place_class="in_county").exists()


@pytest.mark.django_db
def test_the_employment_scale_is_the_monitoring_steps(generated):
    shared = generated.shared["monitoring"]
    stored = Counter(EmploymentMonth.objects.values_list("month", flat=True))
    assert stored == {m: int(mask.sum()) for m, mask in zip(shared["months"], shared["employed"])}


@pytest.mark.django_db
def test_2024_has_approved_attendance_and_pay_claims_for_every_month_in_post(generated):
    placements = list(Placement.objects.exclude(contract_start=None))
    expected = {(p.pk, f"2024-{m:02d}") for p in placements for m in range(1, 13) if in_post_during(p, f"2024-{m:02d}")}
    records = list(Attendance.objects.all())
    assert {(a.placement_id, a.month) for a in records} == expected
    assert {a.status for a in records} == {"approved"}
    paying = {a.pk for a in records if a.rating != "fail" and a.days_present >= 8}
    assert set(PostPay.objects.values_list("attendance_id", flat=True)) == paying
    assert PostPay.objects.filter(amount_fen__lte=0).count() == 0


@pytest.mark.django_db(transaction=False)
def test_no_household_holds_two_live_placements(generated):
    live = Counter(Placement.objects.filter(status__in=("notice", "active")).values_list("household_id", flat=True))
    assert live and max(live.values()) == 1
