"""The programmes' service figures (jobs pushed, money paid, arrears leads ...) rolled up to
every area and month, Django-free.

Each figure's query (``core.hooks.KpiContribution.query``, run by the engine) returns small
rows ``month, district_code, township_code, value[, denominator]`` of the months January of
the first year asked for .. the last one; this module sums them up the division tree
(township -> district -> zone -> city, ``rollup.Areas``) and, for year-to-date figures, over
January..M. Every measure is a count or a sum, so the roll-up is exact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from bangfu.codes import CITY_CODE
from bangfu.core.months import month_range, parse_month
from bangfu.engine.kpi.rollup import Areas

SUM, YTD, RATIO_YTD = "sum", "ytd", "ratio_ytd"  # the values of core.hooks.KpiRollup


@dataclass(frozen=True)
class FigureSpec:
    """What the engine needs of a contribution: its key, how it rolls up, and its query."""

    key: str
    rollup: str
    query: Callable[..., Any]


@dataclass
class FigureResult:
    """{month: [{"area_code", "key", "value", "denominator"}]} of the months asked for."""

    months: list[str]
    rows: dict[str, list[dict]] = field(default_factory=dict)

    def month_rows(self, month: str) -> list[dict]:
        return self.rows.get(month, [])


def query_window(months: list[str]) -> tuple[str, str]:
    """(first, last) month the queries must cover: January of the first year to the last month."""
    wanted = sorted(months)
    return f"{wanted[0][:4]}-01", wanted[-1]


def compute_figures(specs: list[FigureSpec], engine: Any, months: list[str], *,
                    execute: Callable[[Any], pa.Table], areas: Areas) -> FigureResult:
    """Every figure of ``specs`` for every area and each of ``months``: one query per figure."""
    for month in months:
        parse_month(month)
    result = FigureResult(months=sorted(set(months)))
    if not result.months or not specs:
        return result
    first, last = query_window(result.months)
    for spec in specs:
        table = execute(spec.query(engine, first=first, last=last))
        for month, rows in roll_up(table, spec.rollup, result.months, areas).items():
            result.rows.setdefault(month, []).extend({"key": spec.key, **r} for r in rows)
    return result


def _area_codes(areas: Areas, district: str, township: str) -> list[str]:
    """The areas a row counts in: a row without a district counts in the city only."""
    if not district:
        return [CITY_CODE]
    if township:
        return [code for _, code, _ in areas.path(district, township)]
    zone = areas.zone_of.get(district, "")
    return [district, *([zone] if zone else []), CITY_CODE]


def roll_up(table: pa.Table, rollup: str, months: list[str], areas: Areas) -> dict[str, list[dict]]:
    """{month: [{"area_code", "value", "denominator"}]} for each of ``months`` (sorted), from
    a query's rows. A month gets a row for every area with any amount in its window."""
    if rollup not in (SUM, YTD, RATIO_YTD):
        raise ValueError(f"unknown rollup {rollup!r}")
    names = set(table.column_names)
    ratio = rollup == RATIO_YTD
    # {(source month, area): [value, denominator]}; "" as month = a stock without history
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in table.to_pylist():
        month = row["month"] if "month" in names else ""
        value = int(row["value"] or 0)
        denominator = int(row.get("denominator") or 0) if ratio else 0
        if not value and not denominator:
            continue
        for code in _area_codes(areas, row.get("district_code") or "", row.get("township_code") or ""):
            acc = sums[(month or "", code)]
            acc[0] += value
            acc[1] += denominator
    by_month: dict[str, dict[str, list[int]]] = defaultdict(dict)
    for (month, code), acc in sums.items():
        by_month[month][code] = acc
    out: dict[str, list[dict]] = {}
    for month in months:
        window = [month] if rollup == SUM else month_range(f"{month[:4]}-01", month)
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for source in [*window, ""]:  # a stock without history counts in every month
            for code, acc in by_month.get(source, {}).items():
                totals[code][0] += acc[0]
                totals[code][1] += acc[1]
        out[month] = [{"area_code": code, "value": v, "denominator": d if ratio else None}
                      for code, (v, d) in sorted(totals.items())]
    return out
