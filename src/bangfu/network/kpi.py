"""The network's figures for the KPI tables (``KPI_FIGURES`` in ``network/hooks.py``), as engine
queries: Django-free, the same expression on DuckDB, SQLite, PostgreSQL and Spark.

Stocks without history (markets, workshops, helpers: the register as it stands) return no
``month`` column; the monthly ones are one small query per month, stacked (see posts/kpi.py), or, where a
month's query would read the persons, one query grouped by month (zero_employment_households)."""

from __future__ import annotations

import ibis

from bangfu import codes
from bangfu.core.months import month_range
from bangfu.engine import schema as s
from bangfu.engine.kpi import expressions as x
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
    """零就业家庭: households with at least one worker in the month and nobody employed that month.

    One query over the month range (the persons are read for the workers and for the employed,
    not twice per month): per household and township the workers of each month, one column
    ``w<i>`` each (the trick of ``engine.kpi.expressions.workers_by_township``), and per
    household whether anybody (a worker or not) is employed in each month, ``e<i>``: a month's
    figure is the households with a worker and nobody employed. A range of more months than a
    64-bit mask holds is done in pieces, stacked."""
    months = month_range(first, last)
    if len(months) > x.MASK_MONTHS:
        pieces = [months[i:i + x.MASK_MONTHS] for i in range(0, len(months), x.MASK_MONTHS)]
        return ibis.union(*[zero_employment_households(engine, first=p[0], last=p[-1]) for p in pieces])
    person = engine.table(s.PERSON)
    able = person.filter(person.labour_ability.isin(codes.WORKING_ABILITIES))
    homes = able.group_by(["household_id", *AREA]).aggregate(
        **{f"w{i}": _count_if(_is_worker_in(able.birth_date, m)) for i, m in enumerate(months)})
    busy = _employed_months(engine, person, months)
    h = homes.left_join(busy, homes.household_id == busy.busy_household)
    having = h.group_by(AREA).aggregate(
        **{f"w{i}": _count_if((h[f"w{i}"] > 0) & (h[f"e{i}"].fill_null(0) == 0)) for i in range(len(months))})
    having = having.cross_join(ibis.memtable({"month": months}))
    zero = having.select(having.month.cast("string"), *AREA, value=_pick(having.month, months, having))
    return zero.filter(zero.value > 0).select(*KEYS, "value")



def _employed_months(engine, person, months: list[str]):
    """Per household with anybody employed in ``months``: ``e<i>`` 1 when somebody is employed in
    ``months[i]``. Each person's months as a bit mask (``x.month_masks``: one grouping by person, an
    integer, rather than a distinct of millions of (household, month) pairs), the bits then spread
    over the household's members. In the KPI fill the masks the KPI engine made for the same
    window are reused (Engine.memo)."""
    memo = getattr(engine, "memo", {}).get(x.MASKS_MEMO)
    if memo is not None and tuple(memo[1:]) == (months[0], months[-1]):
        masks = memo[0]
    else:
        masks = x.month_masks(engine.table(EMPLOYMENT), months[0], months[-1])
    masks = masks.select(employed_person="person_id", mask="mask")
    p = person.select(employed_id="id", busy_household="household_id")
    m = masks.join(p, masks.employed_person == p.employed_id)
    return m.group_by("busy_household").aggregate(
        **{f"e{i}": ((m.mask >> i) & 1).max() for i in range(len(months))})


def _count_if(condition):
    # ifelse(1, 0).sum() rather than a boolean sum: it compiles the same on every backend.
    return condition.ifelse(1, 0).sum()


def _is_worker_in(birth_date, month: str):
    oldest, youngest = worker_birth_window(month)
    return (birth_date >= oldest) & (birth_date <= youngest)


def _pick(month, months: list[str], t):
    """The row's column ``w<i>`` of its month ``months[i]``."""
    return ibis.cases(*[(month == m, t[f"w{i}"]) for i, m in enumerate(months)], else_=0)
