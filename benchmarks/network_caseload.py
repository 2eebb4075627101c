"""Benchmark: a helper's "my people" (page and API) over H helpers and W workers, and the yearly
workshop-award run, in a fresh SQLite database.

    .venv/bin/python benchmarks/network_caseload.py [--helpers 26000] [--workers 1200000]
        [--workshops 632] [--postings 2000] [--samples 30] [--keep]

Builds W workers spread over Chongqing's districts (bulk inserts, one encrypted ID token shared
by all: the pages never decrypt it), H registered helpers in the same townships, one primary
caseload per worker, open postings for the matching engine, and workshops with members and a
2024 rating. Then times, with Django's test client (server time, in-process):

1. the "my people" page of ``--samples`` helpers (first page, status 未就业), p50 and p95;
2. the same through the API (``/api/v1/network/my-people``), p50 and p95;
3. the workshop award (policies/examples/workshop_award.yaml) over every workshop for 2024 on
   DuckDB attached to the database (the engine's set-based run, entitlements not written);
4. the same award's yearly run through the service: preview, then commit (entitlements written).

``--var DIR`` puts the database in DIR (default: a new temporary folder, removed unless --keep).

Prints each figure; writes benchmarks/results/network_caseload.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 20_000


def townships() -> list[tuple[str, str]]:
    from bangfu.core import reference

    divisions = reference.divisions()
    return sorted((c[:6], c) for c in divisions if len(c) == 9)


def insert(table: str, columns: tuple[str, ...], rows) -> None:
    from django.db import connection, transaction

    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
    rows = list(rows)
    for start in range(0, len(rows), BATCH):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows[start:start + BATCH])


def build_world(args):
    from django.utils import timezone

    from bangfu.accounts.models import User
    from bangfu.core.pii import pii_encrypt
    from bangfu.employers.models import Employer
    from bangfu.jobs.models import JobPosting
    from bangfu.network.models import Caseload, Helper, Workshop, WorkshopMember, WorkshopRatingRecord
    from bangfu.registry.models import Household, Person

    now = timezone.now()
    towns = townships()
    token = pii_encrypt("500230198001011234")
    insert(Household._meta.db_table, ("id", "created_at", "updated_at", "number", "district_code", "township_code",
                                      "village", "category"),
           ((i + 1, now, now, f"B{i:09d}", towns[i % len(towns)][0], towns[i % len(towns)][1], "", "alleviated")
            for i in range(args.workers)))
    insert(Person._meta.db_table,
           ("id", "created_at", "updated_at", "household_id", "name", "id_number", "id_number_hash", "sex", "birth_date",
            "relation", "phone", "phone_hash", "district_code", "township_code", "village", "category",
            "labour_ability", "education", "health", "in_school", "skills", "certificates", "accepted_places",
            "content_hash"),
           ((i + 1, now, now, i + 1, f"工人{i}", token, f"h{i}", "M", dt.date(1970 + i % 35, 1 + i % 12, 1), "head",
             "", "", towns[i % len(towns)][0], towns[i % len(towns)][1], "", "alleviated", "ordinary", "", "",
             False, "6-29-01-01", "", "", "") for i in range(args.workers)))
    insert(Helper._meta.db_table,
           ("id", "created_at", "updated_at", "name", "role", "phone", "phone_hash", "birth_date", "district_code",
            "township_code", "covered_area_code", "village", "status", "applied_on", "registered_on"),
           ((h + 1, now, now, f"经纪人{h}", "broker", "", "", dt.date(1980, 1, 1), towns[h % len(towns)][0],
             towns[h % len(towns)][1], towns[h % len(towns)][1], "", "registered", dt.date(2023, 1, 1),
             dt.date(2023, 3, 1)) for h in range(args.helpers)))
    # worker i lives in township i % T; helpers of that township are h ≡ i (mod T)
    t = len(towns)
    per_town = max(1, args.helpers // t)
    insert(Caseload._meta.db_table,
           ("created_at", "updated_at", "helper_id", "person_id", "primary", "started_on", "district_code",
            "township_code"),
           ((now, now, (i % t) + t * ((i // t) % per_town) + 1 if args.helpers >= t else (i % args.helpers) + 1,
             i + 1, True, dt.date(2024, 1, 1), towns[i % t][0], towns[i % t][1]) for i in range(args.workers)))
    employer = Employer.objects.create(name="基准用工单位有限公司", uscc="91500230MA5U8ABCD0", place_code="500230",
                                       district_code="500230", owner_area_code="50")
    today = timezone.localdate()
    JobPosting.objects.bulk_create([
        JobPosting(employer=employer, title=f"钢筋工{j}", occupation_code="6-29-01-01",
                   work_place_code=towns[j % t][0], headcount=50, wage_min_fen=400_000, wage_max_fen=600_000,
                   valid_from=today - dt.timedelta(days=10), valid_until=today + dt.timedelta(days=60),
                   owner_area_code="50") for j in range(args.postings)], batch_size=2000)
    Workshop.objects.bulk_create([
        Workshop(code=f"BW{w:05d}", name=f"车间{w}", employer=employer, district_code=towns[w % t][0],
                 township_code=towns[w % t][1], status="running", recognised_on=dt.date(2022, 5, 1))
        for w in range(args.workshops)], batch_size=2000)
    shops = list(Workshop.objects.values_list("pk", flat=True))
    WorkshopMember.objects.bulk_create([
        WorkshopMember(workshop_id=shops[w], person_id=(w * 45 + k) % args.workers + 1, start_month="2024-01")
        for w in range(len(shops)) for k in range(5 + w % 41)], batch_size=5000)
    WorkshopRatingRecord.objects.bulk_create([
        WorkshopRatingRecord(workshop_id=s, year=2024, rating=("excellent", "good", "qualified")[i % 3])
        for i, s in enumerate(shops)], batch_size=2000)
    users = []
    for h in range(0, args.helpers, max(1, args.helpers // args.samples))[:args.samples]:
        user = User.objects.create_user(username=f"broker{h}", password="x", role="broker",
                                        area_code=towns[h % t][0])
        Helper.objects.filter(pk=h + 1).update(user=user)
        users.append(user)
    return users


def timed_requests(client, users, url: str) -> list[float]:
    out = []
    for user in users:
        client.force_login(user)
        client.get(url)  # warm the matching engine's open-jobs cache once per user
        started = time.perf_counter()
        response = client.get(url)
        out.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return out


def p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--helpers", type=int, default=26_000)
    parser.add_argument("--workers", type=int, default=1_200_000)
    parser.add_argument("--workshops", type=int, default=632)
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--var", help="an empty folder for the database (default: a new temporary one)")
    args = parser.parse_args()

    var = Path(args.var) if args.var else Path(tempfile.mkdtemp(prefix="bangfu-bench-network-"))
    var.mkdir(parents=True, exist_ok=True)
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["*"]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    from bangfu.registry.models import Division, Place
    from bangfu.registry.reference import load_reference_data

    if not Division.objects.exists():
        load_reference_data(Division, Place)
    users = build_world(args)
    print(f"prepared in {time.perf_counter() - started:.1f} s: {args.workers:,} workers, {args.helpers:,} helpers, "
          f"{args.postings:,} postings, {args.workshops:,} workshops")
    client = Client()
    page = timed_requests(client, users, "/network/my/?status=unemployed")
    api = timed_requests(client, users, "/api/v1/network/my-people?status=unemployed")
    print(f"my people page: p50 {statistics.median(page) * 1000:.0f} ms, p95 {p(page, .95) * 1000:.0f} ms "
          f"over {len(page)} helpers")
    print(f"my people API:  p50 {statistics.median(api) * 1000:.0f} ms, p95 {p(api, .95) * 1000:.0f} ms")

    from bangfu.core.engine import engine_session
    from bangfu.engine.features import POLICY_INPUT_TABLES
    from bangfu.engine.policy.evaluate import eligible_rows

    text = (ROOT / "src" / "bangfu" / "policies" / "examples" / "workshop_award.yaml").read_text(encoding="utf-8")
    started = time.perf_counter()
    with engine_session(for_write_back=True, tables=POLICY_INPUT_TABLES) as session:
        rows = session.read(eligible_rows, definition=text, period="2024")
    award_s = time.perf_counter() - started
    total = sum(rows.column("amount_fen").to_pylist()) / 100 if rows.num_rows else 0
    print(f"workshop award 2024: {rows.num_rows:,} of {args.workshops:,} workshops, {total:,.0f} yuan "
          f"in {award_s:.2f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    # the yearly run as an officer does it: the policy loaded, previewed, then committed through
    # the service (entitlements written with their facts)
    from bangfu.core.actors import SYSTEM
    from bangfu.policies.models import Policy
    from bangfu.policies.services import policy_load_examples, policy_run

    policy_load_examples(actor=SYSTEM)
    policy = Policy.objects.get(code="workshop_award")
    started = time.perf_counter()
    preview = policy_run(policy=policy, period="2024", actor=SYSTEM, area_code="50")
    preview_s = time.perf_counter() - started
    started = time.perf_counter()
    commit = policy_run(policy=policy, period="2024", actor=SYSTEM, area_code="50", commit=True)
    commit_s = time.perf_counter() - started
    print(f"workshop award run 2024: preview {preview.eligible:,} eligible, {preview.total_fen / 100:,.0f} yuan "
          f"in {preview_s:.2f} s; commit {commit.created:,} written in {commit_s:.2f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    figures = {"helpers": args.helpers, "workers": args.workers, "postings": args.postings,
               "samples": len(page), "page_p50_s": round(statistics.median(page), 4),
               "page_p95_s": round(p(page, .95), 4), "api_p50_s": round(statistics.median(api), 4),
               "api_p95_s": round(p(api, .95), 4), "workshops": args.workshops, "award_rows": rows.num_rows,
               "award_s": round(award_s, 3), "award_preview_s": round(preview_s, 3),
               "award_commit_s": round(commit_s, 3), "award_eligible": preview.eligible,
               "award_written": commit.created, "load_average": round(os.getloadavg()[0], 1)}
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "network_caseload.json").write_text(json.dumps(figures, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
