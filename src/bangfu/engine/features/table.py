"""Building the feature table: one row per beneficiary, one column per feature call."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import ibis

from bangfu import codes
from bangfu.engine.features.definitions import (
    KINDS, FeatureCall, FeatureContext, Period, TableSource,
)
from bangfu.engine.features.sources import BASE_TABLES, SOURCE_TABLES, SOURCES, base_table


def restrict_to_area(table, area_code: str | None):
    """Keep the beneficiaries inside ``area_code`` (city ``50``: all; a district or a township)."""
    if not area_code or area_code == codes.CITY_CODE:
        return table
    if len(area_code) == 6:
        return table.filter(table.district_code == area_code)
    return table.filter(table.township_code == area_code)


def feature_table(
    tables: TableSource,
    *,
    kind: str,
    period: Period | str,
    calls: Iterable[FeatureCall],
    area_code: str | None = None,
    only_ids: Sequence[int] | None = None,
):
    """One row per beneficiary of ``kind``: ``bid``, ``district_code``, ``township_code`` and one
    column per feature call (named ``call.column``), never null."""
    if kind not in KINDS:
        raise ValueError(f"unknown beneficiary kind {kind!r}")
    period = period if isinstance(period, Period) else Period.parse(period)
    ctx = FeatureContext(tables=tables, period=period, kind=kind)
    base = base_table(ctx)
    base = restrict_to_area(base, area_code)
    if only_ids is not None:
        base = base.filter(base.bid.isin(list(only_ids)))
    unique: dict[str, FeatureCall] = {}
    for call in calls:
        if call.feature.kind != kind:
            raise ValueError(f"feature {call.feature.name} is not a {kind} feature")
        unique.setdefault(call.column, call)

    columns: dict[str, Any] = {}
    by_source: dict[str, list[FeatureCall]] = {}
    for column, call in unique.items():
        if call.feature.source == "base":
            columns[column] = call.feature.compute(ctx, base, *call.args)
        else:
            by_source.setdefault(call.feature.source, []).append(call)

    result = base.select(
        bid=base.bid,
        district_code=base.district_code,
        township_code=base.township_code.fill_null("") if "township_code" in base.columns else ibis.literal(""),
        **columns,
    )
    for source_name, source_calls in sorted(by_source.items()):
        rows = SOURCES[source_name](ctx)
        if only_ids is not None:  # explaining a few: aggregate their rows only, on any engine
            rows = rows.filter(rows.bid.isin(list(only_ids)))
        metrics = {f"m_{i}": call.feature.compute(ctx, rows, *call.args) for i, call in enumerate(source_calls)}
        agg = rows.group_by(sbid=rows.bid).aggregate(**metrics)
        joined = result.left_join(agg, result.bid == agg.sbid)
        keep = {c: joined[c] for c in result.columns}
        for i, call in enumerate(source_calls):
            value = joined[f"m_{i}"].fill_null(call.feature.default)
            if call.feature.finish is not None:
                value = call.feature.finish(value)
            keep[call.column] = value
        result = joined.select(**keep)
    return result


def source_tables(kind: str, calls: Iterable[FeatureCall]) -> set[str]:
    """Facts tables that ``calls`` read (used to say "no data for this period")."""
    names = {BASE_TABLES[kind]}
    for call in calls:
        if call.feature.source != "base":
            names.update(SOURCE_TABLES[call.feature.source])
    return names
