"""The living allowance and the provider subsidy as engine policies: who gets what, the refusal
for a month on unemployment benefit named in the explanation, never twice, paid as a batch of
``payments``. The engine reads committed data through its own connection: ``transactional_db``."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.employers.tests.factories import EmployerFactory
from bangfu.engine.policy import explain_beneficiary
from bangfu.insurance.models import UnemploymentBenefitMonth
from bangfu.payments.tests.factories import PayeeAccountFactory
from bangfu.policies.models import Entitlement, Policy
from bangfu.policies.services import entitlement_approve, entitlement_batch_create, policy_run
from bangfu.policies.services.runs import open_engine_for_explain
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.training import choices as c
from bangfu.training.policies import ALLOWANCE, SUBSIDY, allowance_definition, training_policies_load
from bangfu.training.tests.factories import CertificateFactory, CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    provider = EmployerFactory(with_account=True)
    junior = CourseFactory(provider=provider, days=15, level=c.SkillLevel.JUNIOR,
                           start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 3, 20))
    senior = CourseFactory(provider=provider, days=40, level=c.SkillLevel.SENIOR,
                           start_date=dt.date(2024, 5, 6), end_date=dt.date(2024, 6, 28))
    people = {
        "plain": CertificateFactory(enrolment__course=junior).person,
        "long": CertificateFactory(enrolment__course=senior, enrolment__days_attended=36).person,
        "benefit": CertificateFactory(enrolment__course=junior).person,
        "monitored": CertificateFactory(enrolment__course=junior,
                                        enrolment__person=PersonFactory(category="monitored")).person,
        "uncertified": EnrolmentFactory(course=junior).person,
    }
    UnemploymentBenefitMonth.objects.create(person=people["benefit"], month="2024-03", amount_fen=180_000)
    # A benefit month outside the course does not refuse the allowance.
    UnemploymentBenefitMonth.objects.create(person=people["plain"], month="2024-07", amount_fen=180_000)
    training_policies_load(actor=SYSTEM)
    return provider, people


def granted(code: str) -> dict[int, int]:
    return dict(Entitlement.objects.filter(policy__code=code).values_list("beneficiary_id", "amount_fen"))


def test_loading_twice_changes_nothing_and_a_new_rate_is_a_new_version(world, settings):
    assert set(training_policies_load(actor=SYSTEM).values()) == {"unchanged"}
    settings.BANGFU = {**settings.BANGFU, "TRAINING_ALLOWANCE_YUAN_PER_DAY": 120}
    assert training_policies_load(actor=SYSTEM)[ALLOWANCE] == "updated"
    assert "* 120" in Policy.objects.get(code=ALLOWANCE).current_version.amount


def test_the_allowance_pays_certified_alleviated_trainees_per_day_up_to_thirty_days_once(world):
    _provider, people = world
    policy = Policy.objects.get(code=ALLOWANCE)
    first = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert granted(ALLOWANCE) == {people["plain"].pk: 15 * 100 * 100, people["long"].pk: 30 * 100 * 100}
    assert first.created == 2
    again = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert again.created == 0 and Entitlement.objects.filter(policy=policy).count() == 2


def test_a_trainee_on_unemployment_benefit_in_a_course_month_is_refused_with_that_reason(world):
    _provider, people = world
    with open_engine_for_explain() as engine:
        refused = explain_beneficiary(engine, allowance_definition(), "2024", people["benefit"].pk)
        paid = explain_beneficiary(engine, allowance_definition(), "2024", people["plain"].pk)
    assert not refused.eligible
    failed = [clause for clause in refused.clauses if clause.holds is False]
    assert [clause.text for clause in failed] == ["training_benefit_months == 0"]
    assert "培训期间领取失业保险金月数" in refused.summary
    assert paid.eligible and paid.amount_fen == 150_000


def test_the_provider_gets_the_subsidy_of_each_certified_trainees_level(world):
    provider, _people = world
    policy_run(policy=Policy.objects.get(code=SUBSIDY), period="2024", actor=SYSTEM, commit=True, area_code="50")
    # three certified on the junior course (1,000 each), one on the senior course (2,500)
    assert granted(SUBSIDY) == {provider.pk: (3 * 1000 + 2500) * 100}


def test_approved_allowances_are_paid_in_a_batch_of_payments(world, make_user):
    _provider, people = world
    for key in ("plain", "long"):
        PayeeAccountFactory(person=people[key])
    policy = Policy.objects.get(code=ALLOWANCE)
    policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    officer = make_user(role="district_officer", area_code=FENGDU)
    entitlement_approve(actor=officer, queryset=Entitlement.objects.filter(policy=policy))
    result = entitlement_batch_create(actor=officer, policy=policy, period="2024")
    assert result.lines == 2 and result.total_fen == (15 + 30) * 100 * 100


def test_every_engine_grants_the_same_allowances_and_subsidies(world):
    results = {}
    for engine in ("sqlite", "duckdb"):
        Entitlement.objects.all().delete()
        for code in (ALLOWANCE, SUBSIDY):
            policy_run(policy=Policy.objects.get(code=code), period="2024", actor=SYSTEM, commit=True,
                       area_code="50", engine=engine)
        results[engine] = sorted(Entitlement.objects.values_list("policy__code", "beneficiary_id", "amount_fen"))
    assert results["sqlite"] == results["duckdb"] and len(results["duckdb"]) == 3
