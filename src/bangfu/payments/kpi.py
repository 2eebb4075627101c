"""Payments' figures for the KPI tables (``KPI_FIGURES`` in ``payments/hooks.py``): the money
every assistance policy of every app has paid (the claim types whose ``ClaimType.policy_funds``
is true: 免申即享 entitlements, allowances, awards; not the monthly pay of a public-welfare
post, which ``posts`` reports itself), as engine queries.

Django-free (they run on every engine; see ``jobs/kpi.py``). A payment counts when the bank's
return says paid and it has not been reversed since (status ``paid``), in the local month of
that return, in the payee's area.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis

from bangfu.core.months import month_range, shift_month

PAYMENT = "payments_payment"
PAID = "paid"


def utc_month_start(month: str, utc_offset_hours: int, timezone: str | None) -> dt.datetime:
    """The UTC instant a local month begins, typed like the column (naive or UTC-aware)."""
    year, mon = (int(p) for p in month.split("-"))
    start = dt.datetime(year, mon, 1) - dt.timedelta(hours=utc_offset_hours)
    return start.replace(tzinfo=dt.timezone.utc) if timezone else start


def local_month(column, first: str, last: str, utc_offset_hours: int):
    """The local month of a UTC timestamp, by comparing it with each month's bounds: plain
    comparisons, which every engine runs alike (time-zone arithmetic does not: SQLite before
    3.42 has none with sub-seconds, PostgreSQL's and DuckDB's follow a session setting)."""
    kind = column.type()
    months = month_range(first, last)
    bounds = [ibis.literal(utc_month_start(m, utc_offset_hours, kind.timezone), type=kind)
              for m in [*months, shift_month(months[-1], 1)]]
    return ibis.cases(*[((column >= bounds[i]) & (column < bounds[i + 1]), ibis.literal(m))
                        for i, m in enumerate(months)], else_=ibis.literal(""))


def _paid(engine, first: str, last: str, utc_offset_hours: int, claim_type: str | None = None,
          claim_types: Sequence[str] | None = None):
    t = engine.table(PAYMENT)
    t = t.filter((t.status == PAID) & t.settled_at.notnull())
    if claim_type is not None:
        t = t.filter(t.claim_type == claim_type)
    if claim_types is not None:
        t = t.filter(t.claim_type.isin(list(claim_types)) if claim_types else ibis.literal(False))
    t = t.mutate(month=local_month(t.settled_at, first, last, utc_offset_hours))
    return t.filter(t.month != "")


def paid_fen_by_month(engine, *, first: str, last: str, utc_offset_hours: int = 8, claim_type: str | None = None,
                      claim_types: Sequence[str] | None = None):
    """Money paid (兑现资金), in fen; of one claim type only when ``claim_type`` is given, of
    those of ``claim_types`` when that is."""
    t = _paid(engine, first, last, utc_offset_hours, claim_type, claim_types)
    return t.group_by(["month", "district_code", "township_code"]).aggregate(value=t.amount_fen.sum())


def person_times_by_month(engine, *, first: str, last: str, utc_offset_hours: int = 8,
                          claim_types: Sequence[str] | None = None):
    """Person-times paid (惠及人次): one per payment made to a person (not to an employer)."""
    t = _paid(engine, first, last, utc_offset_hours, claim_types=claim_types)
    t = t.filter(t.payee_person_id.notnull())
    return t.group_by(["month", "district_code", "township_code"]).aggregate(value=t.count())
