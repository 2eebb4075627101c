"""A nation of people lifted out of poverty, straight to Parquet (``--scenario china-2024``).

    bangfu generate --scenario china-2024 --format parquet --out DIR [--scale 0.01]

writes ``DIR/<table>.parquet`` for every table the KPI engine reads
(``bangfu.engine.schema.KPI_INPUT_TABLES``) and the transport-subsidy policy reads (persons and
employment months), in exactly the columns and types of a Chongqing database exported with
``bangfu.engine.backends.export_parquet``, so ``open_engine("duckdb"|"spark", parquet_dir=DIR)``
and ``compute_kpis`` run on it unchanged. Django-free; numpy and pyarrow only.

Figures (scale 1):

- persons: 98,990,000, "现行标准下9899万农村贫困人口全部脱贫" (the national figure of 2020:
  国务院新闻办公室《人类减贫的中国实践》白皮书, April 2021);
- employed workers: 33,050,000 in each month of 2023 and 2024 (the national 脱贫人口务工规模
  of 2024, 3,305万, as the issue gives it; the same figure is used for 2023 for want of a
  source at hand, so year-on-year figures are near zero by construction).

Synthetic assumptions (no source at hand; change them here, nowhere else):

- ``PROVINCE_WEIGHTS``: each province's share of the 98.99 M (western and central provinces
  heavier; Chongqing's share is the project's own 1.9 M scenario);
- prefectures: the 342 city-level rows of ``bangfu/data/china_provinces_cities.csv``, code +
  ``00`` as a 6-digit prefecture code; their share of the province is a seeded Dirichlet draw;
- counties: ``COUNTIES_PER_PREFECTURE`` synthetic counties per prefecture, 9-digit codes
  ``<prefecture>NNN`` with county digits ``00`` (``510100001`` …): no real division has such a
  code, so they cannot be mistaken for real ones; named ``<prefecture name>模拟县N``;
- ages, labour ability, health, households of about 3, places of work, channels and wages:
  distributions below; no names, ID numbers or phones (those columns are empty strings).

Area tree (``bangfu.engine.kpi.rollup``): one division row of level ``nation`` (code ``CN``)
is the top area; province rows (2 digits, parent ``CN``); prefecture rows (6 digits,
``region_group`` = the province code, so the rollup's zone level is the province); county rows
(9 digits, parent the prefecture). Places of work map onto the four place classes as: in_county
= the home county, in_city = another prefecture of the home province (destination a 6-digit
prefecture code), out_of_city = another province (destination a 4-digit city of the places
list, whose 东西协作 region is the reference data's), abroad.

Memory: persons are generated a chunk of whole counties (at most ``chunk_persons``, default
1,000,000) at a time, and a chunk's employment months one month at a time; every chunk is one
part file per table (``<table>.parquet/part-00000.parquet`` …, month a data column, no hive
directories), so peak memory depends on the chunk size, not on the scale.
"""

from __future__ import annotations

import datetime as dt
import json
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bangfu import codes
from bangfu.registry.generate.nation_tables import (  # noqa: F401 - importable from here
    CHUNKED, COUNTIES_PER_PREFECTURE, DESTINATION_WEIGHTS, NATION_CODE, NATION_NAME, PROVINCE_WEIGHTS, SCHEMAS,
    NationAreas, _B, _D, _I, _S, _T, division_table, nation_areas, place_rows, place_table,
)

NATION_PERSONS = 98_990_000
NATION_WORKERS_PER_MONTH = 33_050_000
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
INCOME_YEARS = (2023, 2024)
AS_OF = dt.date(2024, 12, 31)
DEFAULT_CHUNK = 1_000_000
STAMP = dt.datetime(2024, 12, 31)

PLACES = np.array(codes.PLACE_CLASS.values)
PLACE_P = [0.40, 0.25, 0.33, 0.02]
CHANNELS = np.array(codes.CHANNEL.values)
CHANNEL_P = [0.5, 0.2, 0.06, 0.05, 0.09, 0.05, 0.05]
ABILITIES = np.array(codes.LABOUR_ABILITY.values)
ABILITY_P = [0.66, 0.09, 0.13, 0.07, 0.05]
HEALTH = np.array(codes.HEALTH.values)
HEALTH_P = [0.8, 0.1, 0.04, 0.06]
EDUCATION = np.array(codes.EDUCATION.values)
EDUCATION_P = [0.08, 0.32, 0.42, 0.13, 0.05]
RELATIONS = np.array(["spouse", "son", "daughter", "father", "mother"])
# Employment: a share of the eligible work all 24 months, another share one circular spell of
# 6..18 months (circular so that every month has the same expected count).
FULL_SHARE, SPELL_SHARE, SPELL_MIN, SPELL_MAX = 0.7, 0.6, 6, 18


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --------------------------------------------------------------------------------------------
# Columns
# --------------------------------------------------------------------------------------------
def _strings(values: np.ndarray, index: np.ndarray) -> pa.Array:
    """values[index] as an Arrow string column, built through a dictionary (no Python strings)."""
    d = pa.DictionaryArray.from_arrays(pa.array(index.astype(np.int32)), pa.array(values.tolist(), _S))
    return d.cast(_S)


def _const(value, n: int, typ: pa.DataType) -> pa.Array:
    """``n`` times ``value`` (a string, an int or a datetime) as an Arrow column of type ``typ``."""
    if typ == _S:
        return _strings(np.array([value]), np.zeros(n, np.int32))
    if isinstance(value, dt.datetime):
        value = np.datetime64(value, "us")
    return pa.array(np.full(n, value), typ)


@dataclass
class Counter:
    person: int = 0
    household: int = 0
    employment: int = 0
    income: int = 0


@dataclass
class NationResult:
    out_dir: Path
    scale: float
    persons: int = 0
    households: int = 0
    employment_months: int = 0
    household_incomes: int = 0
    chunks: int = 0
    largest_chunk: int = 0
    employed_by_month: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    peak_rss_mib: float = 0.0

    def as_dict(self) -> dict:
        return {"out_dir": str(self.out_dir), "scale": self.scale, "persons": self.persons,
                "households": self.households, "employment_months": self.employment_months,
                "household_incomes": self.household_incomes, "chunks": self.chunks,
                "largest_chunk_persons": self.largest_chunk, "employed_by_month": self.employed_by_month,
                "seconds": self.seconds, "peak_rss_mib": self.peak_rss_mib}


def _chunks(counts: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Ranges [a, b) of whole counties with at most ``limit`` persons (a bigger county alone)."""
    out, start, acc = [], 0, 0
    for i, n in enumerate(counts.tolist()):
        if acc and acc + n > limit:
            out.append((start, i))
            start, acc = i, 0
        acc += n
    if start < len(counts):
        out.append((start, len(counts)))
    return out


def _write_chunk(out: Path, k: int, rng: np.random.Generator, areas: NationAreas, a: int, b: int,
                 counter: Counter, result: NationResult, dest_codes: np.ndarray, dest_index: dict[str, int],
                 province_prefectures: dict[str, np.ndarray], other_cities: dict[str, tuple[np.ndarray, np.ndarray]]
                 ) -> None:
    counts = areas.county_persons[a:b]
    n = int(counts.sum())
    if n == 0:
        return
    county_of = np.repeat(np.arange(a, b), counts)
    pref_of = areas.county_prefecture[county_of]
    county_codes = areas.counties
    pref_codes = np.array([f["code"] for f in areas.prefectures])
    province_of_pref = np.array([f["province"] for f in areas.prefectures])

    # households: a new one at each county's first person and then with probability 1/3
    head = rng.random(n) < 1 / 3
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    head[starts[counts > 0]] = True  # a county without persons (tiny scales) starts nothing
    hh_local = np.cumsum(head) - 1
    n_hh = int(hh_local[-1]) + 1
    hh_first = np.flatnonzero(head)
    hh_ids = counter.household + 1 + np.arange(n_hh)
    ids = counter.person + 1 + np.arange(n)

    # ages: 70 % of working age, 20 % children, 10 % older
    group = rng.choice(3, n, p=[0.7, 0.2, 0.1])
    low = np.array([16, 0, 66])[group]
    high = np.array([66, 16, 91])[group]
    age = low + (rng.random(n) * (high - low)).astype(np.int64)
    birth = (np.datetime64(AS_OF, "D") - (age * 365.25).astype("timedelta64[D]")
             - rng.integers(0, 365, n).astype("timedelta64[D]"))
    ability = rng.choice(len(ABILITIES), n, p=ABILITY_P)
    ability[age < 16] = 4  # none
    monitored = rng.random(n) < 0.12
    cat_hh = monitored[hh_first]
    category = cat_hh[hh_local].astype(np.int32)  # a household has one category
    categories = np.array(codes.CATEGORY.values)
    relation = np.where(head, 0, 1 + rng.integers(0, len(RELATIONS), n))
    relations = np.concatenate([["head"], RELATIONS])
    in_school = (age >= 6) & (age <= 22) & (rng.random(n) < 0.8)

    pcols = {
        "id": pa.array(ids, _I), "created_at": _const(STAMP, n, _T), "updated_at": _const(STAMP, n, _T),
        "name": _const("", n, _S), "id_number": _const("", n, _S), "id_number_hash": _const("", n, _S),
        "sex": _strings(np.array(codes.SEX.values), (rng.random(n) < 0.5).astype(np.int32)),
        "birth_date": pa.array(birth.astype("datetime64[D]"), _D),
        "relation": _strings(relations, relation), "phone": _const("", n, _S), "phone_hash": _const("", n, _S),
        "district_code": _strings(pref_codes, pref_of), "township_code": _strings(county_codes, county_of),
        "village": _const("", n, _S), "category": _strings(categories, category),
        "labour_ability": _strings(ABILITIES, ability),
        "education": _strings(EDUCATION, rng.choice(len(EDUCATION), n, p=EDUCATION_P)),
        "health": _strings(HEALTH, rng.choice(len(HEALTH), n, p=HEALTH_P)),
        "in_school": pa.array(in_school, _B), "skills": _const("", n, _S), "certificates": _const("", n, _S),
        "accepted_places": _const("", n, _S), "expected_wage_fen": _const(0, n, _I),
        "content_hash": _const("", n, _S), "household_id": pa.array(hh_ids[hh_local], _I),
    }
    name = f"part-{k:05d}.parquet"
    pq.write_table(pa.table(pcols, schema=SCHEMAS["registry_person"]), out / "registry_person.parquet" / name,
                   compression="zstd")
    del pcols
    hh_county = county_of[hh_first]
    hcols = {
        "id": pa.array(hh_ids, _I), "created_at": _const(STAMP, n_hh, _T), "updated_at": _const(STAMP, n_hh, _T),
        "number": _const("", n_hh, _S),
        "district_code": _strings(pref_codes, areas.county_prefecture[hh_county]),
        "township_code": _strings(county_codes, hh_county),
        "village": _const("", n_hh, _S), "category": _strings(categories, cat_hh.astype(np.int32)),
    }
    pq.write_table(pa.table(hcols, schema=SCHEMAS["registry_household"]), out / "registry_household.parquet" / name,
                   compression="zstd")
    del hcols
    # household incomes of 2023 and 2024
    years = np.repeat(np.array(INCOME_YEARS), n_hh)
    wage = rng.integers(500_000, 6_000_000, len(years))
    other = rng.integers(100_000, 2_000_000, len(years))
    business, prop = other // 2, other // 10
    transfer = other - business - prop
    icols = {
        "id": pa.array(counter.income + 1 + np.arange(len(years)), _I),
        "created_at": _const(STAMP, len(years), _T), "updated_at": _const(STAMP, len(years), _T),
        "year": pa.array(years, _I), "wage_fen": pa.array(wage, _I), "business_fen": pa.array(business, _I),
        "property_fen": pa.array(prop, _I), "transfer_fen": pa.array(transfer, _I),
        "total_fen": pa.array(wage + other, _I), "household_id": pa.array(np.tile(hh_ids, len(INCOME_YEARS)), _I),
    }
    pq.write_table(pa.table(icols, schema=SCHEMAS["monitoring_householdincome"]),
                   out / "monitoring_householdincome.parquet" / name, compression="zstd")
    counter.income += len(years)
    result.household_incomes += len(years)
    del icols

    # employment: the eligible are able and 16..65 in every month of 2023-01..2024-12
    born = birth.astype("datetime64[D]")
    eligible = (np.isin(ability, [0, 1, 2]) & (born > np.datetime64("1958-12-31")) & (born <= np.datetime64("2007-01-31")))
    e_idx = np.flatnonzero(eligible)
    target = NATION_WORKERS_PER_MONTH / NATION_PERSONS * n
    rate = min(0.76, target / max(1, len(e_idx)))
    u = rng.random(len(e_idx))
    full = u < FULL_SHARE * rate
    # seasonal: expected coverage SPELL_SHARE * mean(L) / 24 = 0.3 * rate (mean L = 12): with the
    # full-time 0.7 * rate, rate of the eligible are employed in every month
    spell = (~full) & (u < (FULL_SHARE + SPELL_SHARE) * rate)
    workers = e_idx[full | spell]
    is_full = full[full | spell]
    m_count = len(workers)
    length = rng.integers(SPELL_MIN, SPELL_MAX + 1, m_count)
    start = rng.integers(0, 24, m_count)
    place = rng.choice(len(PLACES), m_count, p=PLACE_P)
    channel = rng.choice(len(CHANNELS), m_count, p=CHANNEL_P)
    base_wage = rng.integers(2000, 9000, m_count) * 100
    # destinations (index into dest_codes)
    dest = np.empty(m_count, np.int64)
    w_county, w_pref = county_of[workers], pref_of[workers]
    w_prov = province_of_pref[w_pref]
    sel = place == 0
    dest[sel] = w_county[sel]  # dest_codes starts with the counties, in the same order
    sel = place == 1
    if sel.any():
        prov_sel = w_prov[sel]
        choice = np.empty(int(sel.sum()), np.int64)
        for prov in np.unique(prov_sel):
            mask = prov_sel == prov
            options = province_prefectures[str(prov)]
            choice[mask] = options[rng.integers(0, len(options), int(mask.sum()))]
        dest[sel] = choice
    sel = place == 2
    if sel.any():
        prov_sel = w_prov[sel]
        choice = np.empty(int(sel.sum()), np.int64)
        for prov in np.unique(prov_sel):
            mask = prov_sel == prov
            options, p = other_cities[str(prov)]
            choice[mask] = options[rng.choice(len(options), int(mask.sum()), p=p)]
        dest[sel] = choice
    dest[place == 3] = dest_index[""]

    writer = pq.ParquetWriter(out / "monitoring_employmentmonth.parquet" / name, SCHEMAS["monitoring_employmentmonth"],
                              compression="zstd")
    try:
        for m, month in enumerate(MONTHS):
            on = is_full | (((m - start) % 24) < length)
            rows = np.flatnonzero(on)
            r = len(rows)
            income = base_wage[rows] + rng.integers(-300, 301, r) * 100
            reported = rng.random(r) < 0.92
            table = pa.table({
                "id": pa.array(counter.employment + 1 + np.arange(r), _I),
                "created_at": _const(STAMP, r, _T), "updated_at": _const(STAMP, r, _T),
                "month": _const(month, r, _S), "place_class": _strings(PLACES, place[rows]),
                "destination_code": _strings(dest_codes, dest[rows]),
                "channel": _strings(CHANNELS, channel[rows]),
                "employer_name": _const("", r, _S), "employer_uscc": _const("", r, _S),
                "job_title": _const("", r, _S), "occupation_code": _const("", r, _S),
                "income_fen": pa.array(income, _I, mask=~reported),
                "person_id": pa.array(ids[workers[rows]], _I),
            }, schema=SCHEMAS["monitoring_employmentmonth"])
            writer.write_table(table)
            counter.employment += r
            result.employment_months += r
            result.employed_by_month[month] = result.employed_by_month.get(month, 0) + r
            del table
    finally:
        writer.close()
    counter.person += n
    counter.household += n_hh
    result.persons += n
    result.households += n_hh
    result.chunks += 1
    result.largest_chunk = max(result.largest_chunk, n)


def generate_nation(out_dir: str | Path, *, scale: float = 1.0, seed: int = 2024,
                    chunk_persons: int = DEFAULT_CHUNK,
                    progress: Callable[[str, int, int], None] | None = None) -> NationResult:
    """Write the national dataset at ``scale`` (1.0 = 98.99 M persons) to ``out_dir``."""
    if not 0 < scale <= 1.5:
        raise ValueError("scale must be in (0, 1.5]")
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for table in SCHEMAS:
        target = out / f"{table}.parquet"
        if target.exists():
            raise FileExistsError(f"{target} exists: give an empty directory")
    for table in CHUNKED:
        (out / f"{table}.parquet").mkdir()
    persons = round(NATION_PERSONS * scale)
    areas = nation_areas(persons, seed)
    rng = np.random.default_rng([seed, 17])
    result = NationResult(out_dir=out, scale=scale)

    divisions = division_table(areas)
    pq.write_table(divisions, out / "registry_division.parquet", compression="zstd")
    places = place_table()
    pq.write_table(places, out / "registry_place.parquet", compression="zstd")

    # every destination code once: counties (in_county), prefectures (in_city), cities (out_of_city), ""
    city_rows = [r for r in place_rows() if r["level"] == "city"]
    dest_codes = np.array([*areas.counties.tolist(), *(f["code"] for f in areas.prefectures),
                           *(r["code"] for r in city_rows), ""])
    dest_index = {c: i for i, c in enumerate(dest_codes.tolist())}
    province_prefectures = {
        p["code"]: np.array([dest_index[f["code"]] for f in areas.prefectures if f["province"] == p["code"]])
        for p in areas.provinces}
    other_cities: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for p in areas.provinces:
        cities = [r for r in city_rows if r["parent_code"] != p["code"]]
        w = np.array([DESTINATION_WEIGHTS.get(r["parent_code"], 1.0)
                      / sum(1 for c in city_rows if c["parent_code"] == r["parent_code"]) for r in cities])
        other_cities[p["code"]] = (np.array([dest_index[r["code"]] for r in cities]), w / w.sum())

    ranges = _chunks(areas.county_persons, chunk_persons)
    counter = Counter()
    # Arrow's default allocator (mimalloc) keeps each chunk's freed buffers and the peak grows
    # with the number of chunks; the system allocator gives them back, so the peak is one chunk's.
    pool = pa.default_memory_pool()
    pa.set_memory_pool(pa.system_memory_pool())
    try:
        for k, (a, b) in enumerate(ranges):
            _write_chunk(out, k, rng, areas, a, b, counter, result, dest_codes, dest_index, province_prefectures,
                         other_cities)
            if progress is not None:
                progress("nation", k + 1, len(ranges))
    finally:
        pa.set_memory_pool(pool)

    # targets: each prefecture's expected monthly scale, within ±5 %, for 2023 and 2024
    pref_persons = np.bincount(areas.county_prefecture, weights=areas.county_persons, minlength=len(areas.prefectures))
    share = NATION_WORKERS_PER_MONTH / NATION_PERSONS
    t_codes, t_years, t_values = [], [], []
    for year in (2023, 2024):
        noise = rng.uniform(0.95, 1.05, len(areas.prefectures))
        for f, n, z in zip(areas.prefectures, pref_persons.tolist(), noise.tolist()):
            if n:
                t_codes.append(f["code"]); t_years.append(year); t_values.append(int(round(n * share * z)))
    nt = len(t_codes)
    targets = pa.table({"id": pa.array(np.arange(1, nt + 1), _I), "created_at": _const(STAMP, nt, _T),
                        "updated_at": _const(STAMP, nt, _T), "area_code": pa.array(t_codes, _S),
                        "year": pa.array(t_years, _I), "employment_target": pa.array(t_values, _I)},
                       schema=SCHEMAS["monitoring_target"])
    pq.write_table(targets, out / "monitoring_target.parquet", compression="zstd")

    result.seconds = round(time.perf_counter() - started, 1)
    result.peak_rss_mib = peak_rss_mib()
    (out / "manifest.json").write_text(json.dumps(
        {"scenario": "china-2024", "seed": seed, "chunk_persons": chunk_persons, **result.as_dict()},
        ensure_ascii=False, indent=2))
    return result
