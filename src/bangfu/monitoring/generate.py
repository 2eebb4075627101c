"""The monitoring step of ``bangfu generate``: 24 months of employment, yearly incomes, targets.

How the months come out (all relative to ``ctx.as_of``, never to the wall clock):

* Each worker has one job per year (most keep it the next year): a place class among the
  places they accept (县内 / 市内县外 / 市外 / 境外), a destination (their own township or district,
  another district of Chongqing weighted to the main metro, or a city weighted to the
  labour-cooperation regions), a channel, an employer, an occupation and a monthly income by
  place class.
* Who works in a month: the K(month) workers of that month with the highest score, where the
  score is a lasting propensity plus a little monthly noise, minus a penalty for migrants in
  the Spring Festival month (people go home). K follows a yearly level growing 4.6% a year and
  a seasonal shape (the Spring Festival dip, December's return home, flat March-November).
* ``chongqing-2024`` (1.9 million people): the level of 2024 is 813,000 workers in work, so the
  KPI engine finds about 81.3万 in September 2024 (never below 81.2万 since March), +4.6% on
  September 2023, 109% of a 745,000
  target; household wage income is generated so that wages are 77% of 2023's total. Other
  sizes scale these numbers with the population. The KPI figures are computed from the rows
  written here; nothing is written into the KPI tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from stdnum.cn import uscc

from bangfu import codes
from bangfu.core import reference
from bangfu.core.actors import SYSTEM
from bangfu.core.months import month_of, month_range, months_ending, parse_month
from bangfu.engine.kpi.months import worker_birth_window

REFERENCE_PEOPLE = 1_900_000
REFERENCE_SCALE = 813_000  # employment scale of the reference September at 1.9 million people
REFERENCE_TARGET = 745_000  # the annual target of the reference year
YEARLY_GROWTH = 0.046
WAGE_SHARE = 0.77
HISTORY_MONTHS = 24
MIGRANT_SF_PENALTY = 0.35
MONTHLY_NOISE = 0.06
INCOME_NOT_REPORTED = 0.06  # share of employment months without a reported income
# Of the workers employed in another district of Chongqing, the share that stays in its own zone:
# calibrated so that main-metro jobs held by workers of the north-east and south-east come to
# the article's 5万余 at 1.9 million people (0 gave 13万).
SAME_ZONE_SHARE = 0.6

# The month of the Spring Festival (农历正月初一).
SPRING_FESTIVAL = {2019: 2, 2020: 1, 2021: 2, 2022: 2, 2023: 1, 2024: 2, 2025: 1, 2026: 2,
                   2027: 2, 2028: 1, 2029: 2, 2030: 2}
# March..November: flat, never below the September level (the "stable above" of the briefing).
FLAT = {3: 1.0005, 4: 1.001, 5: 1.002, 6: 1.002, 7: 1.001, 8: 0.9995, 9: 1.000, 10: 1.002, 11: 1.001}

PLACE_CLASSES = np.array(codes.PLACE_CLASS.values)
PLACE_WEIGHTS = np.array([0.22, 0.20, 0.575, 0.005])  # in the order of PLACE_CLASSES
PLACE_BITS = np.array([1 << i for i in range(len(PLACE_CLASSES))], dtype=np.uint8)
CHANNELS = {
    "in_county": (("local", "welfare_post", "workshop", "gig", "self_employed", "flexible"),
                  (0.40, 0.15, 0.12, 0.15, 0.08, 0.10)),
    "in_city": (("migrant", "flexible", "gig", "self_employed"), (0.60, 0.20, 0.10, 0.10)),
    "out_of_city": (("migrant", "flexible", "self_employed"), (0.85, 0.10, 0.05)),
    "abroad": (("migrant",), (1.0,)),
}
REGION_WEIGHTS = {"yangtze_delta": 0.34, "pearl_delta": 0.30, "sichuan": 0.14,
                  "east_west_pairing": 0.08, "": 0.14}
BIG_CITIES = {"3101": 6, "3205": 6, "3301": 4, "3302": 3, "3201": 3, "4403": 8, "4401": 6,
              "4419": 6, "4406": 4, "5101": 8, "3702": 3, "3701": 3, "11": 4, "4201": 3,
              "3502": 2, "6101": 2, "4101": 2}
MONTHLY_YUAN = {"in_county": 2800, "in_city": 4300, "out_of_city": 5400, "abroad": 9000}
CHANNEL_YUAN = {"welfare_post": 1600, "workshop": 2600, "gig": 2400}
ABILITY_FACTOR = {"skilled": 1.2, "weak": 0.75}
NON_WAGE_SPLIT = (0.40, 0.04, 0.56)  # business, property, transfer
EMPLOYER_WORDS = ("宏达", "鑫源", "华泰", "永盛", "恒通", "锦程", "瑞丰", "兴业", "天成", "金桥",
                  "顺达", "新创", "远航", "盛世", "德润", "中联", "嘉禾", "联创", "汇通", "安泰")
EMPLOYER_TRADES = ("电子科技", "建筑工程", "物流", "服装", "食品", "机械制造", "家政服务", "餐饮管理",
                   "汽车零部件", "物业管理", "包装材料", "农业开发")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CSV_HEADERS = ("证件号码", "姓名", "年月", "务工地点类型", "务工地区代码", "就业渠道", "务工单位",
               "统一社会信用代码", "岗位", "职业代码", "月收入")
WRITE_CHUNK = 50_000


def generate_step(ctx) -> None:
    started = time.perf_counter()
    rng = ctx.rng_for("monitoring")
    months = history_months(ctx.as_of)
    n = ctx.person_count
    if n == 0:
        return
    jobs = [_jobs(rng, ctx), None]
    jobs[1] = _next_year_jobs(rng, ctx, jobs[0])
    employed = _employed(rng, ctx, months, jobs)
    incomes = _monthly_incomes(rng, ctx, months, jobs, employed)
    households = _household_incomes(rng, ctx, months, jobs, employed, incomes)
    targets = _targets(rng, ctx, months, employed)
    rows = int(sum(e.sum() for e in employed))
    ctx.counts["monitoring"] = {"employment_months": rows, "household_incomes": len(households),
                                "targets": len(targets)}
    ctx.shared["monitoring"] = {"months": months, "employed_last_month": employed[-1], "employed": employed,
                                # for the later steps (posts places people in their in-county months)
                                "jobs": jobs, "places": [jobs[j]["place"] for j in _job_index(months)]}
    ctx.say(f"务工记录 {rows:,} 条（{months[0]} 至 {months[-1]}，"
            f"{time.perf_counter() - started:.1f} 秒）")
    if ctx.out_dir is not None:
        _write_files(ctx, months, jobs, employed, incomes, households, targets)
    if ctx.load:
        _load(ctx, months, jobs, employed, incomes, households, targets)


# ---- months and levels --------------------------------------------------------------------------
def history_months(as_of: dt.date) -> list[str]:
    return months_ending(month_of(as_of), HISTORY_MONTHS)


def seasonal(month: str) -> float:
    year, mon = parse_month(month)
    sf = SPRING_FESTIVAL.get(year, 2)
    if mon == sf:
        return 0.90
    if mon == 1:  # the Spring Festival is in February: many already home
        return 0.955
    if mon == 2:  # the Spring Festival was in January: many not back yet
        return 0.95
    if mon == 12:
        return 0.975
    return FLAT[mon]


def reference_september(months: list[str]) -> str:
    septembers = [m for m in months if m.endswith("-09")]
    return septembers[-1] if septembers else months[-1]


def planned_scale(month: str, reference: str, people: int) -> int:
    level = REFERENCE_SCALE * people / REFERENCE_PEOPLE
    years = int(month[:4]) - int(reference[:4])
    return round(level * (1 + YEARLY_GROWTH) ** years * seasonal(month))


# ---- jobs ------------------------------------------------------------------------------------------
def _weighted_choice(rng, options: list, weights, size: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p / p.sum())]


def _destination_pools() -> dict[str, tuple[list[str], np.ndarray]]:
    pools: dict[str, tuple[list[str], list[float]]] = {}
    for code, row in reference.places().items():
        if code.startswith("50") or row["name"] in ("市辖区", "县"):
            continue
        if row["level"] == "province" and code not in ("11", "12"):
            continue
        region = row["cooperation_region"]
        codes, weights = pools.setdefault(region, ([], []))
        codes.append(code)
        weights.append(BIG_CITIES.get(code, 1))
    return {k: (codes, np.asarray(w, dtype=float) / sum(w)) for k, (codes, w) in pools.items()}


def _jobs(rng, ctx) -> dict[str, np.ndarray]:
    p = ctx.persons
    n = ctx.person_count
    mask = p["place_mask"].astype(np.uint8)
    allowed = (mask[:, None] & PLACE_BITS[None, :]) > 0
    allowed[mask == 0] = True
    weights = allowed * PLACE_WEIGHTS[None, :]
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    place_index = (rng.random(n)[:, None] > cumulative).sum(axis=1).clip(0, 3)
    place = PLACE_CLASSES[place_index]

    channel = np.empty(n, dtype=object)
    for cls, (options, w) in CHANNELS.items():
        sel = place == cls
        channel[sel] = _weighted_choice(rng, list(options), w, int(sel.sum()))

    destination = np.empty(n, dtype=object)
    sel = place == "in_county"
    own = np.asarray(p["township_code"].tolist(), dtype=object)
    district = np.asarray(p["district_code"].tolist(), dtype=object)
    destination[sel] = np.where(rng.random(int(sel.sum())) < 0.7, own[sel], district[sel])
    sel = place == "in_city"
    destination[sel] = _other_districts(rng, district[sel])
    sel = place == "out_of_city"
    pools = _destination_pools()
    region = _weighted_choice(rng, list(REGION_WEIGHTS), list(REGION_WEIGHTS.values()), int(sel.sum()))
    dest = np.empty(int(sel.sum()), dtype=object)
    for name, (pool, w) in pools.items():
        r = region == name
        dest[r] = np.asarray(pool, dtype=object)[rng.choice(len(pool), size=int(r.sum()), p=w)]
    destination[sel] = dest
    destination[place == "abroad"] = ""

    occupations = list(reference.occupations().values())
    occ_codes = np.asarray([o["code"] for o in occupations], dtype=object)
    occ_names = {o["code"]: o["name"] for o in occupations}
    skills = p["skills"].tolist()
    first_skill = np.asarray([s.split(",")[0] if s else "" for s in skills], dtype=object)
    random_occ = occ_codes[rng.integers(0, len(occ_codes), n)]
    occupation = np.where((first_skill != "") & np.isin(first_skill, occ_codes), first_skill, random_occ)
    job_title = np.asarray([occ_names.get(c, "") for c in occupation], dtype=object)
    welfare = channel == "welfare_post"
    job_title[welfare] = _weighted_choice(rng, ["护林员", "保洁员", "道路养护员", "村级协管员"],
                                          [3, 3, 2, 2], int(welfare.sum()))
    occupation[welfare] = ""

    ability = np.asarray(p["labour_ability"].tolist(), dtype=object)
    base = np.asarray([MONTHLY_YUAN[c] for c in place], dtype=float)
    for ch, yuan in CHANNEL_YUAN.items():
        base[channel == ch] = yuan
    for ab, factor in ABILITY_FACTOR.items():
        base[ability == ab] *= factor
    base *= rng.lognormal(0.0, 0.15, n)
    employer_name, employer_uscc = _employers(rng, destination, channel, place)
    return {"place": place, "channel": channel, "destination": destination, "occupation": occupation,
            "job_title": job_title, "base_yuan": base, "employer_name": employer_name,
            "employer_uscc": employer_uscc}


def _other_districts(rng, own: np.ndarray) -> np.ndarray:
    """Another district: of the worker's own zone for SAME_ZONE_SHARE of them (万州 and 黔江 draw
    the north-east and south-east), else any district, weighted to the main metro."""
    districts = [(code, row["region_group"]) for code, row in reference.divisions().items()
                 if len(code) == 6]
    codes = np.asarray([c for c, _ in districts], dtype=object)
    zones = np.asarray([z for _, z in districts], dtype=object)
    w = np.asarray([3.0 if z == "main_metro" else 1.0 for _, z in districts])
    pick = codes[rng.choice(len(codes), size=len(own), p=w / w.sum())]
    home_zone = zones[np.searchsorted(codes, own.astype(str))] if len(own) else zones[:0]
    stay = rng.random(len(own)) < SAME_ZONE_SHARE
    for zone in np.unique(zones):
        sel = stay & (home_zone == zone)
        pool = codes[zones == zone]
        drawn = rng.integers(0, len(pool), int(sel.sum()))
        drawn = np.where(pool[drawn] == own[sel], (drawn + 1) % len(pool), drawn)  # not one's own
        pick[sel] = pool[drawn]
    same = pick == own
    pick[same] = codes[(np.searchsorted(codes, pick[same]) + 1) % len(codes)]
    return pick


def _employers(rng, destination: np.ndarray, channel: np.ndarray, place: np.ndarray):
    """About 40 workers per employer, named after the place; no employer for gig, flexible or own
    business; the township government for public-welfare posts."""
    n = len(destination)
    slots = rng.integers(0, 12, n)
    names = np.full(n, "", dtype=object)
    codes = np.full(n, "", dtype=object)
    cache: dict[tuple[str, int], tuple[str, str]] = {}
    has_employer = np.isin(channel, ["migrant", "local", "workshop", "welfare_post"]) & (place != "abroad")
    for i in np.flatnonzero(has_employer):
        key = (destination[i], int(slots[i]) if channel[i] != "welfare_post" else -1)
        found = cache.get(key)
        if found is None:
            found = _employer(key[0], key[1])
            cache[key] = found
        names[i], codes[i] = found
    return names, codes


def _employer(destination: str, slot: int) -> tuple[str, str]:
    place = reference.divisions().get(destination) or reference.places().get(destination) or {}
    place_name = place.get("name", "")
    if slot < 0:
        return f"{place_name}人民政府" if len(destination) == 9 else f"{place_name}人力资源和社会保障局", ""
    seed = int(destination or "0") * 31 + slot  # deterministic: no hash() randomisation
    word = EMPLOYER_WORDS[seed % len(EMPLOYER_WORDS)]
    trade = EMPLOYER_TRADES[(seed // 7) % len(EMPLOYER_TRADES)]
    name = f"{place_name}{word}{trade}有限公司"
    region = (destination[:6] if destination.startswith("50") else destination).ljust(6, "0")
    org = "".join(USCC_ALPHABET[(seed * (k + 3) + k * 7) % len(USCC_ALPHABET)] for k in range(8))
    body = f"91{region}{org}" + USCC_ALPHABET[(seed + len(org)) % 10]
    code = body + uscc.calc_check_digit(body + "0")
    return name, code if uscc.is_valid(code) else ""


def _next_year_jobs(rng, ctx, jobs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Most people keep their job; a fifth change to a newly drawn one, with 5% higher pay."""
    fresh = _jobs(rng, ctx)
    change = rng.random(ctx.person_count) < 0.2
    out = {k: np.where(change, fresh[k], v) for k, v in jobs.items()}
    out["base_yuan"] = out["base_yuan"] * 1.05
    return out


def _job_index(months: list[str]) -> list[int]:
    """Which of the two jobs a month uses: the first 12 months the first, then the second."""
    return [0 if i < len(months) - 12 else 1 for i in range(len(months))]


# ---- who works when -----------------------------------------------------------------------------
def _employed(rng, ctx, months: list[str], jobs) -> list[np.ndarray]:
    p = ctx.persons
    n = ctx.person_count
    able = np.isin(np.asarray(p["labour_ability"].tolist(), dtype=object), codes.WORKING_ABILITIES)
    birth = p["birth_date"].astype("datetime64[D]")
    # Younger and fully able people work more often (and they are the ones who go far).
    age = np.asarray(p["age"], dtype=float)
    ability = np.asarray(p["labour_ability"].tolist(), dtype=object)
    propensity = rng.random(n) + 0.25 * (age <= 50) - 0.15 * (ability == "weak")
    reference_month = reference_september(months)
    out = []
    for month, j in zip(months, _job_index(months)):
        oldest, youngest = worker_birth_window(month)
        worker = able & (birth >= np.datetime64(oldest)) & (birth <= np.datetime64(youngest))
        score = propensity + MONTHLY_NOISE * rng.standard_normal(n)
        if seasonal(month) <= 0.9:  # the Spring Festival month: migrants are home
            score -= MIGRANT_SF_PENALTY * (jobs[j]["place"] == "out_of_city")
        candidates = np.flatnonzero(worker)
        k = min(planned_scale(month, reference_month, n), len(candidates))
        chosen = candidates[np.argpartition(-score[candidates], k - 1)[:k]] if k else candidates[:0]
        mask = np.zeros(n, dtype=bool)
        mask[chosen] = True
        out.append(mask)
    return out


def _monthly_incomes(rng, ctx, months, jobs, employed) -> list[np.ndarray]:
    """Income (fen) of each person in each month (0 when not working), before non-reporting."""
    out = []
    for month, j, mask in zip(months, _job_index(months), employed):
        yuan = jobs[j]["base_yuan"] * rng.normal(1.0, 0.05, ctx.person_count)
        fen = (np.round(yuan / 10) * 1000).astype(np.int32)
        out.append(np.where(mask, fen, 0).astype(np.int32))
    return out


def _household_incomes(rng, ctx, months, jobs, employed, incomes) -> list[tuple]:
    """(household index, year, wage, business, property, transfer, total) per household and
    complete year; non-wage income is allocated so that wages are WAGE_SHARE of the total."""
    hh_index = ctx.persons["household_index"]
    households = ctx.household_count
    size = ctx.households["size"].astype(float)
    rows = []
    years = sorted({m[:4] for m in months if month_range(f"{m[:4]}-01", f"{m[:4]}-12")[-1] in months
                    and f"{m[:4]}-01" in months})
    for year in years:
        wage = np.zeros(households, dtype=np.int64)
        for month, income in zip(months, incomes):
            if month.startswith(year):
                wage += np.bincount(hh_index, weights=income, minlength=households).astype(np.int64)
        non_wage_total = wage.sum() * (1 - WAGE_SHARE) / WAGE_SHARE
        weight = size * rng.lognormal(0.0, 0.3, households) * np.where(wage == 0, 2.0, 1.0)
        non_wage = np.floor(non_wage_total * weight / weight.sum()).astype(np.int64)
        split = rng.dirichlet(np.asarray(NON_WAGE_SPLIT) * 20, households)
        business = np.floor(non_wage * split[:, 0]).astype(np.int64)
        prop = np.floor(non_wage * split[:, 1]).astype(np.int64)
        transfer = non_wage - business - prop
        total = wage + business + prop + transfer
        for h in range(households):
            rows.append((h, int(year), int(wage[h]), int(business[h]), int(prop[h]), int(transfer[h]),
                         int(total[h])))
    return rows


def _targets(rng, ctx, months, employed) -> list[tuple[str, int, int]]:
    """(area_code, year, target): the city's and every district's, for each year in the window.

    The city target is REFERENCE_TARGET scaled with the population (and 4.6% lower a year
    earlier); districts share it in proportion to their September scale times a random effort
    factor, so some districts are ahead of their target and some behind.
    """
    n = ctx.person_count
    reference_month = reference_september(months)
    district = np.asarray(ctx.persons["district_code"].tolist(), dtype=object)
    rows = []
    for year in sorted({m[:4] for m in months}):
        years_back = int(reference_month[:4]) - int(year)
        city = round(REFERENCE_TARGET * n / REFERENCE_PEOPLE / (1 + YEARLY_GROWTH) ** years_back)
        september = f"{year}-09"
        mask = employed[months.index(september)] if september in months else employed[-1]
        codes, counts = np.unique(district[mask], return_counts=True)
        factor = counts * rng.uniform(0.93, 1.16, len(codes))
        shares = np.floor(city * factor / factor.sum()).astype(int)
        shares[np.argmax(shares)] += city - shares.sum()
        rows.append(("50", int(year), int(city)))
        rows.extend((str(c), int(year), int(s)) for c, s in zip(codes, shares) if s > 0)
    return rows


# ---- employment rows ------------------------------------------------------------------------------
def employment_rows(ctx, months, jobs, employed, incomes, persons: slice,
                    reported: np.ndarray | None = None) -> Iterator[tuple]:
    """(person index, month, place, destination, channel, employer, uscc, title, occupation,
    income fen or None), person by person, month by month, for the persons of ``persons``."""
    job_of = _job_index(months)
    by_month = [np.flatnonzero(e[persons]) + persons.start for e in employed]
    per_person: list[tuple[int, int]] = []
    for m, people in enumerate(by_month):
        per_person.extend((int(i), m) for i in people)
    per_person.sort()
    for i, m in per_person:
        job = jobs[job_of[m]]
        income = int(incomes[m][i])
        if reported is not None and not reported[m][i - persons.start]:
            income = None
        yield (i, months[m], job["place"][i], job["destination"][i], job["channel"][i],
               job["employer_name"][i], job["employer_uscc"][i], job["job_title"][i],
               job["occupation"][i], income)


def _reported(rng, months, size: int) -> np.ndarray:
    return rng.random((len(months), size)) >= INCOME_NOT_REPORTED


def _person_chunks(n: int, size: int = 100_000) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def _load(ctx, months, jobs, employed, incomes, households, targets) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.core.audit import audit_record
    from bangfu.monitoring.models import EmploymentMonth, HouseholdIncome, Target
    from bangfu.monitoring.services import kpi_months_mark_stale, months_close_bulk

    rng = np.random.default_rng([ctx.seed, 8013])
    person_ids = ctx.persons["id"]
    household_ids = ctx.households["id"]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    total = int(sum(e.sum() for e in employed))
    done = 0
    _tune(connection, True)
    try:
        for chunk in _person_chunks(ctx.person_count):
            reported = _reported(rng, months, chunk.stop - chunk.start)
            batch = []
            for row in employment_rows(ctx, months, jobs, employed, incomes, chunk, reported):
                batch.append((now, now, int(person_ids[row[0]]), *row[1:]))
            with transaction.atomic():
                _copy(connection, EmploymentMonth, (
                    "created_at", "updated_at", "person_id", "month", "place_class", "destination_code",
                    "channel", "employer_name", "employer_uscc", "job_title", "occupation_code",
                    "income_fen"), batch)
            done += len(batch)
            ctx.progress("务工记录", done, total)
        with transaction.atomic():
            _copy(connection, HouseholdIncome, (
                "created_at", "updated_at", "household_id", "year", "wage_fen", "business_fen",
                "property_fen", "transfer_fen", "total_fen"),
                [(now, now, int(household_ids[h]), *rest) for h, *rest in households])
            for area, year, target in targets:
                Target.objects.update_or_create(area_code=area, year=year,
                                                defaults={"employment_target": target})
            kpi_months_mark_stale(months=months)
            # Every district has reported its history except the newest month, which a demo
            # then shows as partial (if its deadline has not passed) beside the complete ones.
            months_close_bulk(actor=SYSTEM, months=months[:-1], audit=False)
            audit_record(actor=SYSTEM, action="monitoring.generate", area_code="50",
                         detail=ctx.counts.get("monitoring", {}) | {"months": [months[0], months[-1]],
                                                                    "closed": [months[0], months[-2]]})
    finally:
        _tune(connection, False)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE monitoring_employmentmonth")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE monitoring_employmentmonth")


def _tune(connection, loading: bool) -> None:
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # PRAGMA refused in a transaction
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF" if loading else "PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-524288" if loading else "PRAGMA cache_size=-2000")


def _copy(connection, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


# ---- files ------------------------------------------------------------------------------------------
def _write_files(ctx, months, jobs, employed, incomes, households, targets) -> None:
    """Import-format files: employment per month and district, incomes per year, targets."""
    from bangfu.registry.choices import Channel, PlaceClass

    out = Path(ctx.out_dir) / "monitoring"
    out.mkdir(parents=True, exist_ok=True)
    place_label = {v: str(lbl) for v, lbl in PlaceClass.choices}
    channel_label = {v: str(lbl) for v, lbl in Channel.choices}
    p = ctx.persons
    id_numbers, names, districts = p["id_number"], p["name"], p["district_code"]
    rng = np.random.default_rng([ctx.seed, 8013])
    writers: dict[tuple[str, str], tuple] = {}
    try:
        for chunk in _person_chunks(ctx.person_count):
            reported = _reported(rng, months, chunk.stop - chunk.start)
            for i, month, place, dest, channel, employer, code, title, occ, income in employment_rows(
                    ctx, months, jobs, employed, incomes, chunk, reported):
                key = (month, str(districts[i]))
                if key not in writers:
                    path = out / f"employment_{month}_{key[1]}.csv"
                    fh = path.open("w", newline="", encoding="utf-8-sig")
                    w = csv.writer(fh)
                    w.writerow(CSV_HEADERS)
                    writers[key] = (fh, w)
                    ctx.files.append(path)
                writers[key][1].writerow((
                    str(id_numbers[i]), str(names[i]), month, place_label[place], dest,
                    channel_label[channel], employer, code, title, occ,
                    "" if income is None else f"{income / 100:.0f}"))
    finally:
        for fh, _ in writers.values():
            fh.close()
    numbers, hh_districts = ctx.households["number"], ctx.households["district_code"]
    files: dict[tuple[int, str], tuple] = {}
    try:
        for h, year, wage, business, prop, transfer, total in households:
            key = (year, str(hh_districts[h]))
            if key not in files:
                path = out / f"income_{year}_{key[1]}.csv"
                fh = path.open("w", newline="", encoding="utf-8-sig")
                w = csv.writer(fh)
                w.writerow(("户编号", "年度", "工资性收入", "经营性收入", "财产性收入", "转移性收入", "家庭纯收入"))
                files[key] = (fh, w)
                ctx.files.append(path)
            files[key][1].writerow((str(numbers[h]), year, *(
                f"{v / 100:.2f}" for v in (wage, business, prop, transfer, total))))
    finally:
        for fh, _ in files.values():
            fh.close()
    path = out / "targets.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(("区域代码", "年度", "务工规模目标"))
        w.writerows(targets)
    ctx.files.append(path)
