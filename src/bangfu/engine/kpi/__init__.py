"""The monitoring KPIs (DESIGN.md section 5), Django-free, on Ibis.

    with open_engine("duckdb", sqlite_path=...) as engine:
        result = compute_kpis(KpiInputs.from_engine(engine), ["2024-08", "2024-09"])
    result.area_rows("2024-09")       # one dict per area (city, zone, district, township)
    result.breakdown_rows("2024-09")  # scale per area, dimension and key

The engine counts; ratios are exact quotients of those counts (``ratios``). Months without
any recorded employment have no data: they produce no rows, never zeros.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from bangfu.core.months import month_range, parse_month, shift_month, year_of
from bangfu.engine.kpi import expressions as x
from bangfu.engine.kpi.expressions import KpiInputs
from bangfu.engine.kpi.months import income_year, worker_birth_window
from bangfu.engine.kpi.rollup import (
    CITY, DIMENSIONS, DISTRICT, TOWNSHIP, ZONE, Areas, breakdowns, cell_area_sums,
    effective_targets, wide_to_area_sums,
)

# month_range and parse_month stay importable from here for monitoring/services/fill.py.
__all__ = [
    "DIMENSIONS", "KpiInputs", "KpiResult", "compute_kpis", "income_year", "month_range",
    "parse_month", "ratios", "worker_birth_window",
]

Execute = Callable[[Any], pa.Table]
LEVEL_ORDER = {CITY: 0, ZONE: 1, DISTRICT: 2, TOWNSHIP: 3}


def _default_execute(expr) -> pa.Table:
    return expr.to_pyarrow()


@dataclass
class KpiResult:
    """KPI rows of the months that have data; ``empty_months`` were asked for but have none."""

    months: list[str]
    empty_months: list[str]
    areas: dict[str, list[dict]] = field(default_factory=dict)
    breakdown_table: pa.Table | None = None
    # x.employment_cells of ``cell_months`` (the months asked for, one and twelve months back):
    # the fill hands them to the figures that count the same employed workers (Engine.memo).
    cells: pa.Table | None = None
    cell_months: frozenset[str] = frozenset()
    # DuckDB: (x.month_masks, first, last) of the year-to-date window as a temporary table: the
    # fill hands it to the zero-employment households (Engine.memo).
    month_masks: tuple[Any, str, str] | None = None

    def area_rows(self, month: str) -> list[dict]:
        return self.areas.get(month, [])

    def breakdown_rows(self, month: str) -> list[dict]:
        if self.breakdown_table is None:
            return []
        t = self.breakdown_table
        return t.filter(pc.equal(t["month"], month)).to_pylist()

    def breakdown_tuples(self, month: str, columns: tuple[str, ...]) -> list[tuple]:
        """The month's breakdown rows as tuples of ``columns`` (the fill's bulk insert: no dicts)."""
        if self.breakdown_table is None:
            return []
        t = self.breakdown_table
        t = t.filter(pc.equal(t["month"], month))
        return list(zip(*(t[c].to_pylist() for c in columns))) if len(t) else []


def compute_kpis(inputs: KpiInputs, months: list[str], *, execute: Execute | None = None,
                 cache: bool = False) -> KpiResult:
    """Every KPI of every area for ``months`` in a handful of set-based queries.

    A month has data when at least one worker's employment is recorded in it; other months
    give no rows. ``cache`` first copies the window's employment months and the persons into
    the engine's own storage (DuckDB: temporary tables; Spark: cached DataFrames) so the three
    queries that read them scan the source database once; other engines ignore it.
    """
    run = execute or _default_execute
    for month in months:
        parse_month(month)
    wanted = sorted(set(months))
    if not wanted:
        return KpiResult(months=[], empty_months=[])
    # Scale is also needed one month and twelve months back (month-on-month, year-on-year).
    candidates = sorted({m for t in wanted for m in (t, shift_month(t, -1), shift_month(t, -12))})
    if not cache:
        return _compute(inputs, wanted, candidates, run)
    cached, release = _cached(inputs, first=min(candidates[0], f"{wanted[0][:4]}-01"), last=wanted[-1])
    try:
        return _compute(cached, wanted, candidates, run)
    finally:
        release()


def _compute(inputs: KpiInputs, wanted: list[str], candidates: list[str], run: Execute) -> KpiResult:
    cells = run(x.employment_cells(inputs, candidates))
    with_data = set(cells["month"].to_pylist())
    todo = [m for m in wanted if m in with_data]
    result = KpiResult(months=todo, empty_months=[m for m in wanted if m not in with_data],
                       cells=cells, cell_months=frozenset(candidates))
    if not todo:
        return result
    income_years = sorted({income_year(m) for m in todo})
    target_years = sorted({year_of(m) for m in todo})

    areas = Areas(run(x.divisions(inputs)))
    workers_table = run(x.workers_by_township(inputs.person, todo))
    masks, (first, last) = None, x.ytd_window(todo)
    if x.fits_mask(first, last) and inputs.employment._find_backend().name == "duckdb":
        # Made once into a temporary table, read by the year-to-date workers and by a figure.
        # (Spark's cached inputs are released when compute_kpis returns: there the figure
        # computes its own.)
        masks = x.month_masks(inputs.employment, first, last)
        masks = masks._find_backend().create_table(f"kpi_masks_{uuid.uuid4().hex[:12]}", obj=masks, temp=True)
        result.month_masks = (masks, first, last)
    ytd_table = run(x.employed_ytd_by_township(inputs, todo, masks=masks))
    workers = wide_to_area_sums(workers_table, todo, "w", areas)
    ytd = wide_to_area_sums(ytd_table, todo, "y", areas)
    incomes = _income_sums(run(x.income_by_township(inputs, income_years)), areas)
    explicit = {(r["area_code"], int(r["year"])): int(r["employment_target"])
                for r in run(x.targets(inputs, target_years)).to_pylist()}

    scale = cell_area_sums(cells, areas)
    levels = areas.levels_of_pairs(_pairs(workers_table) | _pairs(ytd_table) | _pairs(cells))
    # Every area that has a worker or an employed person in a month gets a row.
    keys_by_month: dict[str, set[str]] = {m: set() for m in todo}
    for source in (workers, ytd, scale):
        for (month, code) in source:
            if month in keys_by_month:
                keys_by_month[month].add(code)
    target_values = effective_targets(
        explicit, areas,
        {(levels[c][0], c, year_of(m)) for m, codes in keys_by_month.items() for c in codes if c in levels},
    )

    for month in todo:
        rows = []
        iy = income_year(month)
        last_year, last_month = shift_month(month, -12), shift_month(month, -1)
        for code in keys_by_month[month]:
            if code not in levels:
                continue
            level, parent = levels[code]
            s = scale.get((month, code), [0, 0, 0])
            inc = incomes.get((iy, code), (0, 0, 0))
            rows.append({
                "month": month, "area_code": code, "area_level": level, "parent_code": parent,
                "workers": workers.get((month, code), 0),
                "employment_scale": s[0],
                "employed_ytd": ytd.get((month, code), 0),
                "scale_last_year": (scale.get((last_year, code), [0])[0]
                                    if last_year in with_data else None),
                "scale_last_month": (scale.get((last_month, code), [0])[0]
                                     if last_month in with_data else None),
                "target": target_values.get((code, year_of(month))),
                "income_year": iy,
                "income_households": inc[0], "wage_income_fen": inc[1], "total_income_fen": inc[2],
                "income_fen_sum": s[1], "income_reported": s[2],
            })
        rows.sort(key=lambda r: (LEVEL_ORDER[r["area_level"]], r["area_code"]))
        result.areas[month] = rows

    todo_cells = cells.filter(pc.is_in(cells["month"], value_set=pa.array(todo, pa.string())))
    result.breakdown_table = breakdowns(todo_cells, areas)
    return result


def _cached(inputs: KpiInputs, *, first: str, last: str) -> tuple[KpiInputs, Callable[[], None]]:
    """Copies of the employment window and the persons in the engine itself, and their cleanup.

    DuckDB gets plain temporary tables (they go with the connection): Ibis ``cache`` would
    drop them with a DROP statement that this sqlglot release renders without the table name.
    Spark gets cached DataFrames (``cache``/``release``, no SQL involved).
    """
    e = inputs.employment
    employment = e.filter((e.month >= first) & (e.month <= last)).select(
        "person_id", "month", "place_class", "destination_code", "channel", "income_fen")
    person = inputs.person.select("id", "birth_date", "district_code", "township_code", "labour_ability")
    backend = employment._find_backend()
    if backend.name == "duckdb":
        tag = uuid.uuid4().hex[:12]
        employment = backend.create_table(f"kpi_employment_{tag}", obj=employment, temp=True)
        person = backend.create_table(f"kpi_person_{tag}", obj=person, temp=True)
        return replace(inputs, employment=employment, person=person), lambda: None
    if backend.name == "pyspark":
        employment, person = employment.cache(), person.cache()

        def release() -> None:
            employment.release()
            person.release()

        return replace(inputs, employment=employment, person=person), release
    return inputs, lambda: None


def _pairs(table: pa.Table) -> set[tuple[str, str]]:
    t = table.select(["district_code", "township_code"]).group_by(
        ["district_code", "township_code"]).aggregate([])
    return set(zip(t["district_code"].to_pylist(), t["township_code"].to_pylist()))


def _income_sums(table: pa.Table, areas: Areas) -> dict[tuple[int, str], tuple[int, int, int]]:
    """{(year, area_code): (households, Σ wage, Σ total)}."""
    sums: dict[tuple[int, str], list[int]] = {}
    for row in table.to_pylist():
        for _, code, _ in areas.path(row["district_code"], row["township_code"]):
            acc = sums.setdefault((int(row["year"]), code), [0, 0, 0])
            acc[0] += row["households"] or 0
            acc[1] += row["wage_fen"] or 0
            acc[2] += row["total_fen"] or 0
    return {k: tuple(v) for k, v in sums.items()}


def ratios(row: dict) -> dict[str, float | None]:
    """Target completion, year on year, month on month and wage-income share as fractions
    (1.09, not 109), rounded to 4 places; None where the denominator is missing or zero."""
    scale = row.get("employment_scale") or 0

    def q(num, den):
        return round(num / den, 4) if den else None

    last_year, last_month = row.get("scale_last_year"), row.get("scale_last_month")
    return {
        "target_completion": q(scale, row.get("target")),
        "yoy": round(scale / last_year - 1, 4) if last_year else None,
        "mom": round(scale / last_month - 1, 4) if last_month else None,
        "wage_income_share": q(row.get("wage_income_fen") or 0, row.get("total_income_fen")),
        "employment_rate": q(scale, row.get("workers")),
    }
