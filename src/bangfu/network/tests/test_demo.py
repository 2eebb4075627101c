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
