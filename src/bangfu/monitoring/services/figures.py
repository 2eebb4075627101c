"""The programmes' figures in the KPI fill: every ``KPI_FIGURES`` contribution, computed in the
fill's engine session and written with the month's KPI rows (``monitoring.KpiFigure``).

``kpi_fill`` calls ``figures_compute`` inside its engine session (outside any transaction)
and ``figures_write_month`` inside each month's transaction, so a month is DONE with its
figures or redone whole.
"""

from __future__ import annotations

from typing import Any

from bangfu.core.hooks import KPI_FIGURES, KpiContribution
from bangfu.engine import schema as s
from bangfu.engine.kpi.figures import FigureResult, FigureSpec, compute_figures
from bangfu.engine.kpi.rollup import Areas
from bangfu.monitoring.models import KpiFigure

FIGURE_COLUMNS = ("month", "area_code", "key", "value", "denominator")


def contributions() -> list[KpiContribution]:
    return KPI_FIGURES.items()


def figure_tables() -> tuple[str, ...]:
    """The tables every contribution reads, and the division tree (for the Spark export)."""
    names = {s.DIVISION}
    for figure in contributions():
        names.update(figure.tables)
    return tuple(sorted(names))


def figures_compute(engine: Any, months: list[str], *, execute) -> FigureResult:
    """Every contributed figure for ``months`` on an open engine (one query per figure)."""
    specs = [FigureSpec(key=f.key, rollup=f.rollup, query=f.query) for f in contributions()]
    if not specs:
        return FigureResult(months=sorted(set(months)))
    d = engine.table(s.DIVISION)
    areas = Areas(execute(d.select("code", "level", "parent_code", "region_group")))
    return compute_figures(specs, engine, months, execute=execute, areas=areas)


def figures_write_month(month: str, result: FigureResult | None, insert) -> int:
    """Replace the month's figure rows (inside the caller's transaction); ``insert`` is the
    fill's bulk insert. Without a result (a test's compute) the month's figures are left."""
    if result is None:
        return 0
    KpiFigure.objects.filter(month=month).delete()
    rows = [{"month": month, **r} for r in result.month_rows(month)]
    insert(KpiFigure, FIGURE_COLUMNS, rows)
    return len(rows)
