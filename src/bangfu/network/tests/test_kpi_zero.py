"""零就业家庭 is one query grouped by month over the range; it gives the rows the former one
query per month gave (kept here as the reference), on a small world whose households gain and
lose workers inside the range, span two townships, or have only a non-worker employed."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest

from bangfu import codes
from bangfu.core.engine import engine_session
from bangfu.core.months import month_range
from bangfu.engine import schema as s
from bangfu.engine.kpi.months import worker_birth_window
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.network import kpi
from bangfu.registry.tests.factories import (
    FENGDU, FENGDU_TOWNSHIP, HouseholdFactory, PersonFactory, WANZHOU, WANZHOU_TOWNSHIP,
)

pytestmark = pytest.mark.django_db(transaction=True)
FIRST, LAST = "2023-01", "2024-12"


def month_by_month(engine, *, first: str, last: str):
    """The former expression: two reads of the persons for each month, the months stacked."""
    person = engine.table(s.PERSON)
    able = person.filter(person.labour_ability.isin(codes.WORKING_ABILITIES))
    employment = engine.table(s.EMPLOYMENT)

    def one_month(month: str):
        oldest, youngest = worker_birth_window(month)
        workers = able.filter((able.birth_date >= oldest) & (able.birth_date <= youngest))
        homes = workers.group_by(["household_id", *kpi.AREA]).aggregate(n=workers.count())
        e = employment.filter(employment.month == month).select(employed_person="person_id")
        p = person.select(employed_id="id", employed_household="household_id")
        busy = e.join(p, e.employed_person == p.employed_id).select(busy_household="employed_household").distinct()
        zero = homes.anti_join(busy, homes.household_id == busy.busy_household)
        return (zero.group_by(kpi.AREA).aggregate(value=zero.count())
                .mutate(month=ibis.literal(month)).select(*kpi.KEYS, "value"))

    return ibis.union(*[one_month(month) for month in month_range(first, last)])


@pytest.fixture
def world():
    wz = {"district_code": WANZHOU, "township_code": WANZHOU_TOWNSHIP}
    # Turns 16 in May 2023 and 66 (no longer a worker) in March 2024; each alone at home.
    PersonFactory(birth_date=dt.date(2007, 5, 10))
    PersonFactory(birth_date=dt.date(1958, 3, 2), **wz)
    # Employed some months only; a second worker who is never employed.
    home = HouseholdFactory()
    worker = PersonFactory(household=home)
    PersonFactory(household=home, birth_date=dt.date(1990, 1, 1))
    for month in ("2023-02", "2023-03", "2024-09"):
        EmploymentMonthFactory(person=worker, month=month)
    EmploymentMonthFactory(person=worker, month="2022-12")  # before the range
    # Only a non-worker (unable) employed: the household is not a zero-employment one that month.
    home = HouseholdFactory(**wz)
    PersonFactory(household=home, **wz)
    EmploymentMonthFactory(person=PersonFactory(household=home, labour_ability="unable", **wz), month="2024-06")
    # A household whose workers live in two townships counts in each.
    home = HouseholdFactory()
    PersonFactory(household=home)
    PersonFactory(household=home, **wz)
    EmploymentMonthFactory(person=PersonFactory(household=home, birth_date=dt.date(1950, 1, 1)), month="2024-01")
    # No worker at all: never counted.
    PersonFactory(household=HouseholdFactory(), labour_ability="unable")
    PersonFactory(birth_date=dt.date(2015, 1, 1))


def rows(engine, query, **window):
    t = engine.execute(query(engine, **window))
    return sorted((r.month, r.district_code, r.township_code, int(r.value)) for r in t.itertuples())


def test_the_one_query_gives_the_rows_of_the_query_per_month(world):
    with engine_session() as session:
        new = rows(session.engine, kpi.zero_employment_households, first=FIRST, last=LAST)
        old = rows(session.engine, month_by_month, first=FIRST, last=LAST)
        short = rows(session.engine, kpi.zero_employment_households, first="2024-09", last="2024-09")
    assert new == old
    assert short == [r for r in old if r[0] == "2024-09"]
    months = {r[0] for r in new}
    assert months == set(month_range(FIRST, LAST))  # every month has a zero-employment household
    by = {(r[0], r[2]): r[3] for r in new}
    assert by[("2023-05", FENGDU_TOWNSHIP)] == by[("2023-04", FENGDU_TOWNSHIP)] + 1  # the girl is 16
    assert by[("2023-03", FENGDU_TOWNSHIP)] == by[("2023-04", FENGDU_TOWNSHIP)] - 1  # the home employed
    assert by[("2024-06", WANZHOU_TOWNSHIP)] == by[("2024-05", WANZHOU_TOWNSHIP)] - 1  # the unable one
    assert by[("2024-03", WANZHOU_TOWNSHIP)] == by[("2024-02", WANZHOU_TOWNSHIP)] - 1  # he turned 66
    assert {r[1] for r in new} == {FENGDU, WANZHOU}
