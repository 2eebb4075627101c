"""The demo step links the demo broker to a helper with people to serve, once."""

from __future__ import annotations

import pytest
from rich.console import Console

from bangfu.core.hooks import DemoContext
from bangfu.network.demo import demo_network
from bangfu.network.models import Caseload, Helper
from bangfu.registry.tests.factories import FENGDU, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_broker_gets_a_caseload_once(make_user):
    user = make_user("broker", FENGDU, username="broker")
    people = [PersonFactory() for _ in range(3)]
    ctx = DemoContext(console=Console(quiet=True), people=0)
    demo_network(ctx)
    helper = Helper.objects.get(user=user)
    assert set(Caseload.objects.filter(helper=helper).values_list("person_id", flat=True)) == {p.pk for p in people}
    demo_network(ctx)
    assert Helper.objects.count() == 1 and Caseload.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_demo_broker_sends_a_batch_and_the_district_gets_broker_awards_once(make_user):
    from bangfu.monitoring.tests.factories import EmploymentMonthFactory
    from bangfu.network.models import OutflowBatch
    from bangfu.policies.models import Entitlement

    user = make_user("broker", FENGDU, username="broker")
    people = [PersonFactory() for _ in range(4)]
    for p in people[:3]:  # three left for 深圳 in March and stayed; the fourth stayed home
        for month in ("2024-03", "2024-04", "2024-05", "2024-06"):
            EmploymentMonthFactory(person=p, month=month, place_class="out_of_city", destination_code="4403")
    ctx = DemoContext(console=Console(quiet=True), people=0)
    demo_network(ctx)
    helper = Helper.objects.get(user=user)
    batch = OutflowBatch.objects.get(helper=helper)
    assert batch.month == "2024-03" and batch.destination_code == "4403" and batch.cooperation_region == "pearl_delta"
    assert set(batch.members.values_list("person_id", flat=True)) == {p.pk for p in people[:3]}
    award = Entitlement.objects.get(policy__code="broker_outflow_award")
    assert (award.helper_id, award.period, award.amount_fen, award.status) == (helper.pk, "2024", 3 * 20_000, "pending")
    demo_network(ctx)
    assert OutflowBatch.objects.count() == 1 and Entitlement.objects.count() == 1
