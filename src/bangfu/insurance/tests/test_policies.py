"""The premium on behalf and the job-retention refund as engine policies: granted by their rules,
explained, once per person (enterprise) and year, and read back by the insurance lists. The
engine reads committed data through its own connection, hence ``transaction=True``."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.employers.tests.factories import EmployerFactory
from bangfu.insurance import selectors
from bangfu.insurance.tests.factories import (
    ContributionFactory, UnemploymentContributionFactory, VulnerableGroupFactory,
)
from bangfu.policies.models import Entitlement
from bangfu.policies.selectors import granted_explanation
from bangfu.policies.services import policy_run
from bangfu.policies.tests.factories import example_policy
from bangfu.registry.tests.factories import FENGDU, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_premium_on_behalf_pays_the_groups_once_a_year_whole_or_in_part(make_user):
    dibao = PersonFactory(birth_date=dt.date(1980, 1, 1))
    VulnerableGroupFactory(person=dibao, group="dibao", year=2024)
    monitored = PersonFactory(birth_date=dt.date(1990, 1, 1), category="monitored")
    old = PersonFactory(birth_date=dt.date(1960, 1, 1))
    VulnerableGroupFactory(person=old, group="tekun", year=2024)  # 64 in 2024: draws, does not pay
    pupil = PersonFactory(birth_date=dt.date(2006, 1, 1), in_school=True, category="monitored")
    last_year = PersonFactory(birth_date=dt.date(1985, 1, 1))
    VulnerableGroupFactory(person=last_year, group="dibao", year=2023)
    PersonFactory(birth_date=dt.date(1985, 1, 1))  # 脱贫人口 only: not in the city's default groups
    employed = PersonFactory(birth_date=dt.date(1985, 1, 1), category="monitored")
    ContributionFactory(person=employed, month="2024-02")  # an employee pension: not on behalf
    policy = example_policy("pension_premium_on_behalf")
    run = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    granted = dict(Entitlement.objects.filter(policy=policy).values_list("person_id", "amount_fen"))
    assert granted == {dibao.pk: 10_000, monitored.pk: 5_000}
    assert run.created == 2 and pupil.pk not in granted
    again = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert (again.created, again.already_existed) == (0, 2)
    explained = "\n".join(granted_explanation(Entitlement.objects.get(person=dibao)).lines())
    assert "应发 100 元" in explained
    officer = make_user(role="district_officer", area_code=FENGDU)
    assert {e.person_id for e in selectors.on_behalf_list(user=officer, year=2024)} == {dibao.pk, monitored.pk}
    stranger = make_user(role="district_officer", area_code=WANZHOU)
    assert not selectors.on_behalf_list(user=stranger, year=2024).exists()


def _months(firm, first, last, **kw):
    y, m = first
    while (y, m) <= last:
        UnemploymentContributionFactory(employer=firm, month=f"{y}-{m:02d}", **kw)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def test_the_refund_returns_a_share_of_last_years_contributions_to_stable_employers(make_user):
    sme = EmployerFactory()
    _months(sme, (2024, 1), (2024, 12), scale="sme", insured_count=20, base_fen=1_000_000)
    large = EmployerFactory()
    _months(large, (2023, 7), (2024, 12), scale="large", insured_count=100, base_fen=10_000_000)
    shedding = EmployerFactory()
    _months(shedding, (2023, 1), (2024, 12), scale="large", insured_count=100, base_fen=10_000_000,
            leavers_claiming=1)  # 12 left in 2024: 12 %
    young = EmployerFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    _months(young, (2024, 3), (2024, 12), scale="sme", insured_count=5, base_fen=100_000)
    policy = example_policy("job_retention_refund")
    policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    granted = dict(Entitlement.objects.filter(policy=policy).values_list("employer_id", "amount_fen"))
    # SME: 60 % of 12 × 100 yuan; large: 30 % of 12 × 1,000 yuan (1 % of the base).
    assert granted == {sme.pk: 72_000, large.pk: 360_000}
    again = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert again.created == 0 and Entitlement.objects.filter(policy=policy).count() == 2
    assert {e.employer_id for e in selectors.refund_list(user=make_user(), year=2024)} == {sme.pk, large.pk}

