"""Insurance's KPI figures in the fill: each equals a count made here by hand over a small world.
The engine reads through its own connection: ``transactional_db``."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.core.figures import FigureValue
from bangfu.insurance.hooks import briefing_insurance
from bangfu.insurance.tests.factories import (
    ContributionFactory, InsuredRecordFactory, OrderDeclarationFactory, PlatformFactory, UnemploymentContributionFactory,
    VulnerableGroupFactory,
)
from bangfu.monitoring.models import KpiFigure
from bangfu.monitoring.services import kpi_fill
from bangfu.policies.services import policy_run
from bangfu.policies.tests.factories import example_policy
from bangfu.registry.models import Division, Place
from bangfu.registry.reference import load_reference_data
from bangfu.registry.tests.factories import FENGDU, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)
KEYS = ("pension_on_behalf_persons", "pension_on_behalf_yuan", "insured_vulnerable", "insured_vulnerable_rate",
        "injury_insured", "ui_reduction_yuan_ytd", "ui_refund_yuan_ytd")


@pytest.fixture
def world():
    if not Division.objects.exists():
        load_reference_data(Division, Place)
    people = [PersonFactory(birth_date=dt.date(1980 + i, 1, 1)) for i in range(4)]
    wanzhou = PersonFactory(birth_date=dt.date(1990, 1, 1), district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    PersonFactory(birth_date=dt.date(2015, 1, 1))  # a child: not in the cohort
    elder = PersonFactory(birth_date=dt.date(1950, 1, 1))  # draws a pension: not a contributor
    employee = PersonFactory(birth_date=dt.date(1985, 1, 1))  # on the employee scheme: not in its scope
    InsuredRecordFactory(person=employee, scheme="employee_pension")
    InsuredRecordFactory(person=elder, scheme="medical")
    for p in people[:3] + [wanzhou]:
        InsuredRecordFactory(person=p, scheme="resident_pension", on_behalf=True)
        InsuredRecordFactory(person=p, scheme="medical")
    InsuredRecordFactory(person=people[3], scheme="medical")  # no pension: not insured
    for p in people[:2]:
        VulnerableGroupFactory(person=p, group="dibao")
    ContributionFactory(person=people[3], month="2024-01")
    platform = PlatformFactory()
    OrderDeclarationFactory(platform=platform, month="2024-08", insured_workers=700)
    OrderDeclarationFactory(platform=platform, month="2024-09", insured_workers=800)
    for m in range(1, 10):
        UnemploymentContributionFactory(month=f"2024-{m:02d}", base_fen=1_000_000)  # reduction 10,000 fen a month
    policy_run(policy=example_policy("pension_premium_on_behalf"), period="2024", actor=SYSTEM, commit=True, area_code="50")
    return people


def figures(month: str, area: str = "50") -> dict:
    return {f.key: f for f in KpiFigure.objects.filter(month=month, area_code=area, key__in=KEYS)}


def test_each_insurance_figure_equals_the_count_made_by_hand(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last="2024-09")
    f = figures("2024-09")
    assert f["pension_on_behalf_persons"].value == 2
    assert f["pension_on_behalf_yuan"].value == 20_000
    assert f["insured_vulnerable"].value == 4  # three in 丰都 and one in 万州 of five in the cohort
    # the rate of the year to date: each month of January..September counts the cohort once
    assert (f["insured_vulnerable_rate"].value, f["insured_vulnerable_rate"].denominator) == (4 * 9, 5 * 9)
    assert f["injury_insured"].value == 800
    assert f["ui_reduction_yuan_ytd"].value == 9 * 10_000
    assert figures("2024-08")["injury_insured"].value == 700
    assert figures("2024-09", WANZHOU)["insured_vulnerable"].value == 1
    assert figures("2024-09", FENGDU)["pension_on_behalf_persons"].value == 2
    values = {k: FigureValue(k, v.value, v.denominator if k.endswith("_rate") else None, money=k.endswith("yuan")
                             or k.endswith("yuan_ytd")) for k, v in f.items()}
    text = briefing_insurance(month="2024-09", area_code="50", figures=values)
    assert "代缴城乡居民养老保险费" in text and "应保尽保" in text and "80.0%" in text and "职业伤害保障参保800人" in text


def test_the_cohort_s_ages_are_the_parameters_the_gap_list_reads(world, settings):
    settings.BANGFU = {**settings.BANGFU, "INSURANCE_PENSION_MAX_AGE": 40}  # those born 1980-83 are 41-44 in 2024
    kpi_fill(actor=SYSTEM, first="2024-09", last="2024-09")
    f = figures("2024-09")
    assert f["insured_vulnerable"].value == 1  # only the one born 1990 (万州) remains in the cohort
    assert (f["insured_vulnerable_rate"].value, f["insured_vulnerable_rate"].denominator) == (9, 9)
