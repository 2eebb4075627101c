"""The generator step of the subsidies app: facts, accounts and the example policies."""

from __future__ import annotations

import pytest

from bangfu.employers.models import Employer
from bangfu.insurance.models import SocialInsuranceContribution
from bangfu.network.models import Workshop, WorkshopMember
from bangfu.payments.models import PayeeAccount
from bangfu.policies.models import Policy
from bangfu.registry.generate import GenerateContext, run_generate

pytestmark = pytest.mark.django_db


def test_generating_loads_enterprises_contributions_workshops_accounts_and_the_example_policies():
    ctx = GenerateContext(seed=7, people=1500, load=True)
    run_generate(ctx)
    counts = ctx.counts["policies"]
    # The jobs step adds employers of its own (postings); the enterprises are those with an account.
    enterprises = Employer.objects.exclude(bank_account_hash="")
    assert counts["enterprises"] == enterprises.count() > 0
    assert counts["contributions"] == SocialInsuranceContribution.objects.count() > 0
    assert counts["workshops"] == Workshop.objects.count() > 0
    assert counts["workshop_members"] == WorkshopMember.objects.count() > 0
    assert counts["payee_accounts"] == PayeeAccount.objects.count() > 1000
    assert set(Policy.objects.values_list("code", flat=True)) == {
        "transport_subsidy", "employer_insurance_subsidy", "workshop_award", "pension_premium_on_behalf",
        "job_retention_refund",
        "workshop_build_grant_recognition", "workshop_build_grant_operation", "broker_outflow_award"}
    account = PayeeAccount.objects.first()
    assert len(account.account) == 19 and account.account_masked.count("*") == 11
    from stdnum.cn import uscc

    assert all(uscc.is_valid(code) for code in Employer.objects.values_list("uscc", flat=True))
    assert Workshop.objects.filter(employer__in=enterprises).count() == Workshop.objects.count()
    months = set(SocialInsuranceContribution.objects.values_list("month", flat=True))
    assert max(months) <= "2024-12" and min(months) >= "2021-01"


def test_the_same_seed_generates_the_same_facts():
    from bangfu.policies.generate import make_facts
    from bangfu.registry.generate.pipeline import registry_step

    def facts():
        ctx = GenerateContext(seed=11, people=800)
        registry_step(ctx)
        return make_facts(ctx, ctx.rng_for("policies"))

    first, second = facts(), facts()
    assert first["contributions"] == second["contributions"] and first["members"] == second["members"]
