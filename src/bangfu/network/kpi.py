"""The network's figures for the KPI tables (``KPI_FIGURES`` in ``network/hooks.py``), as engine
queries: Django-free, the same expression on DuckDB, SQLite, PostgreSQL and Spark.

Stocks without history (markets, workshops, helpers: the register as it stands) return no
``month`` column; the monthly ones are one small query per month, stacked (see posts/kpi.py)."""

from __future__ import annotations

import ibis

from bangfu import codes
from bangfu.core.months import month_range
from bangfu.engine import schema as s
from bangfu.engine.kpi.months import worker_birth_window

MARKET = "network_gigmarket"
WORKSHOP = "network_workshop"
MEMBER = "network_workshopmember"
HELPER = "network_helper"
SERVICE = "network_servicerecord"
JOB_SERVICE = "jobs_servicerecord"  # jobs' referrals and hires are 就业服务人次 too
OUTFLOW = "network_outflowbatch"
OUTFLOW_MEMBER = "network_outflowmember"
EMPLOYMENT = s.EMPLOYMENT
AREA = ["district_code", "township_code"]
KEYS = ["month", *AREA]
ALLEVIATED = "alleviated"  # 脱贫人口


def _each_month(first: str, last: str, one_month):
    return ibis.union(*[one_month(month) for month in month_range(first, last)])


def _count(t):
    return t.group_by(AREA).aggregate(value=t.count())


def gig_markets(engine, *, first: str, last: str):
    """Gig markets and stations in the published directory (列入名录、未停用)."""
    t = engine.table(MARKET)
    return _count(t.filter(t.listed & t.closed_on.isnull()))


def workshops(engine, *, first: str, last: str):
    """Workshops recognised or running (认定有效)."""
    t = engine.table(WORKSHOP)
    return _count(t.filter(t.status.isin(codes.WORKSHOP_ACTIVE)))


def workshop_workers(engine, *, first: str, last: str):
    """Everyone the recognised or running workshops employ, as they last reported."""
    t = engine.table(WORKSHOP)
    t = t.filter(t.status.isin(codes.WORKSHOP_ACTIVE))
    return t.group_by(AREA).aggregate(value=t.total_workers.sum())


def _members_in(engine, category: str | None):
    m = engine.table(MEMBER)
    w = engine.table(WORKSHOP)
    w = w.filter(w.status.isin(codes.WORKSHOP_ACTIVE)).select(shop_id="id", district_code="district_code",
                                                              township_code="township_code")
    j = m.join(w, m.workshop_id == w.shop_id)
    if category:
        p = engine.table(s.PERSON)
        p = p.filter(p.category == category).select(member_person_id="id")
        j = j.join(p, j.person_id == p.member_person_id)
    return j


def workshop_alleviated_workers(engine, *, first: str, last: str):
    """Poverty-alleviated persons working in a workshop in the month (an open spell that month)."""
    j = _members_in(engine, ALLEVIATED)

    def one_month(month: str):
        t = j.filter((j.start_month <= month) & ((j.end_month == "") | (j.end_month >= month)))
        return (t.group_by(AREA).aggregate(value=t.person_id.nunique())
                .mutate(month=ibis.literal(month)).select(*KEYS, "value"))

    return _each_month(first, last, one_month)


def helpers(engine, *, first: str, last: str):
    """Registered helpers (已备案的劳务经纪人、职业指导师等)."""
    t = engine.table(HELPER)
    return _count(t.filter(t.status == "registered"))


def _by_month(t, first: str, last: str):
    t = t.filter((t.month >= first) & (t.month <= last))
    return t.group_by(KEYS).aggregate(value=t.count())


def services_by_month(engine, *, first: str, last: str):
    """Employment services (就业服务人次): the helpers' records and jobs' (referrals, hires …)."""
    cols = [*KEYS]
    a = engine.table(SERVICE).select(*cols)
    b = engine.table(JOB_SERVICE).select(*cols)
    return _by_month(ibis.union(a, b), first, last)


def organised_outflow(engine, *, first: str, last: str):
    """Workers sent in organised outflow batches (有组织劳务输出人数), in the month they left."""
    m = engine.table(OUTFLOW_MEMBER)
    b = engine.table(OUTFLOW).select(outflow_id="id", month="month")
    j = m.join(b, m.batch_id == b.outflow_id)
    return _by_month(j.select(*KEYS), first, last)


def zero_employment_households(engine, *, first: str, last: str):
    """零就业家庭: households with at least one worker in the month and nobody employed that month."""
    person = engine.table(s.PERSON)
    able = person.filter(person.labour_ability.isin(codes.WORKING_ABILITIES))
    employment = engine.table(EMPLOYMENT)

    def one_month(month: str):
        oldest, youngest = worker_birth_window(month)
        workers = able.filter((able.birth_date >= oldest) & (able.birth_date <= youngest))
        homes = workers.group_by(["household_id", *AREA]).aggregate(n=workers.count())
        e = employment.filter(employment.month == month).select(employed_person="person_id")
        p = person.select(employed_id="id", employed_household="household_id")
        busy = e.join(p, e.employed_person == p.employed_id).select(busy_household="employed_household").distinct()
        zero = homes.anti_join(busy, homes.household_id == busy.busy_household)
        return (zero.group_by(AREA).aggregate(value=zero.count())
                .mutate(month=ibis.literal(month)).select(*KEYS, "value"))

    return _each_month(first, last, one_month)
