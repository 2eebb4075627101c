"""The KPI definitions of DESIGN.md section 5 as Ibis expressions (one definition, four engines).

Every expression here aggregates to township level: each person belongs to exactly one
township, so every measure (a count of distinct persons or households, a sum of money) is
additive and rolls up exactly to district, zone and city (``rollup.py``). The heavy work,
scanning persons and millions of employment months, happens in the database; what comes back
is a few rows per township and month.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from bangfu import codes
from bangfu.engine import schema as s
from bangfu.engine.kpi.months import worker_birth_window

HOME = "home"  # work zone marker: the job is in the worker's own district (县内)
OUTSIDE = codes.OUTSIDE_ZONE  # work zone of a job outside Chongqing
UNKNOWN = "unknown"  # a Chongqing destination code that is not a known division
OTHER_REGION = codes.OTHER_REGION  # out of the city but not in a labour-cooperation region
CELLS_MEMO = "kpi.employment_cells"  # Engine.memo: (employment_cells' Arrow table, the months it counted)
MASKS_MEMO = "kpi.month_masks"  # Engine.memo: (month_masks as a table of the engine, first, last)


@dataclass(frozen=True)
class KpiInputs:
    """The Ibis tables the KPI engine reads (names and columns from ``bangfu.engine.schema``)."""

    person: ir.Table
    household: ir.Table
    division: ir.Table
    place: ir.Table
    employment: ir.Table
    income: ir.Table
    target: ir.Table

    @classmethod
    def from_engine(cls, engine: Any) -> "KpiInputs":
        """Tables of an open ``bangfu.engine.backends.Engine`` (or anything with ``table(name)``)."""
        return cls(
            person=engine.table(s.PERSON),
            household=engine.table(s.HOUSEHOLD),
            division=engine.table(s.DIVISION),
            place=engine.table(s.PLACE),
            employment=engine.table(s.EMPLOYMENT),
            income=engine.table(s.HOUSEHOLD_INCOME),
            target=engine.table(s.TARGET),
        )


def _is_worker_in(birth_date: ir.DateValue, month: str) -> ir.BooleanValue:
    oldest, youngest = worker_birth_window(month)
    return (birth_date >= oldest) & (birth_date <= youngest)


def _count_if(condition: ir.BooleanValue) -> ir.IntegerScalar:
    # ifelse(1, 0).sum() rather than a boolean sum: it compiles the same on every backend.
    return condition.ifelse(1, 0).sum()


def able_persons(person: ir.Table) -> ir.Table:
    """Persons whose labour ability makes them workers when of working age."""
    return person.filter(person.labour_ability.isin(codes.WORKING_ABILITIES)).select(
        "id", "birth_date", "district_code", "township_code"
    )


def workers_by_township(person: ir.Table, months: list[str]) -> ir.Table:
    """Workers (aged 16-65 on the month's last day, able to work) per township: one column
    ``w<i>`` per month ``months[i]`` so the persons table is scanned once."""
    p = able_persons(person)
    return p.group_by(["district_code", "township_code"]).aggregate(
        **{f"w{i}": _count_if(_is_worker_in(p.birth_date, m)) for i, m in enumerate(months)}
    )


def _by_month(month: ir.StringValue, values: dict[str, Any]) -> ir.Value:
    return ibis.cases(*[(month == m, ibis.literal(v)) for m, v in values.items()])


def employed_workers(inputs: KpiInputs, months: list[str]) -> ir.Table:
    """Employment months in ``months`` of persons who were workers in that month, with the
    destination resolved to a cooperation region and a work zone."""
    e = inputs.employment
    e = e.filter(e.month.isin(months)).select(
        "person_id", "month", "place_class", "destination_code", "channel", "income_fen"
    )
    p = able_persons(inputs.person)
    j = e.join(p, e.person_id == p.id)
    windows = {m: worker_birth_window(m) for m in months}
    oldest = _by_month(j.month, {m: w[0] for m, w in windows.items()})
    youngest = _by_month(j.month, {m: w[1] for m, w in windows.items()})
    j = j.filter((j.birth_date >= oldest) & (j.birth_date <= youngest))

    place = inputs.place.select(place_code="code", place_region="cooperation_region")
    j = j.left_join(place, j.destination_code == place.place_code)
    div = inputs.division.select(work_district="code", work_region_group="region_group")
    j = j.mutate(destination_district=j.destination_code.substr(0, 6))
    j = j.left_join(div, j.destination_district == div.work_district)

    out_of_city = j.place_class == "out_of_city"
    region = j.place_region.fill_null("")
    cooperation = ibis.cases(
        (out_of_city & (region != ""), region),
        (out_of_city, ibis.literal(OTHER_REGION)),
        else_=ibis.literal(""),
    )
    work_zone = ibis.cases(
        (j.place_class == "in_county", ibis.literal(HOME)),
        (j.place_class.isin(codes.OUTSIDE_CITY), ibis.literal(OUTSIDE)),
        else_=j.work_region_group.fill_null(UNKNOWN),
    )
    return j.select(
        "month", "district_code", "township_code", "place_class", "channel", "income_fen",
        cooperation=cooperation, work_zone=work_zone,
    )


def employment_cells(inputs: KpiInputs, months: list[str]) -> ir.Table:
    """Employed workers counted per month, township and every breakdown key at once."""
    j = employed_workers(inputs, months)
    keys = ["month", "district_code", "township_code", "place_class", "channel", "cooperation",
            "work_zone"]
    return j.group_by(keys).aggregate(
        n=j.count(),
        income_fen_sum=j.income_fen.fill_null(0).sum(),
        income_reported=_count_if(j.income_fen.notnull()),
    )


def employed_ytd_by_township(inputs: KpiInputs, months: list[str], *, masks: ir.Table | None = None) -> ir.Table:
    """Workers (at month M) with at least one employment month in January..M of M's year,
    one column ``y<i>`` per month ``months[i]``. ``masks``: ``month_masks`` of ``ytd_window``
    computed before (the KPI fill shares them with a figure)."""
    first, last = ytd_window(months)
    if fits_mask(first, last):
        masks = month_masks(inputs.employment, first, last) if masks is None else masks
        return _employed_ytd_by_mask(masks, able_persons(inputs.person), months, _month_index(first))
    e = inputs.employment
    e = e.filter((e.month >= first) & (e.month <= last))
    first = e.group_by(["person_id", e.month.substr(0, 4).name("yr")]).aggregate(
        first_month=e.month.min()
    )
    p = able_persons(inputs.person)
    j = first.join(p, first.person_id == p.id)
    return j.group_by(["district_code", "township_code"]).aggregate(
        **{
            f"y{i}": _count_if((j.yr == m[:4]) & (j.first_month <= m) & _is_worker_in(j.birth_date, m))
            for i, m in enumerate(months)
        }
    )


MASK_MONTHS = 62  # months of one bit mask of a person's employment months (a signed 64-bit integer)


def _month_index(month: str) -> int:
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def ytd_window(months: list[str]) -> tuple[str, str]:
    """(January of the first year, the last month) of ``months``: what year-to-date figures read."""
    return f"{min(m[:4] for m in months)}-01", max(months)


def fits_mask(first: str, last: str) -> bool:
    return _month_index(last) - _month_index(first) < MASK_MONTHS


def month_masks(employment: ir.Table, first: str, last: str) -> ir.Table:
    """``person_id, mask`` of every person employed in ``first``..``last`` (at most ``MASK_MONTHS``
    months): bit ``i`` of the mask is set when the person is employed in the ``i``-th month from
    ``first``. A person has at most one row a month, so the sum of the bits sets each once. One
    grouping by person (an integer) of the employment months, which the year-to-date workers and
    the zero-employment households (network) both read."""
    e = employment.filter((employment.month >= first) & (employment.month <= last))
    index = e.month.substr(0, 4).cast("int64") * 12 + e.month.substr(5, 2).cast("int64") - 1 - _month_index(first)
    bit = ibis.literal(1).cast("int64") << index.cast("int32")  # PostgreSQL: bigint << integer only
    mask = bit.sum()
    if e._find_backend().name == "postgres":  # sums bigints into numeric (Ibis drops a cast to int64)
        mask = bit.cast("decimal(20, 0)").sum().cast("int64")
    return e.group_by("person_id").aggregate(mask=mask)


def _employed_ytd_by_mask(masks: ir.Table, p: ir.Table, months: list[str], base: int) -> ir.Table:
    """``employed_ytd_by_township`` from the persons' ``month_masks`` (bit 0: month ``base``):
    employed in January..M is a test of the mask against the bits of those months, instead of a
    grouping by person and year with a minimum of month strings."""
    j = masks.join(p, masks.person_id == p.id)

    def since_january(m: str) -> int:
        january, last = _month_index(f"{m[:4]}-01") - base, _month_index(m) - base
        return sum(1 << i for i in range(january, last + 1))

    return j.group_by(["district_code", "township_code"]).aggregate(
        **{
            f"y{i}": _count_if(((j.mask & since_january(m)) != 0) & _is_worker_in(j.birth_date, m))
            for i, m in enumerate(months)
        }
    )


def income_by_township(inputs: KpiInputs, years: list[int]) -> ir.Table:
    """Households with an income record, Σ wage income and Σ total income per year and township."""
    i = inputs.income
    i = i.filter(i.year.isin(years)).select("household_id", "year", "wage_fen", "total_fen")
    h = inputs.household.select("id", "district_code", "township_code")
    j = i.join(h, i.household_id == h.id)
    return j.group_by(["year", "district_code", "township_code"]).aggregate(
        households=j.count(), wage_fen=j.wage_fen.sum(), total_fen=j.total_fen.sum()
    )


def targets(inputs: KpiInputs, years: list[int]) -> ir.Table:
    t = inputs.target
    return t.filter(t.year.isin(years)).select("area_code", "year", "employment_target")


def divisions(inputs: KpiInputs) -> ir.Table:
    d = inputs.division
    return d.select("code", "level", "parent_code", "region_group")
