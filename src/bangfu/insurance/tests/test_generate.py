"""The insurance step of ``bangfu generate``: at a small population its data scale to the
article's figures (31万 persons and 2600余万 paid on behalf, 56万 injury-insured, 22亿 of UI
reduction at 1.9 million people) and the insured list leaves ~0.6 % as coverage gaps."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from bangfu.insurance import generate as gen
from bangfu.insurance.models import CoverageGap, InsuredRecord, OrderDeclaration, UnemploymentContribution
from bangfu.policies.models import Entitlement
from bangfu.registry.generate import GenerateContext
from bangfu.registry.generate.pipeline import app_steps, registry_step

pytestmark = pytest.mark.django_db
PEOPLE = 4000


@pytest.fixture
def ctx():
    ctx = GenerateContext(seed=3, people=PEOPLE, load=True)
    registry_step(ctx)
    for _app, step in app_steps(("monitoring", "policies", "insurance")):
        step(ctx)
    return ctx


def test_the_generated_insurance_data_scale_to_the_article(ctx):
    share = PEOPLE / gen.REFERENCE_PEOPLE
    on_behalf = Entitlement.objects.filter(policy__code="pension_premium_on_behalf", period="2024")
    assert abs(on_behalf.count() - gen.ON_BEHALF_PERSONS * share) <= 0.02 * gen.ON_BEHALF_PERSONS * share
    assert on_behalf.aggregate(s=Sum("amount_fen"))["s"] >= 26_000_000 * 100 * share
    # the on-behalf persons are on the insured list as paid on behalf
    assert InsuredRecord.objects.filter(on_behalf=True).count() == on_behalf.count()
    last = OrderDeclaration.objects.filter(month="2024-12").aggregate(s=Sum("insured_workers"))["s"]
    assert abs(last - gen.INJURY_INSURED * share) <= 0.02 * gen.INJURY_INSURED * share
    reduction = UnemploymentContribution.objects.filter(month__startswith="2024-").aggregate(s=Sum("reduction_fen"))["s"]
    assert abs(reduction - gen.UI_REDUCTION_FEN * share) <= 0.01 * gen.UI_REDUCTION_FEN * share
    gaps = CoverageGap.objects.filter(closed_on__isnull=True).values("person").distinct().count()
    assert 0 < gaps < 0.02 * PEOPLE
    assert ctx.counts["insurance"]["refunds"] == 0  # inside a test's transaction the engine waits
