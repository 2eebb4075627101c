"""Reads of the programmes' figures (``KpiFigure``): the dashboard cards, the briefing
sections and ``kpi show --json`` read them here, never the programmes' own tables.

The callers check the area first (``selectors.area_check``), as for every KPI read.
"""

from __future__ import annotations

from bangfu.core.figures import FigureValue
from bangfu.core.hooks import KPI_FIGURES, KpiContribution, KpiRollup
from bangfu.monitoring.models import KpiFigure


def contributions() -> list[KpiContribution]:
    return KPI_FIGURES.items()


def figures_of(*, month: str, code: str) -> dict[str, FigureValue]:
    """{key: FigureValue} of every contributed figure of one area and month. A figure without
    a row is 0 (nothing pushed, nothing paid); a rate without one has no value."""
    stored = {key: (value, denominator) for key, value, denominator in KpiFigure.objects.filter(
        month=month, area_code=code).values_list("key", "value", "denominator")}
    out: dict[str, FigureValue] = {}
    for figure in contributions():
        ratio = figure.rollup == KpiRollup.RATIO_YTD
        value, denominator = stored.get(figure.key, (0, 0 if ratio else None))
        out[figure.key] = FigureValue(key=figure.key, value=value, denominator=denominator if ratio else None,
                                      money=figure.money)
    return out


def figures_json(figures: dict[str, FigureValue]) -> dict:
    """The figures as ``kpi show --json`` prints them: yuan for money, fractions for rates."""
    return {key: figure.number for key, figure in figures.items()}
