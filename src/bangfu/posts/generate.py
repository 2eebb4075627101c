"""The posts step of ``bangfu generate`` (after monitoring): public-welfare posts, placements,
the attendance of 2024 and its pay claims, and the placed months as ``welfare_post`` months.

How it comes out (relative to ``ctx.as_of``, 2024-12-31, never to the wall clock):

* People are placed only in months the monitoring step already has them working in their
  county (its ``employed`` masks and ``jobs``), so a placed month is an employment month that
  exists: it is relabelled channel ``welfare_post`` with the post as employer, and the
  employment scale is unchanged (counted once). Monitoring's other ``welfare_post`` months
  (a person it gave such a job but who is not placed here) become ``local``, so the channel
  means a placement and nothing else.
* ``chongqing-2024``, as every size: at the end of September 2024, 96,000 × people / 1.9
  million poverty-alleviated people are in post (the article's 9.6万), plus 监测对象 placed
  too (not in that figure); others left during 2024 (their in-county work stopped), started
  in October–December, or are in their 公示 in December.
* One live placement per person and per household; ages 16–56 at the contract's start (so
  36 months never reach the retirement age); labour ability ordinary, skilled or weak, weak
  ability and monitoring's welfare-post workers first.
* Posts are village posts of 1–3 seats grouping the placements of one village, approved
  before their first contract; a few have a seat more than placed (vacant).
* 2024's attendance: one approved record per placement and month in post (√ on working
  days, some 事/病/旷, rated 优秀/合格, rarely 不合格), and a pay claim for each month that pays
  (at least the minimum days, not 不合格), left for the pay run to batch (``bangfu posts pay
  --batch``): paid claims would need bank accounts and returns this step does not invent.

Files (``--out``) are not written for posts; ``ctx.load`` is needed.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from bangfu import codes
from bangfu.core.months import first_day, last_day, shift_month

REFERENCE_PEOPLE = 1_900_000
REFERENCE_PLACED = 96_000  # alleviated people in post, end of September 2024 (9.6万)
REFERENCE_MONTH = "2024-09"
MONITORED_SHARE = 0.06     # 监测对象 placed besides, as a share of the alleviated in post
EXITED_SHARE = 0.05        # placed in 2024 but gone before the end of September
LATE_SHARE = 0.03          # contracts starting October-December
NOTICE_SHARE = 0.005       # in their 公示 at the end of the year
VACANT_POSTS = 0.03        # posts with a seat more than they hold
MAX_START_AGE = 56
ABLE = codes.MIN_ABILITY.values  # any labour ability a post can take (not lost, not none)
POST_NAMES = {"public_service": ("村道保洁员", "公共设施管护员", "农村公路养护员", "水利设施管护员"),
              "assist_management": ("护林员", "村务协理员", "地质灾害监测员", "河道巡查员")}


def generate_step(ctx) -> None:
    shared = ctx.shared.get("monitoring") or {}
    if not ctx.load or ctx.person_count == 0 or "employed" not in shared:
        return  # nothing to place people in (no monitoring months, or files only)
    started = time.perf_counter()
    rng = ctx.rng_for("posts")
    months = shared["months"]
    plan = placement_plan(ctx, rng, months, shared["employed"], shared["jobs"])
    from bangfu.posts.generate_load import load_plan

    counts = load_plan(ctx, rng, months, plan)
    ctx.counts["posts"] = counts
    ctx.say(f"公益性岗位 {counts['posts']:,} 个、安置 {counts['placements']:,} 人次、考勤 {counts['attendance']:,} 条"
            f"（{time.perf_counter() - started:.1f} 秒）")


def target_placed(people: int) -> int:
    """Alleviated people in post at the end of September 2024 for a population of ``people``."""
    return round(REFERENCE_PLACED * people / REFERENCE_PEOPLE)


def in_county_months(months: list[str], employed: list[np.ndarray], jobs: list[dict]) -> np.ndarray:
    """persons × months: working in their county that month (monitoring's first job is the
    first year's, the second the second year's)."""
    cut = len(months) - 12
    return np.stack([employed[m] & (jobs[0 if m < cut else 1]["place"] == "in_county")
                     for m in range(len(months))], axis=1)


def _run_bounds(work: np.ndarray, at: int) -> tuple[np.ndarray, np.ndarray]:
    """(first, last) month index of each row's run of True containing column ``at``."""
    before = work[:, at::-1]
    gap = np.argmax(~before, axis=1)
    first = np.where(before.all(axis=1), 0, at - gap + 1)
    after = work[:, at:]
    gap = np.argmax(~after, axis=1)
    last = np.where(after.all(axis=1), work.shape[1] - 1, at + gap - 1)
    return first, last


def placement_plan(ctx, rng, months: list[str], employed, jobs) -> dict[str, np.ndarray]:
    """Who is placed, from which month to which (indexes into ``months``; a start before the
    window is negative), exited or not: numpy columns, one row per placement."""
    p = ctx.persons
    n = ctx.person_count
    work = in_county_months(months, employed, jobs)
    birth = p["birth_date"].astype("datetime64[D]")
    category = np.asarray(p["category"].tolist(), dtype=object)
    ability = np.asarray(p["labour_ability"].tolist(), dtype=object)
    household = np.asarray(p["household_index"])
    month_start = np.array([np.datetime64(first_day(m)) for m in months])
    # age on each month's first day, roughly (completed years)
    age_at = ((month_start[None, :] - birth[:, None]).astype(int) / 365.25)
    # 17 at the window's start: a contract drawn up to a year before it still starts at 16
    fits = np.isin(ability, ABLE)[:, None] & (age_at >= 17) & (age_at <= MAX_START_AGE)
    welfare_job = (jobs[1]["channel"] == "welfare_post") | (jobs[0]["channel"] == "welfare_post")
    score = rng.random(n) + 1.0 * welfare_job + 0.5 * (ability == "weak") + 0.3 * (category == "monitored")
    taken = np.zeros(n, dtype=bool)
    household_taken = np.zeros(int(household.max()) + 1, dtype=bool)
    ref = months.index(REFERENCE_MONTH) if REFERENCE_MONTH in months else len(months) - 4
    target = target_placed(n)
    rows: list[dict] = []
    rows_ = np.arange(n)

    def take(candidates: np.ndarray, k: int) -> np.ndarray:
        """The ``k`` best-scored candidates, one per household not yet holding a post."""
        candidates = candidates[~taken[candidates] & ~household_taken[household[candidates]]]
        order = candidates[np.argsort(-score[candidates], kind="stable")]
        _, first_of_household = np.unique(household[order], return_index=True)
        chosen = order[np.sort(first_of_household)][:k]
        taken[chosen] = True
        household_taken[household[chosen]] = True
        return chosen

    # in post at the reference month's end: a run of in-county months through it
    first, last = _run_bounds(work, ref)
    end_ok = last > ref  # an exit dated in the reference month would not count at its end
    for cat, k in (("alleviated", target), ("monitored", round(target * MONITORED_SHARE))):
        pool = np.flatnonzero((category == cat) & work[:, ref] & end_ok & fits[rows_, first] & fits[:, ref])
        chosen = take(pool, k)
        rows.append(_rows(rng, chosen, first[chosen], ref, last[chosen], len(months), earlier_ok=True))
    # gone before the reference month's end: a run ending in the year of the reference month
    year_start = len(months) - 12
    for stop in range(year_start, ref):
        ends = work[:, stop] & ~work[:, stop + 1]
        f, _ = _run_bounds(work, stop)
        pool = np.flatnonzero(ends & fits[rows_, f] & fits[:, stop])
        chosen = take(pool, round(target * EXITED_SHARE / (ref - year_start)))
        rows.append(_rows(rng, chosen, f[chosen], stop, np.full(len(chosen), stop), len(months), earlier_ok=True))
    # starting after it, in post to the year's end
    for start in range(ref + 1, len(months)):
        begins = work[:, start] & ~work[:, start - 1] & work[:, start:].all(axis=1)
        pool = np.flatnonzero(begins & fits[:, start])
        chosen = take(pool, round(target * LATE_SHARE / (len(months) - ref - 1)))
        rows.append(_rows(rng, chosen, np.full(len(chosen), start), start, np.full(len(chosen), len(months) - 1),
                          len(months), earlier_ok=False))
    # in 公示 at the year's end: not working, so no month to relabel
    pool = np.flatnonzero(~work[:, -1] & fits[:, -1])
    chosen = take(pool, round(target * NOTICE_SHARE))
    rows.append({"person": chosen, "start": np.full(len(chosen), len(months)), "last": np.full(len(chosen), -1),
                 "exited": np.zeros(len(chosen), dtype=bool), "notice": np.ones(len(chosen), dtype=bool)})
    plan = {key: np.concatenate([r[key] for r in rows]) for key in rows[0]}
    # why they left: in work outside the county the next month (稳定就业), else of their own accord
    nxt = np.minimum(plan["last"] + 1, len(months) - 1)
    cut = len(months) - 12
    outside = np.array([bool(employed[m][i]) and jobs[0 if m < cut else 1]["place"][i] != "in_county"
                        for i, m in zip(plan["person"], nxt)], dtype=bool)
    plan["stable_work"] = plan["exited"] & outside
    return plan


def _rows(rng, chosen, first, at: int, last, n_months: int, *, earlier_ok: bool) -> dict[str, np.ndarray]:
    """Placements of ``chosen``: a start drawn in their run (before the window for half of those
    whose run begins with it), in post to ``last`` (exited in that month unless it is the last)."""
    k = len(chosen)
    start = first + np.floor(rng.random(k) * (at - first + 1)).astype(int)
    if earlier_ok:
        before = (first == 0) & (rng.random(k) < 0.5)
        start[before] = -rng.integers(1, 13, int(before.sum()))
    exited = last < n_months - 1
    return {"person": chosen, "start": start, "last": np.asarray(last, dtype=int), "exited": exited,
            "notice": np.zeros(k, dtype=bool)}


def month_at(months: list[str], index: int) -> str:
    """The month of an index into ``months``, also before or after the window."""
    return shift_month(months[0], index)


def day_in(month: str, day: int) -> dt.date:
    return min(first_day(month) + dt.timedelta(days=day - 1), last_day(month))

