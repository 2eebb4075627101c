"""Writing the posts step's plan (``posts.generate``): posts, placements, 2024's attendance and
pay claims, and the placed months relabelled ``welfare_post``, in one transaction with one
audit row. Column-wise where the rows are many (attendance, pay, employment months)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from collections import defaultdict

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from bangfu.core.months import first_day, last_day
from bangfu.core.workdays import add_working_days, is_working_day
from bangfu.posts import choices as c
from bangfu.posts.generate import MAX_START_AGE, POST_NAMES, VACANT_POSTS, day_in, month_at
from bangfu.posts.params import by_district, param
from bangfu.posts.services.placements import add_months
from bangfu.core.actors import SYSTEM

CHANNEL = "welfare_post"
DUTIES = {"public_service": "村内道路、公共场所和设施的保洁与管护", "assist_management": "巡查、协管和便民服务"}
MARKS = np.array(["√", "事", "病", "旷"])
MARK_P = (0.955, 0.02, 0.015, 0.01)
RATING_P = {"excellent": 0.15, "fail": 0.005}


def _local(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def load_plan(ctx, rng, months: list[str], plan: dict[str, np.ndarray]) -> dict[str, int]:
    assert MAX_START_AGE + param("POSTS_MAX_CONTRACT_MONTHS") // 12 < param("POSTS_RETIREMENT_AGE")
    with transaction.atomic():
        placements = _placements(ctx, rng, months, plan)
        posts = _posts(rng, placements)
        _save(posts, placements)
        attendance, pay = _attendance_and_pay(rng, months, placements)
        relabelled, to_local = _employment(ctx, months, plan, placements)
        from bangfu.core.audit import audit_record
        from bangfu.monitoring.services import kpi_months_mark_stale

        counts = {"posts": len(posts), "placements": len(placements), "attendance": attendance, "pay_claims": pay,
                  "welfare_post_months": relabelled, "relabelled_local": to_local}
        kpi_months_mark_stale(months=months)
        audit_record(actor=SYSTEM, action="welfare_post.generate", area_code="50", detail=counts)
    return counts


def _placements(ctx, rng, months, plan) -> list[dict]:
    p, h = ctx.persons, ctx.households
    notice_end_of: dict[dt.date, dt.date] = {}
    days = param("POSTS_NOTICE_WORKING_DAYS")
    out = []
    for k, i in enumerate(plan["person"].tolist()):
        row = {"person_id": int(p["id"][i]), "household_id": int(h["id"][int(p["household_index"][i])]),
               "district_code": str(p["district_code"][i]), "township_code": str(p["township_code"][i]),
               "village": str(p["village"][i]), "start": int(plan["start"][k]), "last": int(plan["last"][k])}
        if plan["notice"][k]:
            notice_start = day_in(months[-1], int(rng.integers(16, 24)))
            row.update(status=c.PlacementStatus.NOTICE, contract_start=None, planned_end=None, exit_date=None)
        else:
            start = first_day(month_at(months, row["start"]))
            notice_start = start - dt.timedelta(days=int(rng.integers(14, 21)))
            row.update(contract_start=start, planned_end=add_months(start, param("POSTS_MAX_CONTRACT_MONTHS"))
                       - dt.timedelta(days=1), status=c.PlacementStatus.ACTIVE, exit_date=None)
            if plan["exited"][k]:
                row.update(status=c.PlacementStatus.EXITED,
                           exit_date=day_in(months[row["last"]], int(rng.integers(10, 26))),
                           exit_reason=c.ExitReason.STABLE_WORK if plan["stable_work"][k] else c.ExitReason.VOLUNTARY)
        if notice_start not in notice_end_of:
            notice_end_of[notice_start] = add_working_days(notice_start, days)
        row.update(notice_start=notice_start, notice_end=notice_end_of[notice_start])
        out.append(row)
    return out


def _posts(rng, placements: list[dict]) -> list[dict]:
    """Village posts of 1-3 seats, each seat one placement; a few with a seat more (vacant)."""
    by_village: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for row in placements:
        by_village[(row["district_code"], row["township_code"], row["village"])].append(row)
    posts = []
    for (district, township, village), rows in sorted(by_village.items()):
        at = 0
        while at < len(rows):
            seats = rows[at:at + int(rng.integers(1, 4))]
            at += len(seats)
            post_type = "public_service" if rng.random() < 0.55 else "assist_management"
            part_time = rng.random() < 0.15
            first_notice = min(r["notice_start"] for r in seats)
            approved = first_notice - dt.timedelta(days=int(rng.integers(10, 40)))
            post = {"name": f"{village}{rng.choice(POST_NAMES[post_type])}", "post_type": post_type,
                    "work_time": c.WorkTime.PART_TIME if part_time else c.WorkTime.FULL_TIME,
                    "hours_per_month": int(rng.choice([80, 100])) if part_time else None,
                    "headcount": len(seats) + int(rng.random() < VACANT_POSTS),
                    "district_code": district, "township_code": township, "village": village,
                    "funding_source": (c.FundingSource.EMPLOYMENT_FUND if rng.random() < 0.6
                                       else c.FundingSource.LINKAGE_FUND),
                    "funding_year": approved.year, "duties": DUTIES[post_type], "status": c.PostStatus.APPROVED,
                    "reviewed_at": _local(approved - dt.timedelta(days=7)), "approved_at": _local(approved)}
            posts.append(post)
            for row in seats:
                row["post"] = post
    return posts


def _save(posts: list[dict], placements: list[dict]) -> None:
    from bangfu.posts.models import Placement, WelfarePost

    objects = WelfarePost.objects.bulk_create([WelfarePost(**post) for post in posts], batch_size=2000)
    for post, obj in zip(posts, objects):
        post["obj"] = obj
    fields = ("person_id", "household_id", "district_code", "township_code", "status", "notice_start",
              "notice_end", "contract_start", "planned_end", "exit_date")
    saved = Placement.objects.bulk_create(
        [Placement(post=row["post"]["obj"], exit_reason=row.get("exit_reason", ""), **{f: row[f] for f in fields})
         for row in placements], batch_size=2000)
    for row, obj in zip(placements, saved):
        row["id"] = obj.pk


def _month_template(month: str) -> np.ndarray:
    first = first_day(month)
    return np.array([is_working_day(first + dt.timedelta(days=d))
                     for d in range(calendar.monthrange(first.year, first.month)[1])])


def _attendance_and_pay(rng, months, placements) -> tuple[int, int]:
    """Every month of the last year each placement is in post: an approved attendance record,
    and its pay claim when it pays."""
    from bangfu.posts.models import Attendance, PostPay

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    min_days = param("POSTS_MIN_DAYS_PRESENT")
    in_post = [r for r in placements if r["contract_start"] is not None]
    n_att = n_pay = 0
    for m in range(len(months) - 12, len(months)):
        month = months[m]
        rows = [r for r in in_post if r["start"] <= m <= r["last"]]
        if not rows:
            continue
        working = _month_template(month)
        first = first_day(month)
        day_no = np.arange(1, len(working) + 1)
        exit_day = np.array([r["exit_date"].day if r["exit_date"] and r["exit_date"].month == first.month
                             and r["exit_date"].year == first.year else 99 for r in rows])
        on = working[None, :] & (day_no[None, :] <= exit_day[:, None])
        marks = MARKS[rng.choice(len(MARKS), size=on.shape, p=MARK_P)]
        marks = np.where(on, marks, " ")
        counts = {mark: (marks == mark).sum(axis=1) for mark in MARKS}
        roll = rng.random(len(rows))
        rating = np.where(roll < RATING_P["fail"], "fail", np.where(roll < RATING_P["fail"] + RATING_P["excellent"],
                                                                   "excellent", "pass"))
        approved_at = connection.ops.adapt_datetimefield_value(_local(last_day(month) + dt.timedelta(days=5)))
        att_rows = [(now, now, r["id"], month, "".join(marks[k]).rstrip(), int(counts["√"][k]), int(counts["事"][k]),
                     int(counts["病"][k]), int(counts["旷"][k]), str(rating[k]), c.AttendanceStatus.APPROVED.value,
                     approved_at, r["district_code"], r["township_code"]) for k, r in enumerate(rows)]
        _insert(Attendance, ("created_at", "updated_at", "placement_id", "month", "marks", "days_present",
                             "days_personal_leave", "days_sick_leave", "days_absent", "rating", "status",
                             "approved_at", "district_code", "township_code"), att_rows)
        ids = dict(Attendance.objects.filter(month=month).values_list("placement_id", "id"))
        pay_rows = []
        for k, r in enumerate(rows):
            if rating[k] == "fail" or counts["√"][k] < min_days:
                continue
            amount, basis = _pay(r, int(counts["√"][k]))
            pay_rows.append((ids[r["id"]], r["id"], r["person_id"], month, amount, c.PayStatus.APPROVED.value,
                             json.dumps(basis), r["district_code"], r["township_code"], now))
        _insert(PostPay, ("attendance_id", "placement_id", "person_id", "month", "amount_fen", "status", "basis",
                          "district_code", "township_code", "created_at"), pay_rows)
        n_att += len(att_rows)
        n_pay += len(pay_rows)
    return n_att, n_pay


def _pay(row: dict, days_present: int) -> tuple[int, dict]:
    """As ``services.pay.pay_amount``: the district's minimum monthly wage, or hourly × hours."""
    post = row["post"]
    if post["work_time"] == c.WorkTime.PART_TIME:
        hourly = by_district("POSTS_MIN_HOURLY_WAGE_FEN", row["district_code"])
        return hourly * post["hours_per_month"], {"work_time": post["work_time"], "hourly_fen": hourly,
                                                  "hours": post["hours_per_month"], "days_present": days_present}
    monthly = by_district("POSTS_MIN_MONTHLY_WAGE_FEN", row["district_code"])
    return monthly, {"work_time": post["work_time"], "monthly_fen": monthly, "days_present": days_present}


def _employment(ctx, months, plan, placements) -> tuple[int, int]:
    """Placed months become ``welfare_post`` months with the post as employer (they exist: the
    plan placed people only in their in-county months); monitoring's other ``welfare_post``
    months become ``local``."""
    from bangfu.monitoring.models import EmploymentMonth

    shared = ctx.shared["monitoring"]
    n, cut = ctx.person_count, len(months) - 12
    placed = np.zeros((n, len(months)), dtype=bool)
    updates = []
    for k, row in enumerate(placements):
        lo, hi = max(row["start"], 0), row["last"]
        if row["contract_start"] is None or hi < lo:
            continue
        placed[int(plan["person"][k]), lo:hi + 1] = True
        updates.append((CHANNEL, row["village"][:200], row["post"]["name"][:100], row["township_code"],
                        row["person_id"], months[lo], months[hi]))
    table = connection.ops.quote_name(EmploymentMonth._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET channel = %s, employer_name = %s, employer_uscc = '', job_title = %s, "
                           f"destination_code = %s, occupation_code = '' "
                           f"WHERE person_id = %s AND month >= %s AND month <= %s", updates)
    welfare = np.stack([shared["employed"][m] & (shared["jobs"][0 if m < cut else 1]["channel"] == CHANNEL)
                        for m in range(len(months))], axis=1)
    people, month_index = np.nonzero(welfare & ~placed)
    ids = ctx.persons["id"]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET channel = 'local' WHERE person_id = %s AND month = %s",
                           [(int(ids[i]), months[m]) for i, m in zip(people.tolist(), month_index.tolist())])
    return int(placed.sum()), len(people)


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(col) for col in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 20_000):
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows[start:start + 20_000])
