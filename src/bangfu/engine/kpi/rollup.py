"""Roll township-level aggregates up to district, zone (一区两群) and city.

The inputs are the small Arrow tables the engine returns; the measures are additive counts
and sums, so a district's figure is exactly the sum of its townships' (and so on up).
Drill-down path: city ``50`` -> zone (``main_metro``/``northeast``/``southeast``) -> district
-> township; ``parent_code`` of each row is the next area up that path.

The same four levels carry a nation (``bangfu.registry.generate.nation``): when the divisions
have a row of level ``nation`` (no parent), its code is the top area instead of ``50``, and the
levels mean nation -> province (the prefectures' ``region_group``) -> prefecture (6-digit) ->
synthetic county (9-digit). Chongqing's divisions have no such row and roll up as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from bangfu import codes
from bangfu.codes import CITY_CODE
from bangfu.engine.kpi.expressions import HOME

CITY, ZONE, DISTRICT, TOWNSHIP = codes.AREA_LEVEL.values
DIMENSIONS = codes.DIMENSION.values
NATION = "nation"  # level of the one root row of a national division table (its code is the top area)


class Areas:
    """The division tree: which zone a district is in, which townships a district has."""

    def __init__(self, divisions: pa.Table):
        rows = divisions.to_pylist()
        self.top_code = CITY_CODE
        self.zone_of: dict[str, str] = {}
        self.townships_of: dict[str, list[str]] = defaultdict(list)
        self.districts_of: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            if row["level"] == NATION and not row["parent_code"]:
                self.top_code = row["code"]
            elif len(row["code"]) == 6:
                self.zone_of[row["code"]] = row["region_group"] or ""
                if row["region_group"]:
                    self.districts_of[row["region_group"]].append(row["code"])
            elif len(row["code"]) == 9:
                self.townships_of[row["parent_code"]].append(row["code"])

    def path(self, district: str, township: str) -> list[tuple[str, str, str]]:
        """(level, area_code, parent_code) of every area a township's row counts in."""
        zone = self.zone_of.get(district, "")
        top = self.top_code
        out = [(TOWNSHIP, township, district), (DISTRICT, district, zone or top)]
        if zone:
            out.append((ZONE, zone, top))
        out.append((CITY, top, ""))
        return out

    def levels_of_pairs(self, pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, str]]:
        """{area_code: (level, parent_code)} of every area the (district, township) pairs reach."""
        out: dict[str, tuple[str, str]] = {}
        for district, township in pairs:
            for level, code, parent in self.path(district, township):
                out[code] = (level, parent)
        return out

    def children(self, level: str, code: str) -> list[tuple[str, str]]:
        if level == CITY:
            return [(ZONE, z) for z in sorted(self.districts_of)]
        if level == ZONE:
            return [(DISTRICT, d) for d in self.districts_of.get(code, [])]
        if level == DISTRICT:
            return [(TOWNSHIP, t) for t in self.townships_of.get(code, [])]
        return []


def wide_to_area_sums(table: pa.Table, months: list[str], prefix: str, areas: Areas
                      ) -> dict[tuple[str, str], int]:
    """{(month, area_code): Σ} from a per-township table with one column ``<prefix><i>`` per month."""
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for row in table.to_pylist():
        path = areas.path(row["district_code"], row["township_code"])
        for i, month in enumerate(months):
            value = row[f"{prefix}{i}"] or 0
            if not value:
                continue
            for _, code, _ in path:
                sums[(month, code)] += value
    return sums


def effective_targets(explicit: dict[tuple[str, int], int], areas: Areas,
                      wanted: Iterable[tuple[str, str, int]]) -> dict[tuple[str, int], int | None]:
    """An area's target is its own, else the sum of its children's (when any child has one)."""
    memo: dict[tuple[str, str, int], int | None] = {}

    def resolve(level: str, code: str, year: int) -> int | None:
        key = (level, code, year)
        if key in memo:
            return memo[key]
        value = explicit.get((code, year))
        if value is None:
            parts = [resolve(lv, c, year) for lv, c in areas.children(level, code)]
            parts = [p for p in parts if p is not None]
            value = sum(parts) if parts else None
        memo[key] = value
        return value

    return {(code, year): resolve(level, code, year) for level, code, year in wanted}


def _with_zones(cells: pa.Table, areas: Areas) -> pa.Table:
    districts = sorted(areas.zone_of)
    zones = pa.array([areas.zone_of[d] for d in districts] + [""], pa.string())
    index = pc.index_in(cells["district_code"], value_set=pa.array(districts, pa.string()))
    index = pc.fill_null(index, len(districts))
    zone = pc.take(zones, index)
    work = pc.if_else(pc.equal(cells["work_zone"], HOME), zone, cells["work_zone"])
    flow = pc.binary_join_element_wise(zone, work, ">")
    return cells.append_column("zone", zone).append_column("flow", flow)


def breakdowns(cells: pa.Table, areas: Areas) -> pa.Table:
    """Employment scale per (month, area, dimension, key) for every level and dimension.

    Each dimension is grouped once over the cells, by month, township, district, zone and key
    (a township lies in one district and zone, so this is hardly coarser than the cells); the
    four levels are then sums over those few rows, not over the cells again."""
    cells = _with_zones(cells, areas)
    dim_columns = {
        "place_class": cells["place_class"],
        "channel": cells["channel"],
        "region_group": cells["zone"],
        "cooperation_region": cells["cooperation"],
        "flow": cells["flow"],
    }
    level_keys = {TOWNSHIP: "township_code", DISTRICT: "district_code", ZONE: "zone", CITY: None}
    parts = []
    for dim, key_column in dim_columns.items():
        t = pa.table({"month": cells["month"], "township_code": cells["township_code"],
                      "district_code": cells["district_code"], "zone": cells["zone"],
                      "key": key_column, "n": cells["n"]})
        keep = pc.not_equal(t["key"], "")
        if dim == "flow":  # a flow needs a known home zone
            keep = pc.and_(keep, pc.invert(pc.starts_with(t["key"], ">")))
        g = t.filter(keep).group_by(["month", "township_code", "district_code", "zone", "key"]).aggregate(
            [("n", "sum")])
        t = pa.table({name: g[name] for name in ("month", "township_code", "district_code", "zone", "key")}
                     | {"n": g["n_sum"]})
        for level, area in level_keys.items():
            if area is None:
                g = t.group_by(["month", "key"]).aggregate([("n", "sum")])
                area_column = pa.array([areas.top_code] * len(g), pa.string())
            else:
                sub = t.filter(pc.not_equal(t[area], ""))
                g = sub.group_by(["month", area, "key"]).aggregate([("n", "sum")])
                area_column = g[area]
            parts.append(pa.table({
                "month": g["month"],
                "area_code": area_column,
                "dimension": pa.array([dim] * len(g), pa.string()),
                "key": g["key"],
                "employment_scale": pc.cast(g["n_sum"], pa.int64()),
            }))
    out = pa.concat_tables(parts) if parts else _empty_breakdowns()
    return out.sort_by([("month", "ascending"), ("area_code", "ascending"),
                        ("dimension", "ascending"), ("key", "ascending")])


def _empty_breakdowns() -> pa.Table:
    return pa.table({"month": pa.array([], pa.string()), "area_code": pa.array([], pa.string()),
                     "dimension": pa.array([], pa.string()), "key": pa.array([], pa.string()),
                     "employment_scale": pa.array([], pa.int64())})


def cell_area_sums(cells: pa.Table, areas: Areas) -> dict[tuple[str, str], list[int]]:
    """{(month, area_code): [scale, income_fen_sum, income_reported]} from the employment cells."""
    g = cells.group_by(["month", "district_code", "township_code"]).aggregate(
        [("n", "sum"), ("income_fen_sum", "sum"), ("income_reported", "sum")]
    )
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in g.to_pylist():
        values = (row["n_sum"] or 0, row["income_fen_sum_sum"] or 0, row["income_reported_sum"] or 0)
        for _, code, _ in areas.path(row["district_code"], row["township_code"]):
            acc = sums[(row["month"], code)]
            for k in range(3):
                acc[k] += values[k]
    return sums
