"""The generator's paid subsidies and its cross-zone calibration: at a small scale, January..
September 2024 comes out at the article's figures per person (DESIGN.md section 5), through the
KPI fill, and every payment is the end of a chain the example policies' rules explain."""

from __future__ import annotations

import numpy as np
import pytest
from django.db.models import Count, Sum

from bangfu import codes
from bangfu.monitoring.models import EmploymentMonth, KpiFigure
from bangfu.payments.models import PayeeAccount, Payment, PaymentBatch
from bangfu.policies import generate_payments as gp
from bangfu.policies.models import Entitlement, PolicyRun
from bangfu.registry.generate import GenerateContext
from bangfu.registry.generate.pipeline import app_steps, registry_step
from bangfu.registry.models import Person
from bangfu.core.actors import SYSTEM

PEOPLE = 6000
PER_PERSON = gp.REFERENCE_PEOPLE


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """Registry, monitoring and policies steps loaded and filled once for the module (then cleaned up)."""
    from bangfu.monitoring.services import kpi_fill

    with django_db_blocker.unblock():
        ctx = GenerateContext(seed=5, people=PEOPLE, load=True)
        registry_step(ctx)
        for _app, step in app_steps(("monitoring", "policies")):
            step(ctx)
        kpi_fill(actor=SYSTEM, first="2024-01", last="2024-09")
        yield ctx
        _clean()


def _clean() -> None:
    from bangfu.core.models import AuditLog
    from bangfu.employers.models import Employer
    from bangfu.insurance.models import SocialInsuranceContribution
    from bangfu.monitoring.models import (
        HouseholdIncome, KpiArea, KpiBreakdown, KpiFillState, MonthReport, Target,
    )
    from bangfu.network.models import Workshop, WorkshopMember
    from bangfu.policies.models import Policy, PolicyVersion
    from bangfu.registry.models import Household

    for model in (Payment, PaymentBatch, Entitlement, PolicyRun, Policy, PolicyVersion, WorkshopMember, Workshop,
                  SocialInsuranceContribution, PayeeAccount, Employer, KpiFigure, KpiBreakdown, KpiArea,
                  KpiFillState, EmploymentMonth, HouseholdIncome, Target, MonthReport, Person, Household, AuditLog):
        model.objects.all().delete()


def _figure(key: str) -> int:
    return KpiFigure.objects.get(month="2024-09", area_code="50", key=key).value


@pytest.mark.django_db
def test_january_to_september_pays_the_articles_money_per_person(generated):
    per_person = _figure("policy_paid_yuan_ytd") / 100 / PEOPLE
    article = 400_000_000 / PER_PERSON  # 4亿元+ at 1.9 million people
    assert article <= per_person <= 1.05 * article


@pytest.mark.django_db
def test_january_to_september_reaches_the_articles_person_times_per_person(generated):
    per_person = _figure("policy_person_times_ytd") / PEOPLE
    article = 370_000 / PER_PERSON  # 37万人次
    assert 0.98 * article <= per_person <= 1.02 * article


@pytest.mark.django_db
def test_main_metro_jobs_for_the_other_zones_come_to_5_wan_odd_at_full_scale(generated):
    at_full_scale = _figure("main_metro_jobs_for_other_zones") * PER_PERSON / PEOPLE
    # "5万余" is 50,000-59,999; a sample of 6,000 people moves it by about a tenth either way.
    assert 45_000 <= at_full_scale < 65_000


@pytest.mark.django_db
def test_every_payment_pays_a_paid_entitlement_of_the_same_amount_once(generated):
    lines = Payment.objects.filter(claim_type="entitlement")
    assert lines.count() == lines.values("claim_id").distinct().count() > 0
    assert set(lines.values_list("status", flat=True)) == {"paid"}
    paid = dict(Entitlement.objects.filter(status="paid").values_list("pk", "amount_fen"))
    assert dict(lines.values_list("claim_id", "amount_fen")) == paid
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"paid", "approved"}


@pytest.mark.django_db
def test_every_batch_adds_up_and_was_returned_by_the_bank_in_the_generators_year(generated):
    for batch in PaymentBatch.objects.annotate(n=Count("payments"), fen=Sum("payments__amount_fen")):
        assert (batch.line_count, batch.total_fen, batch.paid_count, batch.paid_fen) == (
            batch.n, batch.fen, batch.n, batch.fen)
        assert batch.status == "settled" and batch.settled_at.year == generated.as_of.year
        assert batch.scope.startswith(f"{Entitlement.objects.get(pk=batch.payments.first().claim_id).policy.code}/")


@pytest.mark.django_db
def test_a_person_is_paid_into_their_own_payee_account(generated):
    accounts = dict(PayeeAccount.objects.values_list("person_id", "account_hash"))
    people = Payment.objects.filter(payee_person__isnull=False).values_list("payee_person_id", "account_hash")
    assert people and all(accounts[p] == h for p, h in people)
    enterprises = Payment.objects.filter(payee_person__isnull=True)
    assert enterprises.exists() and not enterprises.filter(payee_employer__isnull=True).exists()


@pytest.mark.django_db
def test_the_transport_subsidy_goes_to_exactly_the_workers_who_left_their_county(generated):
    year = str(generated.as_of.year)
    left = set(EmploymentMonth.objects.filter(month__startswith=year, place_class__in=codes.OUTSIDE_COUNTY)
               .values_list("person_id", flat=True))
    far = set(EmploymentMonth.objects.filter(month__startswith=year, place_class__in=codes.OUTSIDE_CITY)
              .values_list("person_id", flat=True))
    granted = dict(Entitlement.objects.filter(policy__code="transport_subsidy", period=year)
                   .values_list("person_id", "amount_fen"))
    assert set(granted) == left
    assert all(fen == (20_000 if p in far else 5_000) for p, fen in granted.items())


@pytest.mark.django_db
def test_the_pension_premium_goes_to_the_vulnerable_groups_and_monitored_people_of_working_age(generated):
    from bangfu.insurance.generate import vulnerable_groups

    granted = Entitlement.objects.filter(policy__code="pension_premium_on_behalf")
    assert granted.exists()
    grouped = set(np.asarray(generated.persons["id"])[vulnerable_groups(generated)["index"]].tolist())
    for person_id, fen, category in granted.values_list("person_id", "amount_fen", "person__category"):
        # whole for the groups (低保, 特困, 重度残疾), half for monitored persons outside them
        assert fen == (10_000 if person_id in grouped else 5_000)
        assert person_id in grouped or category == "monitored"
    assert not Person.objects.filter(entitlements__policy__code="pension_premium_on_behalf", in_school=True).exists()


@pytest.mark.django_db
def test_the_same_seed_schedules_the_same_payments(generated):
    import numpy as np

    from bangfu.policies.generate import make_facts

    facts = make_facts(generated, generated.rng_for("policies"))
    runs = []
    for _ in range(2):
        grants = gp.make_grants(generated, facts)
        payable = {"person": np.ones(PEOPLE, bool), "enterprise": np.ones(len(facts["enterprises"]), bool),
                   "workshop": np.ones(len(facts["workshops"]), bool)}
        gp.schedule(generated, generated.rng_for("policies-payments"), grants, payable)
        runs.append([g.paid_month.tolist() for g in grants])
    assert runs[0] == runs[1]
