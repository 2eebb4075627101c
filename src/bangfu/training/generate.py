"""The training step of ``bangfu generate`` (after the other programmes): training providers,
courses of shortage and other trades, their trainees with attendance, completion and
certificates, in proportion to the article (今年培训脱贫人口1.7万人次，帮扶就业超过1万人).

How it comes out (relative to ``ctx.as_of``, 2024-12-31, never to the wall clock):

* ``chongqing-2024``, as every size: 17,000 × people / 1.9 million poverty-alleviated workers
  finish a course in January–September 2024 (one course each), a few more in October–December,
  and a few drop out; 88 % of those who finish are certified, in the month the course ends.
* 64 % of the finishers of January–September are drawn from the workers whom the monitoring
  step has working in the window after their course (the course's end month to six months
  later, and no later than September), the rest from those it has not: so ``trained_employed``
  at 2024-09 is about 10,900 × people / 1.9 million, from the employment months themselves.
* Courses gather 20–45 trainees of one district and end month; trades come from the shipped
  occupation catalogue (construction and manufacturing trades flagged 紧缺), levels mostly
  初级 and 专项职业能力, brands 巴渝工匠 / 渝家人 / 渝能人 or none. Each district has a few
  providers (employers with a valid USCC, 民办非企业单位).

Files (``--out``) are not written for training; ``ctx.load`` is needed.
"""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from bangfu import codes
from bangfu.core import reference
from bangfu.core.months import first_day, last_day

REFERENCE_PEOPLE = 1_900_000
REFERENCE_TRAINED = 17_000       # finishing in January-September 2024 (1.7万人次)
EMPLOYED_SHARE = 0.64            # of them, with an employment month within the window (1万+)
LATE_SHARE = 0.08                # finishing in October-December, as a share of the above
DROPPED_SHARE = 0.04
CERTIFIED_SHARE = 0.88
YEAR = "2024"
LAST_REFERENCE_MONTH = "2024-09"
WITHIN = 6
SHORTAGE_GROUPS = ("6-29", "6-30", "6-22", "6-25")  # construction, machine operation, car and electronics making
BRANDS = codes.TRAINING_BRAND.values            # bayu_craftsman, yu_jiaren, yu_nengren, none
BRAND_P = (0.35, 0.25, 0.2, 0.2)
LEVELS = ("junior", "special", "intermediate", "senior")
LEVEL_P = (0.55, 0.3, 0.12, 0.03)
PROVIDERS_PER_DISTRICT = 3


def target_trained(people: int) -> int:
    return round(REFERENCE_TRAINED * people / REFERENCE_PEOPLE)


def generate_step(ctx) -> None:
    shared = ctx.shared.get("monitoring") or {}
    if not ctx.load or ctx.person_count == 0 or "employed" not in shared:
        return
    started = time.perf_counter()
    rng = ctx.rng_for("training")
    plan = trainee_plan(ctx, rng, shared["months"], shared["employed"])
    from bangfu.training.generate_load import load_plan

    counts = load_plan(ctx, rng, plan)
    ctx.counts["training"] = counts
    ctx.say(f"培训项目 {counts['courses']:,} 期、学员 {counts['enrolments']:,} 人次、证书 {counts['certificates']:,} 张"
            f"（{time.perf_counter() - started:.1f} 秒）")


def trainee_plan(ctx, rng, months: list[str], employed: list[np.ndarray]) -> dict[str, np.ndarray]:
    """One row per enrolment: person index, end month (index into ``months``), status."""
    p = ctx.persons
    n = ctx.person_count
    ability = np.asarray(p["labour_ability"].tolist(), dtype=object)
    age = np.asarray(p["age"], dtype=int)  # on ctx.as_of
    in_school = np.asarray(p["in_school"], dtype=bool)
    category = np.asarray(p["category"].tolist(), dtype=object)
    pool = np.flatnonzero(np.isin(ability, codes.WORKING_ABILITIES) & (age >= 17) & (age <= 56)
                          & ~in_school & (category == "alleviated"))
    pool = pool[rng.permutation(len(pool))]
    # the scenario's year is 2024 (January-September reported); a demo's is the year of its clock
    year = str(ctx.as_of.year) if ctx.as_of else YEAR
    first_month = max(f"{year}-01", months[0])
    last_month = min(f"{year}-{LAST_REFERENCE_MONTH[5:]}", months[-1])
    first, last_ref = months.index(first_month), months.index(last_month)
    end = rng.integers(first, last_ref + 1, len(pool))
    work = np.stack(employed, axis=1)  # persons × months
    in_window = np.zeros(len(pool), dtype=bool)
    for e in range(first, last_ref + 1):  # one vectorised test per end month
        rows = end == e
        hi = min(e + WITHIN, last_ref)
        in_window[rows] = work[pool[rows], e:hi + 1].any(axis=1)
    target = target_trained(n)
    n_employed = round(target * EMPLOYED_SHARE)
    yes, no = np.flatnonzero(in_window)[:n_employed], np.flatnonzero(~in_window)[:target - n_employed]
    chosen = np.concatenate([yes, no])
    taken = np.zeros(len(pool), dtype=bool)
    taken[chosen] = True
    rest = np.flatnonzero(~taken)
    late = rest[:round(target * LATE_SHARE)]
    dropped = rest[len(late):len(late) + round(target * DROPPED_SHARE)]
    person = np.concatenate([pool[chosen], pool[late], pool[dropped]])
    end_month = np.concatenate([end[chosen], rng.integers(last_ref + 1, len(months), len(late)),
                                rng.integers(first, len(months), len(dropped))])
    status = np.array(["completed"] * (len(chosen) + len(late)) + ["dropped"] * len(dropped), dtype=object)
    certified = (status == "completed") & (rng.random(len(person)) < CERTIFIED_SHARE)
    return {"person": person, "end": end_month, "status": status, "certified": certified}


def trades(rng) -> tuple[list[str], np.ndarray]:
    """The catalogue's codes and each one's shortage flag."""
    codes_ = sorted(reference.occupations())
    shortage = np.array([any(c.startswith(g) for g in SHORTAGE_GROUPS) for c in codes_])
    return codes_, shortage


def course_dates(rng, month: str, days: int) -> tuple[dt.date, dt.date]:
    end = min(first_day(month) + dt.timedelta(days=int(rng.integers(8, 27))), last_day(month))
    start = end - dt.timedelta(days=int(days * 1.4))
    return start, end
