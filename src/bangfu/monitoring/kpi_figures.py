"""Monitoring's own contributed figure (``KPI_FIGURES`` in ``monitoring/hooks.py``), as an
engine query: jobs in the main metropolitan zone held by workers of the other two zones
("主城都市区为渝东北、渝东南提供就业岗位"), the cross-zone flow of ``bangfu.engine.kpi``.

Django-free (it runs on every engine). A stock: the workers employed in the month.
"""

from __future__ import annotations

from dataclasses import replace

import ibis
import pyarrow as pa
import pyarrow.compute as pc

from bangfu import codes
from bangfu.core.months import month_range
from bangfu.engine import schema as s
from bangfu.engine.kpi import expressions as x

METRO = "main_metro"
OTHER_ZONES = ("northeast", "southeast")
IN_COUNTY = "in_county"
TABLES = s.KPI_INPUT_TABLES


def main_metro_jobs_for_other_zones(engine, *, first: str, last: str):
    """Employed workers whose job is in the main metro and whose home district is in the
    north-east or south-east, per month and home township (the KPI engine's flow rule).

    In the KPI fill the engine's employment cells (``x.employment_cells``: the same employed
    workers counted per month, township and work zone) are summed when they cover the months."""
    home = engine.table(s.DIVISION).select(home_code="code", home_zone="region_group")
    cells, counted = getattr(engine, "memo", {}).get(x.CELLS_MEMO, (None, frozenset()))
    months = month_range(first, last)
    if cells is not None and counted.issuperset(months):
        keep = pc.and_(pc.equal(cells["work_zone"], METRO), pc.is_in(cells["month"], value_set=pa.array(months)))
        c = ibis.memtable(cells.filter(keep).select(["month", "district_code", "township_code", "n"]))
        c = c.join(home, c.district_code == home.home_code)
        c = c.filter(c.home_zone.isin(OTHER_ZONES))
        return c.group_by(["month", "district_code", "township_code"]).aggregate(value=c.n.sum())
    inputs = x.KpiInputs.from_engine(engine)
    # Only a job outside the home county and inside the city has a division's zone as its work
    # zone (``x.employed_workers``): the other employment months are left before the joins.
    e = inputs.employment
    e = e.filter(e.place_class.isnull() | ~e.place_class.isin([IN_COUNTY, *codes.OUTSIDE_CITY]))
    j = x.employed_workers(replace(inputs, employment=e), month_range(first, last))
    j = j.filter(j.work_zone == METRO)
    j = j.join(home, j.district_code == home.home_code)
    j = j.filter(j.home_zone.isin(OTHER_ZONES))
    return j.group_by(["month", "district_code", "township_code"]).aggregate(value=j.count())
