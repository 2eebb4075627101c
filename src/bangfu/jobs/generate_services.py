"""Pushes and service records of 渝职聘 for ``bangfu generate`` (called by the jobs step after
the postings are loaded), calibrated to the article (Chongqing Daily, 2024-09-28): at
1.9 million people, January..September of ``ctx.as_of``'s year has 33万 jobs pushed and 14万
employment services (DESIGN.md section 5); other sizes scale with the population.

Pushes and services go to workers (16-65 with labour ability), spread evenly over the year's
months; a worker is never pushed the same posting twice. Numbers come from
``ctx.rng_for("jobs-services")``; nothing depends on the wall clock.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np

from bangfu.core.actors import SYSTEM
from bangfu.registry.generate.context import SCENARIOS

REFERENCE_PEOPLE = SCENARIOS["chongqing-2024"]["people"]
PUSHES_JAN_SEP = 330_000  # 累计推送岗位33万个
# 就业服务14万人次 in all: 渝职聘's records here, the helpers' visits and calls in network/generate.py
SERVICES_JAN_SEP = 40_000
SERVICE_KINDS = ("registration", "call", "referral", "guidance", "follow_up")
BATCH = 20_000


def planned(ctx) -> dict[str, int]:
    """Pushes and services per month of ``ctx.as_of``'s year (a September total of the article)."""
    share = ctx.person_count / REFERENCE_PEOPLE
    return {"pushes": round(PUSHES_JAN_SEP * share / 9), "services": round(SERVICES_JAN_SEP * share / 9)}


def make_services(ctx, rng: np.random.Generator, posting_count: int) -> tuple[list, list]:
    """(pushes, services) as (person index, posting index or -1, month, day) tuples."""
    workers = np.flatnonzero(np.asarray(ctx.persons["is_worker"], dtype=bool))
    if len(workers) == 0 or posting_count == 0:
        return [], []
    per_month = planned(ctx)
    year = ctx.as_of.year
    pushes, services, seen = [], [], set()
    for mon in range(1, 13):
        month = f"{year}-{mon:02d}"
        n = per_month["pushes"]
        people = rng.choice(workers, n)
        posts = rng.integers(0, posting_count, n)
        days = rng.integers(1, 29, n)
        for p, j, d in zip(people.tolist(), posts.tolist(), days.tolist()):
            while (p, j) in seen:  # one push per worker and posting, ever
                j = (j + 1) % posting_count
            seen.add((p, j))
            pushes.append((p, j, month, d))
        m = per_month["services"]
        for p, d in zip(rng.choice(workers, m).tolist(), rng.integers(1, 29, m).tolist()):
            services.append((p, -1, month, d))
    return pushes, services


def load_services(ctx, pushes: list, services: list) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.core.audit import audit_record
    from bangfu.jobs.models import JobPosting, Push, ServiceRecord

    ids = np.asarray(ctx.persons["id"])
    districts = np.asarray(ctx.persons["district_code"]).astype(str)
    townships = np.asarray(ctx.persons["township_code"]).astype(str)
    postings = list(JobPosting.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    reasons = json.dumps([{"code": "generated", "params": {}, "text": "模拟推送"}], ensure_ascii=False)
    push_sql = (f"INSERT INTO {Push._meta.db_table} (created_at, updated_at, district_code, township_code, "
                "person_id, posting_id, score, reasons, week, month) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")
    service_sql = (f"INSERT INTO {ServiceRecord._meta.db_table} (created_at, updated_at, district_code, "
                   "township_code, person_id, kind, served_on, month, note, actor_name) "
                   "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)")

    def week(month: str, day: int) -> str:
        iso = dt.date(int(month[:4]), int(month[5:]), day).isocalendar()
        return f"{iso.year}-W{iso.week:02d}"

    for start in range(0, len(pushes), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(push_sql, [
                (now, now, districts[p], townships[p], int(ids[p]), postings[j % len(postings)], 0.5, reasons,
                 week(m, d), m) for p, j, m, d in pushes[start:start + BATCH]])
        ctx.progress("岗位推送", min(start + BATCH, len(pushes)), len(pushes))
    for start in range(0, len(services), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(service_sql, [
                (now, now, districts[p], townships[p], int(ids[p]), SERVICE_KINDS[(p + d) % len(SERVICE_KINDS)],
                 dt.date(int(m[:4]), int(m[5:]), d), m, "", "generator")
                for p, _j, m, d in services[start:start + BATCH]])
        ctx.progress("就业服务", min(start + BATCH, len(services)), len(services))
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="jobs.generate_services", area_code="50",
                     detail={"pushes": len(pushes), "services": len(services)})
