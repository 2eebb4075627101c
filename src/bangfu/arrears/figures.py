"""Figures of the arrears desk by office and month of receipt (the cohort of leads of a month).

* leads: complaints received (a repeat linked into an open case is not a new lead);
* share from registry persons (脱贫人口 / 防返贫监测对象);
* handled within deadline: of the leads already finished (rejected or closed), those decided
  within the accept deadline and, when accepted, closed within the finish deadline;
* average working days from receipt to closure; money recovered and workers paid;
* open overdue: open leads past their running deadline today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from bangfu.arrears import choices as c
from bangfu.core.months import first_day, month_of, month_range, shift_month


@dataclass
class Row:
    leads: int = 0
    registry: int = 0
    finished: int = 0
    on_time: int = 0
    closed: int = 0
    days_sum: float = 0.0
    recovered_fen: int = 0
    workers_paid: int = 0
    overdue: int = 0

    @property
    def registry_share(self) -> float | None:
        return self.registry / self.leads if self.leads else None

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.finished if self.finished else None

    @property
    def avg_days_to_close(self) -> float | None:
        return self.days_sum / self.closed if self.closed else None

    def add(self, other: "Row") -> None:
        for name in ("leads", "registry", "finished", "on_time", "closed", "days_sum",
                     "recovered_fen", "workers_paid", "overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Figures:
    months: list[str]
    offices: list[tuple[int, str, str]]  # (id, code, name) with at least one lead
    cells: dict[tuple[int, str], Row] = field(default_factory=dict)
    by_month: dict[str, Row] = field(default_factory=dict)
    by_office: dict[int, Row] = field(default_factory=dict)
    total: Row = field(default_factory=Row)


def arrears_figures(*, cases, first: str, last: str, today: dt.date | None = None) -> Figures:
    """Figures over ``cases`` (already restricted to the user) received in months first..last."""
    today = today or timezone.localdate()
    start, end = first_day(first), first_day(shift_month(last, 1))
    leads = cases.leads().filter(received_on__gte=start, received_on__lt=end)
    finished = Q(state__in=(c.State.REJECTED, c.State.CLOSED))
    on_time = Q(state=c.State.REJECTED, decided_on_time=True) | Q(
        state=c.State.CLOSED, decided_on_time=True, closed_on_time=True)
    rows = (
        leads.annotate(month=TruncMonth("received_on"))
        .values("office_id", "office__code", "office__name", "month")
        .annotate(
            n=Count("id"), registry=Count("id", filter=Q(from_registry=True)),
            finished=Count("id", filter=finished), on_time=Count("id", filter=on_time),
            closed=Count("id", filter=Q(state=c.State.CLOSED)),
            days=Avg("working_days_to_close", filter=Q(state=c.State.CLOSED)),
            recovered=Sum("amount_recovered_fen"), paid=Sum("workers_paid"),
        )
        .order_by()
    )
    figures = Figures(months=month_range(first, last), offices=[])
    seen_offices: dict[int, tuple[int, str, str]] = {}
    for r in rows:
        month = _month_key(r["month"])
        row = Row(leads=r["n"], registry=r["registry"], finished=r["finished"], on_time=r["on_time"],
                  closed=r["closed"], days_sum=(r["days"] or 0) * r["closed"],
                  recovered_fen=r["recovered"] or 0, workers_paid=r["paid"] or 0)
        figures.cells[(r["office_id"], month)] = row
        seen_offices[r["office_id"]] = (r["office_id"], r["office__code"], r["office__name"])
    for office_id, month_value, n in (
        leads.overdue(today).annotate(month=TruncMonth("received_on"))
        .values("office_id", "month").annotate(n=Count("id")).values_list("office_id", "month", "n")
        .order_by()
    ):
        cell = figures.cells.setdefault((office_id, _month_key(month_value)), Row())
        cell.overdue += n
    for (office_id, month), row in figures.cells.items():
        figures.by_month.setdefault(month, Row()).add(row)
        figures.by_office.setdefault(office_id, Row()).add(row)
        figures.total.add(row)
    figures.offices = sorted(seen_offices.values(), key=lambda o: -figures.by_office[o[0]].leads)
    return figures


def _month_key(value) -> str:
    return value[:7] if isinstance(value, str) else month_of(value)
