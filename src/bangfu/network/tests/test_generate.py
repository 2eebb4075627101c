"""The network step of the scenario: a market in every district, every worker on one primary
helper's caseload, the helpers' services and the workshops' lifecycle, scaled to the people."""

from __future__ import annotations

import numpy as np
import pytest
from django.db.models import Count

from bangfu.network.generate import MARKETS, REFERENCE_PEOPLE, SERVICES_JAN_SEP, helper_plan, market_plan
from bangfu.network.models import Caseload, GigMarket, Helper, ServiceRecord, Workshop
from bangfu.registry.generate import GenerateContext, run_generate
from bangfu.registry.models import Person

pytestmark = pytest.mark.django_db
PEOPLE = 1500


def test_the_scenario_gives_every_district_a_market_and_every_worker_a_primary_helper():
    ctx = GenerateContext(seed=5, people=PEOPLE, load=True)
    run_generate(ctx)
    districts = set(Person.objects.values_list("district_code", flat=True))
    assert set(GigMarket.objects.filter(listed=True).values_list("district_code", flat=True)) == districts
    workers = np.asarray(ctx.persons["is_worker"], dtype=bool).sum()
    assert Caseload.objects.filter(primary=True, ended_on__isnull=True).count() == workers
    assert not Caseload.objects.values("person").annotate(n=Count("id")).filter(n__gt=1).exists()
    helper_area = dict(Helper.objects.values_list("pk", "township_code"))
    assert all(helper_area[h] == t for h, t in Caseload.objects.values_list("helper_id", "township_code"))
    jan_sep = ServiceRecord.objects.filter(month__gte="2024-01", month__lte="2024-09").count()
    assert abs(jan_sep - SERVICES_JAN_SEP * PEOPLE / REFERENCE_PEOPLE) <= 9
    assert Workshop.objects.filter(status="running").count() == Workshop.objects.filter(active=True).count() > 0
    assert not Workshop.objects.filter(recognised_on__isnull=True).exists()
    assert ctx.counts["network"]["helpers"] == Helper.objects.filter(status="registered").count()


def test_at_the_articles_scale_there_are_116_markets_and_26000_helpers():
    class Big:  # the plan only reads the persons frame and its size
        def __init__(self, n):
            rng = np.random.default_rng(3)
            codes = np.array([f"5001{d:02d}" for d in range(1, 39)])
            district = codes[rng.integers(0, 38, n)]
            self.persons = {"district_code": district,
                            "township_code": np.char.add(district, rng.integers(100, 130, n).astype(str)),
                            "is_worker": rng.random(n) < 0.6, "household_index": np.arange(n)}
            self.person_count = n

    big = Big(REFERENCE_PEOPLE)
    rng = np.random.default_rng(1)
    markets = market_plan(big, rng)
    assert len(markets) == MARKETS and len({m["district_code"] for m in markets}) == 38
    helpers, assignment = helper_plan(big, rng)
    assert len(helpers) == 26_000
    assert len(assignment) == int(big.persons["is_worker"].sum())
    towns = np.asarray([h["township_code"] for h in helpers])
    assert (towns[assignment[:, 1]] == big.persons["township_code"][assignment[:, 0]]).all()


def test_the_scenario_sends_organised_batches_by_destination_province_and_a_new_helper_gets_a_fresh_id():
    """Run on PostgreSQL too: the helpers are inserted with explicit ids, so without the sequence
    reset the first helper registered afterwards collides with a generated one."""
    import datetime as dt

    from bangfu.core.actors import SYSTEM
    from bangfu.core.places import place_facts
    from bangfu.monitoring.models import EmploymentMonth
    from bangfu.network.models import OutflowBatch, OutflowMember
    from bangfu.network.services import helper_apply

    ctx = GenerateContext(seed=5, people=PEOPLE, load=True)
    run_generate(ctx)
    batches = list(OutflowBatch.objects.all())
    assert batches and ctx.counts["network"]["outflow_batches"] == len(batches)
    members = list(OutflowMember.objects.select_related("batch"))
    assert len(members) == ctx.counts["network"]["outflow_workers"]
    assert ServiceRecord.objects.filter(kind="outflow").count() == len(members)
    assert {b.pk for b in batches} == {m.batch_id for m in members}  # no empty batch
    helper_area = dict(Helper.objects.values_list("pk", "township_code"))
    for b in batches:
        facts = place_facts(b.destination_code)  # a city of the shipped data, its region from there
        assert len(b.destination_code) == 4 and facts is not None
        assert b.cooperation_region == (facts.cooperation_region or "")
        assert helper_area[b.helper_id][:6] == b.owner_area_code and b.month == f"2024-{b.departed_on.month:02d}"
    # each member left in the batch's month for the batch's province, from the batch's district
    first = {}
    for person, month, dest in (EmploymentMonth.objects.filter(place_class="out_of_city", month__startswith="2024-")
                                .order_by("month").values_list("person_id", "month", "destination_code")):
        first.setdefault(person, (month, dest))
    for m in members:
        month, city = first[m.person_id]
        assert month == m.batch.month and city[:2] == m.batch.destination_code[:2]
        assert m.district_code == m.batch.owner_area_code
    assert not EmploymentMonth.objects.filter(person_id__in=[m.person_id for m in members], month="2023-12",
                                              place_class="out_of_city").exists()
    # every generated helper can be paid: an encrypted account of their own
    assert not Helper.objects.filter(bank_account="").exists()
    stored = Helper.objects.values_list("bank_account", flat=True).first()
    assert stored.startswith("6228") and len(stored) == 19
    newest = max(helper_area)
    helper = helper_apply(actor=SYSTEM, name="新经纪人", role="broker", birth_date=dt.date(1985, 1, 1),
                          district_code=helper_area[batches[0].helper_id][:6],
                          township_code=helper_area[batches[0].helper_id])
    assert helper.pk > newest
