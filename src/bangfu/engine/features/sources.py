"""Sources: the facts of one period, keyed by beneficiary id (column ``bid``).

Every aggregate feature names one source; ``feature_table`` groups each source once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis

from bangfu import codes
from bangfu.engine import schema
from bangfu.engine.features import training
from bangfu.engine.features.definitions import (
    CONTRIBUTION, EMPLOYER, ENTITLEMENT, HELPER, OUTFLOW_BATCH, OUTFLOW_MEMBER, POLICY, WORKSHOP, WORKSHOP_MEMBER,
    WORKSHOP_RATING, FeatureContext, Period,
)


def _in_period(col, period: Period):
    return (col >= period.first_month) & (col <= period.last_month)


def _month_index(col):
    """'YYYY-MM' -> year * 12 + month - 1 (so consecutive months differ by one)."""
    return col.substr(0, 4).cast("int64") * 12 + col.substr(5, 2).cast("int64") - 1


def _src_employment(ctx: FeatureContext):
    t = ctx.table(schema.EMPLOYMENT)
    t = t.filter(_in_period(t.month, ctx.period))
    return t.mutate(bid=t.person_id)


def _src_person_contributions(ctx: FeatureContext):
    """One row per person and month with any contribution, flagging pension months."""
    t = ctx.table(CONTRIBUTION)
    t = t.filter(_in_period(t.month, ctx.period))
    return t.group_by(bid=t.person_id, month=t.month).aggregate(
        pension=(t.insurance_type == "pension").ifelse(1, 0).max(),
    )


def _src_enterprise_contributions(ctx: FeatureContext):
    """One row per enterprise, worker and month of the period with the employer share paid (fen)
    and ``nth``: the how-manieth month this enterprise paid for this worker, counted over all
    time (the subsidy covers at most N months per worker)."""
    t = ctx.table(CONTRIBUTION)
    t = t.filter(t.insurance_type.isin(codes.SUBSIDISED_INSURANCE_TYPES))
    monthly = t.group_by(employer_id=t.employer_id, person_id=t.person_id, month=t.month).aggregate(
        employer_fen=t.employer_fen.sum(),
    )
    ranked = monthly.mutate(
        nth=ibis.row_number().over(
            group_by=[monthly.employer_id, monthly.person_id], order_by=monthly.month
        ) + 1
    )
    ranked = ranked.filter(_in_period(ranked.month, ctx.period))
    return ranked.mutate(bid=ranked.employer_id)


def _src_workshop_members(ctx: FeatureContext):
    """One row per workshop and member with the months of the period the member worked there."""
    t = ctx.table(WORKSHOP_MEMBER)
    first = ctx.period.year * 12
    last = ctx.period.year * 12 + 11
    start = _month_index(t.start_month)
    end = ibis.ifelse(t.end_month == "", last, _month_index(t.end_month.fill_null(ctx.period.last_month)))
    lo = ibis.ifelse(start > first, start, first)
    hi = ibis.ifelse(end < last, end, last)
    overlap = ibis.ifelse(hi >= lo, hi - lo + 1, 0)
    rows = t.mutate(months=overlap)
    return rows.group_by(bid=rows.workshop_id, person_id=rows.person_id).aggregate(
        months=rows.months.sum()
    )


def _src_workshop_ratings(ctx: FeatureContext):
    """The workshop's rating of the period's year (at most one row: unique on workshop and year)."""
    t = ctx.table(WORKSHOP_RATING)
    t = t.filter(t.year == ctx.period.year)
    return t.select(bid=t.workshop_id, rating=t.rating, review_passed=t.review_passed.ifelse(1, 0))


def _src_outflow_members(ctx: FeatureContext):
    """One row per helper and worker of the helper's organised outflow batches (有组织劳务输出)
    that left in the period, with ``months``: the worker's employment months from the month of
    their (first) departure of the period on (that month included)."""
    b = ctx.table(OUTFLOW_BATCH)
    b = b.filter(_in_period(b.month, ctx.period) & b.helper_id.notnull())
    b = b.select(outflow_id=b.id, helper_id=b.helper_id, departed=b.month)
    m = ctx.table(OUTFLOW_MEMBER)
    j = m.join(b, m.batch_id == b.outflow_id)
    workers = j.group_by(bid=j.helper_id, person_id=j.person_id).aggregate(departed=j.departed.min())
    e = ctx.table(schema.EMPLOYMENT)
    e = e.select(employed_person=e.person_id, employed_month=e.month)
    stayed = workers.left_join(e, (workers.person_id == e.employed_person) & (e.employed_month >= workers.departed))
    return stayed.group_by(bid=stayed.bid, person_id=stayed.person_id).aggregate(
        months=stayed.employed_month.nunique()
    )


def _src_entitlements(ctx: FeatureContext):
    t = ctx.table(ENTITLEMENT)
    p = ctx.table(POLICY)
    t = t.filter((t.beneficiary_kind == ctx.kind) & t.status.isin(codes.RECEIVED_STATUSES))
    j = t.join(p, t.policy_id == p.id)
    return j.select(bid=j.beneficiary_id, period=j.period, policy_code=j.code)


def _src_home_division(ctx: FeatureContext):
    base = base_table(ctx)
    d = ctx.table(schema.DIVISION)
    j = base.join(d, base.district_code == d.code)
    return j.select(bid=j.bid, region_group=j.region_group)


SOURCES: dict[str, Callable[[FeatureContext], Any]] = {
    "employment": _src_employment,
    "person_contributions": _src_person_contributions,
    "enterprise_contributions": _src_enterprise_contributions,
    "workshop_members": _src_workshop_members,
    "workshop_ratings": _src_workshop_ratings,
    "outflow_members": _src_outflow_members,
    "entitlements": _src_entitlements,
    "home_division": _src_home_division,
}
SOURCE_TABLES: dict[str, tuple[str, ...]] = {
    "employment": (schema.EMPLOYMENT,),
    "person_contributions": (CONTRIBUTION,),
    "enterprise_contributions": (CONTRIBUTION,),
    "workshop_members": (WORKSHOP_MEMBER,),
    "workshop_ratings": (WORKSHOP_RATING,),
    "outflow_members": (OUTFLOW_BATCH, OUTFLOW_MEMBER, schema.EMPLOYMENT),
    "entitlements": (ENTITLEMENT, POLICY),
    "home_division": (schema.DIVISION,),
}
SOURCES.update(training.SOURCES)
SOURCE_TABLES.update(training.SOURCE_TABLES)
# Social insurance's sources (vulnerable groups, unemployment-insurance contributions).
from bangfu.engine.features import insurance as _insurance  # noqa: E402

SOURCES.update(_insurance.SOURCES)
SOURCE_TABLES.update(_insurance.SOURCE_TABLES)

BASE_TABLES = {"person": schema.PERSON, "enterprise": EMPLOYER, "workshop": WORKSHOP, "helper": HELPER}


def base_table(ctx: FeatureContext):
    t = ctx.table(BASE_TABLES[ctx.kind])
    return t.mutate(bid=t.id)
