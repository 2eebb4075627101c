"""The network's figures in the KPI fill, each equal to a count made here by hand over a small
world on both sides of the district line; and the briefing's paragraph from them."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.jobs.models import ServiceRecord as JobService
from bangfu.monitoring.models import EmploymentMonth, KpiFigure
from bangfu.monitoring.services import kpi_fill
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.network.hooks import briefing_network
from bangfu.network.models import GigMarket, Helper, OutflowMember, ServiceRecord, Workshop, WorkshopMember
from bangfu.network.tests.factories import (
    GigMarketFactory, HelperFactory, ServiceRecordFactory, WorkshopFactory, WorkshopMemberFactory,
)
from bangfu.registry.models import Division, Household, Place, Person
from bangfu.registry.reference import load_reference_data
from bangfu.registry.tests.factories import FENGDU, HouseholdFactory, PersonFactory, WANZHOU, WANZHOU_TOWNSHIP

pytestmark = pytest.mark.django_db(transaction=True)
SEPTEMBER = "2024-09"
KEYS = ("gig_markets", "workshops", "workshop_workers", "workshop_alleviated_workers", "helpers", "services_ytd",
        "organised_outflow_ytd", "zero_employment_households")


@pytest.fixture
def world():
    if not Division.objects.exists():
        load_reference_data(Division, Place)
    wz = {"district_code": WANZHOU, "township_code": WANZHOU_TOWNSHIP}
    GigMarketFactory()
    GigMarketFactory(**wz)
    GigMarketFactory(listed=False)  # not in the directory
    running = WorkshopFactory(total_workers=25)
    WorkshopFactory(status="applied", active=False, total_workers=9)
    WorkshopFactory(**wz, total_workers=7)
    WorkshopMemberFactory(workshop=running, start_month="2024-01")
    WorkshopMemberFactory(workshop=running, start_month="2024-03", end_month="2024-08")  # gone by September
    WorkshopMemberFactory(workshop=running, person=PersonFactory(category="monitored"))  # not 脱贫人口
    HelperFactory()
    HelperFactory(status="trained")
    HelperFactory(**wz)
    ServiceRecordFactory(served_on=dt.date(2024, 3, 5), month="2024-03")
    ServiceRecordFactory(served_on=dt.date(2023, 3, 5), month="2023-03")  # last year
    person = PersonFactory(**wz)
    JobService.objects.create(person=person, kind="referral", served_on=dt.date(2024, 9, 2), month=SEPTEMBER, **wz)
    from bangfu.accounts.tests.factories import UserFactory
    from bangfu.network.services import outflow_batch_create

    officer = UserFactory(role="district_officer", area_code=FENGDU)
    outflow_batch_create(actor=officer, name="赴粤", departed_on=dt.date(2024, 2, 20), destination_code="4403",
                         persons=[PersonFactory(), PersonFactory()])
    busy = HouseholdFactory()
    EmploymentMonthFactory(person=PersonFactory(household=busy), month=SEPTEMBER)
    PersonFactory(household=busy)


def hand_counts(area: str) -> dict[str, int]:
    def inside(district: str) -> bool:
        return area == "50" or district == area

    workers_of = {}
    for p in Person.objects.all():
        if p.is_worker_on(dt.date(2024, 9, 30)):
            workers_of.setdefault(p.household_id, []).append(p)
    employed = set(EmploymentMonth.objects.filter(month=SEPTEMBER).values_list("person__household_id", flat=True))
    active = ("recognised", "running")
    return {
        "gig_markets": sum(1 for m in GigMarket.objects.all() if m.listed and inside(m.district_code)),
        "workshops": sum(1 for w in Workshop.objects.all() if w.status in active and inside(w.district_code)),
        "workshop_workers": sum(w.total_workers for w in Workshop.objects.all()
                                if w.status in active and inside(w.district_code)),
        "workshop_alleviated_workers": sum(
            1 for m in WorkshopMember.objects.select_related("workshop", "person")
            if m.workshop.status in active and inside(m.workshop.district_code) and m.person.category == "alleviated"
            and m.start_month <= SEPTEMBER and (not m.end_month or m.end_month >= SEPTEMBER)),
        "helpers": sum(1 for h in Helper.objects.all() if h.status == "registered" and inside(h.district_code)),
        "services_ytd": sum(1 for r in [*ServiceRecord.objects.all(), *JobService.objects.all()]
                            if "2024-01" <= r.month <= SEPTEMBER and inside(r.district_code)),
        "organised_outflow_ytd": sum(1 for m in OutflowMember.objects.select_related("batch")
                                     if "2024-01" <= m.batch.month <= SEPTEMBER and inside(m.district_code)),
        "zero_employment_households": sum(1 for h in Household.objects.all()
                                          if h.pk in workers_of and h.pk not in employed and inside(h.district_code)),
    }


def stored(area: str) -> dict[str, int]:
    rows = {(f.area_code, f.key): f.value for f in KpiFigure.objects.filter(month=SEPTEMBER)}
    return {key: rows.get((area, key), 0) for key in KEYS}


def test_each_network_figure_equals_the_count_made_by_hand(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    for area in ("50", FENGDU, WANZHOU):
        assert stored(area) == hand_counts(area), area
    city = hand_counts("50")
    assert city["gig_markets"] == 2 and city["workshops"] == 2 and city["workshop_alleviated_workers"] == 1
    assert city["services_ytd"] >= 4  # the helper's, the referral and the two outflow departures
    assert city["zero_employment_households"] >= 1


def test_the_briefing_names_markets_workshops_and_helpers():
    class F:
        def __init__(self, value):
            self.value = value

        def text(self, unit=""):
            return f"{self.value}{unit}"

    text = briefing_network(month=SEPTEMBER, area_code="50", figures={
        "gig_markets": F(116), "workshops": F(632), "helpers": F(26000), "organised_outflow_ytd": F(0)})
    assert "116" in text and "632" in text and "26000" in text and "有组织" not in text
    assert briefing_network(month=SEPTEMBER, area_code="50", figures={}) == ""
