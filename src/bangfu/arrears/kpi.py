"""根治欠薪's figures for the KPI tables (``KPI_FIGURES`` in ``arrears/hooks.py``), as engine queries.

Django-free (they run on every engine; see ``jobs/kpi.py``). A case counts in the area of the
office handling it (``ArrearsCase.area_code``: a district, or the city for the city bureau and
the out-of-town offices), in the month it was received (the cohort of ``arrears.figures``).
"""

from __future__ import annotations

import ibis

CASE = "arrears_arrearscase"
OFFICE = "arrears_office"
LINKED = "linked"  # a repeat complaint merged into another case: not a new lead
REJECTED, CLOSED = "rejected", "closed"
OUTPOST = "outpost"


def _flag(column):
    """A (nullable) boolean as 1/0, the same on every engine."""
    return column.cast("int32").fill_null(0)


def _leads(engine, first: str, last: str):
    t = engine.table(CASE)
    t = t.filter(t.state != LINKED)
    t = t.mutate(month=t.received_on.cast("string").substr(0, 7))
    t = t.filter((t.month >= first) & (t.month <= last))
    district = ibis.cases((t.area_code.length() == 6, t.area_code), else_=ibis.literal(""))
    return t.mutate(district_code=district, township_code=ibis.literal(""))


def leads_by_month(engine, *, first: str, last: str):
    """Wage-arrears leads (欠薪线索) received."""
    t = _leads(engine, first, last)
    return t.group_by(["month", "district_code", "township_code"]).aggregate(value=t.count())


def on_time_by_month(engine, *, first: str, last: str):
    """Of the leads received and finished (rejected or closed), those handled within their
    deadlines: decided in time, and when accepted also closed in time (按期办结率)."""
    t = _leads(engine, first, last)
    finished = t.state.isin([REJECTED, CLOSED])
    decided = _flag(t.decided_on_time) == 1
    closed = _flag(t.closed_on_time) == 1
    on_time = ((t.state == REJECTED) & decided) | ((t.state == CLOSED) & decided & closed)
    return t.group_by(["month", "district_code", "township_code"]).aggregate(
        value=on_time.ifelse(1, 0).sum(), denominator=finished.ifelse(1, 0).sum())


def outpost_offices(engine, *, first: str, last: str):
    """Out-of-town labour offices (驻外劳务办事机构) in service. The office list keeps no
    history, so this is the count when the fill runs, for every month it fills; the offices
    serve the whole city (no district)."""
    t = engine.table(OFFICE)
    t = t.filter((t.kind == OUTPOST) & (_flag(t.active) == 1))
    return t.aggregate(value=t.count()).mutate(district_code=ibis.literal(""), township_code=ibis.literal(""))
