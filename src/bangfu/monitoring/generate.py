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

import datetime as dt
import itertools
import time

import numpy as np

from bangfu import codes
from bangfu.core import reference
from bangfu.core.months import month_of, month_range, months_ending, parse_month
from bangfu.engine.kpi.months import worker_birth_window

from bangfu.monitoring.generate_params import (
    REFERENCE_PEOPLE, REFERENCE_SCALE, REFERENCE_TARGET, YEARLY_GROWTH, WAGE_SHARE,
    HISTORY_MONTHS, MIGRANT_SF_PENALTY, MONTHLY_NOISE, SPRING_FESTIVAL, FLAT, NON_WAGE_SPLIT,
)
from bangfu.monitoring.generate_jobs import _job_index, _jobs, _next_year_jobs  # noqa: F401
from bangfu.monitoring.generate_output import _load, _write_files, employment_rows  # noqa: F401


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
        rows.extend(zip(range(households), itertools.repeat(int(year)), wage.tolist(), business.tolist(),
                        prop.tolist(), transfer.tolist(), total.tolist()))
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
