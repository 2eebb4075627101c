"""Benchmark: the four example policies over 1 M persons and ~12 M employment-months in SQLite.

    .venv/bin/python benchmarks/policy_run.py                     # 1,000,000 persons, default engine
    .venv/bin/python benchmarks/policy_run.py --spark             # and Spark local over the Parquet export
    .venv/bin/python benchmarks/policy_run.py --people 100000     # smaller
    .venv/bin/python benchmarks/policy_run.py --reuse             # keep the generated database

For each policy: a preview and a commit through the service (``policy_run``) on the default
engine (DuckDB attached to the SQLite file, DESIGN.md §1), writing the entitlements back with
their facts; then the same commit again (it must add nothing). Target (issue 4): under 30 s in
all, writing back included.

Baseline (OpenSPP-style): on a slice of ``--slice`` persons, evaluate the transport subsidy
person by person through the ORM (one query for the person's months, the rule in Python) and
create each entitlement with one ORM ``create``; the speed ratio compares the time per person
with the set-based preview + commit over all persons. Target: at least 100 times faster.

The facts are written straight into the Django schema with numpy and ``executemany``
(``facts/policy_facts.py``). Prints a summary and writes benchmarks/results/policy_run.json.

``--database postgresql://...`` (issue 16, item 5): the same on an empty PostgreSQL database (facts
generated in SQLite, or ``--from-sqlite``, copied in by DuckDB; the engine reads through DuckDB's
postgres scanner, the write-back COPYs) -> benchmarks/results/policy_run_postgresql.json. Times
come with this process's CPU time and the load average at start and end (a shared machine).

``--facts`` (issue 16): then builds the fact store (``bangfu facts rebuild``), runs the four
policies again reading it, and prints, side by side in the same run, the transport preview's
query (``eligible_rows``) on bangfu's database, on the fact store, and on the physical reference:
DuckDB on its own tables (the input tables copied in first; the copy timed apart). Targets:
transport preview within 2x of the reference; 4 policies preview + commit under 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from facts import say
from facts.policy_facts import generate, sqlite_source

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "policy_run.json"
TARGET_SECONDS = 30
TARGET_RATIO = 100
FACTS_TARGET_SECONDS = 10  # issue 16, with the fact store
POLICIES = ("transport_subsidy", "employer_insurance_subsidy", "workshop_award", "pension_premium_on_behalf")


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------
def run_policies() -> dict:
    from bangfu.core.actors import SYSTEM
    from bangfu.policies.models import Policy
    from bangfu.policies.services import policy_run

    out: dict = {"policies": {}}
    total = cpu_total = 0.0
    for code in POLICIES:
        policy = Policy.objects.get(code=code)
        started, cpu = time.perf_counter(), time.process_time()
        preview = policy_run(policy=policy, period="2024", actor=SYSTEM, area_code="50")
        t_preview, cpu_preview = time.perf_counter() - started, time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        commit = policy_run(policy=policy, period="2024", actor=SYSTEM, area_code="50", commit=True)
        t_commit, cpu_commit = time.perf_counter() - started, time.process_time() - cpu
        total += t_preview + t_commit
        cpu_total += cpu_preview + cpu_commit
        out["policies"][code] = {
            "eligible": preview.eligible, "total_yuan": preview.total_fen / 100, "created": commit.created,
            "seconds_preview": round(t_preview, 2), "seconds_commit": round(t_commit, 2),
            "cpu_seconds_preview": round(cpu_preview, 2), "cpu_seconds_commit": round(cpu_commit, 2),
        }
        say(f"  {code}: {preview.eligible:,} eligible, {preview.total_fen / 100:,.2f} yuan; preview {t_preview:.1f} s "
            f"(cpu {cpu_preview:.1f} s), commit {t_commit:.1f} s (cpu {cpu_commit:.1f} s; {commit.created:,} written)")
    out["seconds_all"] = round(total, 2)
    out["cpu_seconds_all"] = round(cpu_total, 2)  # this process, all threads (DuckDB's included)
    say(f"  4 policies preview+commit: {total:.2f} s wall, {cpu_total:.2f} s process CPU; "
        f"load average now {os.getloadavg()[0]:.1f}")
    policy = Policy.objects.get(code="transport_subsidy")
    started = time.perf_counter()
    again = policy_run(policy=policy, period="2024", actor=SYSTEM, area_code="50", commit=True)
    out["recommit_transport"] = {"seconds": round(time.perf_counter() - started, 2), "created": again.created,
                                 "already_existed": again.already_existed}
    say(f"  transport_subsidy committed again: {again.created} new, {again.already_existed:,} already there, "
        f"{out['recommit_transport']['seconds']} s")
    return out


def side_by_side() -> dict:
    """The transport preview's query three ways, twice each (the best counts): bangfu reading the
    database, bangfu reading the fact store, DuckDB on its own tables (the reference). With the
    process CPU seconds of each (the best), whose ratio a busy shared machine disturbs less."""
    from facts.reference import duckdb_own_tables, transport_definition, transport_query

    from bangfu.core.engine import engine_session
    from bangfu.engine import features as ft

    definition_tables = list(ft.POLICY_INPUT_TABLES)
    definition = transport_definition()
    out: dict = {}
    for label, use_facts in (("database", False), ("fact_store", True)):
        times, cpus = [], []
        for _ in range(2):
            with engine_session(tables=definition_tables, facts=use_facts) as session:
                seconds, n, cpu = transport_query(session.engine, definition)
                times.append(seconds)
                cpus.append(cpu)
                read = list(session.fact_tables)
        out[label] = {"seconds": round(min(times), 3), "runs": [round(t, 3) for t in times], "rows": n,
                      "cpu_seconds": round(min(cpus), 3), "fact_tables": read}
        say(f"  transport query, bangfu on the {label.replace('_', ' ')}: {min(times):.2f} s "
            f"({n:,} eligible; read from Parquet: {', '.join(read) or 'nothing'})")
    reference, copy = duckdb_own_tables(definition_tables)
    measured = [transport_query(reference, definition) for _ in range(2)]
    reference.close()
    times = [m[0] for m in measured]
    out["reference"] = {"seconds": round(min(times), 3), "runs": [round(t, 3) for t in times],
                        "cpu_seconds": round(min(m[2] for m in measured), 3), "seconds_copy_in": round(copy, 1)}
    out["ratio_fact_store_to_reference"] = round(out["fact_store"]["seconds"] / out["reference"]["seconds"], 2)
    out["ratio_database_to_reference"] = round(out["database"]["seconds"] / out["reference"]["seconds"], 2)
    out["cpu_ratio_fact_store_to_reference"] = round(out["fact_store"]["cpu_seconds"] / out["reference"]["cpu_seconds"], 2)
    say(f"  transport query, DuckDB on its own tables (reference): {min(times):.2f} s "
        f"(copying the tables in: {copy:.1f} s); process CPU: fact store {out['fact_store']['cpu_seconds']:.2f} s, "
        f"reference {out['reference']['cpu_seconds']:.2f} s = {out['cpu_ratio_fact_store_to_reference']}x")
    return out


def fact_store_runs() -> dict:
    """Build the store, then the four policies again reading it (entitlements cleared first)."""
    from django.core.management import call_command
    from django.db import connection

    from bangfu.policies.models import PolicyRun

    out: dict = {}
    started = time.perf_counter()
    call_command("facts", "rebuild", verbosity=0)
    out["seconds_rebuild"] = round(time.perf_counter() - started, 1)
    say(f"  bangfu facts rebuild: {out['seconds_rebuild']} s")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM policies_entitlement")
    PolicyRun.objects.all().delete()
    say("set-based runs reading the fact store:")
    out["runs"] = run_policies()
    return out


def baseline(slice_size: int) -> dict:
    """OpenSPP-style: per person, ORM reads and the rule in Python; one ORM create per entitlement."""
    import datetime as dt

    from django.db import transaction

    from bangfu.core.actors import SYSTEM
    from bangfu.monitoring.models import EmploymentMonth
    from bangfu.policies.models import Entitlement, Policy, PolicyRun
    from bangfu.policies.services import example_definitions, policy_load
    from bangfu.registry.models import Person

    definition = next(d for d in example_definitions() if d.code == "transport_subsidy")
    from dataclasses import replace

    policy, _ = policy_load(definition=replace(definition, code="transport_baseline"), actor=SYSTEM)
    Entitlement.objects.filter(policy=policy).delete()
    PolicyRun.objects.filter(policy=policy).delete()
    run = PolicyRun.objects.create(policy=policy, version=policy.current_version, period="2024", area_code="50",
                                   mode="commit", status="running")
    end = dt.date(2024, 12, 31)
    working = {"ordinary", "skilled", "weak"}
    created = 0
    started = time.perf_counter()
    with transaction.atomic():
        persons = (Person.objects.order_by("id").only("id", "birth_date", "category", "labour_ability", "district_code",
                                                       "township_code")[:slice_size])
        for p in persons.iterator(chunk_size=2000):
            places = list(EmploymentMonth.objects.filter(person_id=p.id, month__gte="2024-01", month__lte="2024-12")
                          .values_list("place_class", flat=True))
            age = end.year - p.birth_date.year - ((end.month, end.day) < (p.birth_date.month, p.birth_date.day))
            outside_county = any(x != "in_county" for x in places)
            if not (p.category in ("alleviated", "monitored") and age >= 16 and p.labour_ability in working
                    and outside_county):
                continue
            amount = 20000 if any(x in ("out_of_city", "abroad") for x in places) else 5000
            if Entitlement.objects.filter(policy=policy, period="2024", beneficiary_kind="person",
                                          beneficiary_id=p.id).exists():
                continue  # once per person per period
            Entitlement.objects.create(
                policy=policy, version=policy.current_version, run=run, period="2024", beneficiary_kind="person",
                beneficiary_id=p.id, person_id=p.id, district_code=p.district_code, township_code=p.township_code,
                amount_fen=amount, facts={},
            )
            created += 1
    seconds = time.perf_counter() - started
    say(f"  baseline (ORM per person) on {slice_size:,} persons: {created:,} entitlements in {seconds:.1f} s "
        f"({seconds / slice_size * 1000:.2f} ms per person)")
    return {"persons": slice_size, "created": created, "seconds": round(seconds, 2),
            "ms_per_person": round(seconds / slice_size * 1000, 3)}


def spark_run(results: dict, var: Path) -> dict:
    """The four policies on Spark local over the Parquet export (timed separately)."""
    import shutil

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from bangfu.engine import features as ft
    from bangfu.engine.backends import export_parquet, open_engine
    from bangfu.engine.policy import eligible
    from bangfu.policies.models import Policy

    out: dict = {}
    parquet = var / "parquet"
    shutil.rmtree(parquet, ignore_errors=True)
    started = time.perf_counter()
    from bangfu.core.engine import default_database_source

    export_parquet(ft.POLICY_INPUT_TABLES, parquet, **default_database_source())
    out["seconds_export"] = round(time.perf_counter() - started, 1)
    say(f"  Parquet export: {out['seconds_export']} s")
    started = time.perf_counter()
    spark = (SparkSession.builder.master("local[2]").appName("bangfu-policy-bench")
             .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
             .config("spark.driver.memory", "4g").config("spark.sql.session.timeZone", "UTC")
             .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    out["seconds_session"] = round(time.perf_counter() - started, 1)
    out["policies"] = {}
    total = 0.0
    with open_engine("spark", spark=spark, parquet_dir=parquet, tables=ft.POLICY_INPUT_TABLES) as eng:
        for code in POLICIES:
            definition = Policy.objects.get(code=code).current_version.to_definition()
            # The entitlements written by the DuckDB commits are in the export: ``received``
            # features are not used by the examples, so the result is comparable.
            started = time.perf_counter()
            table = eligible(eng, definition, "2024")
            row = eng.to_pyarrow(table.aggregate(n=table.count(), fen=table.amount_fen.sum())).to_pylist()[0]
            seconds = time.perf_counter() - started
            total += seconds
            same = (int(row["n"]), int(row["fen"] or 0)) == (results["policies"][code]["eligible"],
                                                             round(results["policies"][code]["total_yuan"] * 100))
            out["policies"][code] = {"eligible": int(row["n"]), "seconds": round(seconds, 2), "same_as_duckdb": same}
            say(f"  spark {code}: {int(row['n']):,} eligible in {seconds:.1f} s (same as DuckDB: {same})")
    spark.stop()
    out["seconds_all"] = round(total, 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "bangfu-bench-policy"), help="BANGFU_VAR of the benchmark database")
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12_000_000, help="employment-months to generate (about)")
    parser.add_argument("--slice", type=int, default=50_000, help="persons of the ORM baseline")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reuse", action="store_true", help="keep an existing benchmark database")
    parser.add_argument("--spark", action="store_true", help="also run the policies on Spark local")
    parser.add_argument("--facts", action="store_true", help="also build the fact store and run on it (issue 16)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the ORM baseline")
    parser.add_argument("--database", metavar="URL", help="run on this PostgreSQL database (postgresql://...; "
                        "created empty beforehand): the facts are generated in SQLite under VAR/sqlite (or taken "
                        "from --from-sqlite) and copied in")
    parser.add_argument("--from-sqlite", metavar="DIR", help="with --database: the BANGFU_VAR of an earlier "
                        "SQLite run whose generated facts to copy (same --people/--months/--seed)")
    parser.add_argument("--generate-only", action="store_true", help="generate the SQLite database and stop")
    args = parser.parse_args()

    var = Path(args.var)
    if var.exists() and not args.reuse:
        import shutil

        shutil.rmtree(var)
    var.mkdir(parents=True, exist_ok=True)
    sqlite_var = None
    if args.database:
        if not args.database.startswith(("postgres://", "postgresql://")):
            parser.error("--database takes a postgresql:// URL")
        sqlite_var = sqlite_source(Path(args.from_sqlite) if args.from_sqlite else var / "sqlite", __file__, args)
        os.environ["DATABASE_URL"] = args.database
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bangfu.core.actors import SYSTEM
    from bangfu.policies.models import Entitlement, PolicyRun
    from bangfu.policies.services import policy_load_examples
    from bangfu.registry.models import Person

    out: dict = {"cpus": os.cpu_count(), "python": platform.python_version(), "database": connection.vendor,
                 "engine": "duckdb", "target_seconds": TARGET_SECONDS, "target_ratio": TARGET_RATIO,
                 "load_average_at_start": os.getloadavg()[0]}
    say(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs); "
        f"database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        if sqlite_var is not None:
            from facts.policy_facts import copy_to_postgres

            say(f"copying the facts of {sqlite_var} into PostgreSQL …")
            out["copy_to_postgres"] = copy_to_postgres(sqlite_var / "bangfu.sqlite3", args.database)
            out["facts"] = {"persons": Person.objects.count(), "copied_from_sqlite": True}
        else:
            say(f"generating {args.people:,} persons and about {args.months:,} employment-months in {var} …")
            out["facts"] = generate(args.people, args.months, args.seed)
    else:
        out["facts"] = {"persons": Person.objects.count(), "reused": True}
    if args.generate_only:
        return 0
    policy_load_examples(actor=SYSTEM)
    with connection.cursor() as cursor:  # a fresh start: entitlements of earlier runs would be "already there"
        cursor.execute("DELETE FROM policies_entitlement")
    PolicyRun.objects.all().delete()
    if connection.vendor == "sqlite":
        out["database_mib"] = round(Path(connection.settings_dict["NAME"]).stat().st_size / 2**20, 1)
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            out["database_mib"] = round(cursor.fetchone()[0] / 2**20, 1)

    say(f"set-based runs (DuckDB attached to {'SQLite' if connection.vendor == 'sqlite' else 'PostgreSQL'}):")
    out["runs"] = run_policies()
    out["entitlements_written"] = Entitlement.objects.count()
    if args.facts:
        __import__("shutil").rmtree(var / "facts", ignore_errors=True)
        out["fact_store"] = fact_store_runs()
        say("side by side, in this run:")
        out["side_by_side"] = side_by_side()
    transport = out["runs"]["policies"]["transport_subsidy"]
    ours_ms = (transport["seconds_preview"] + transport["seconds_commit"]) / out["facts"]["persons"] * 1000
    if not args.no_baseline:
        say("OpenSPP-style baseline:")
        out["baseline"] = baseline(min(args.slice, out["facts"]["persons"]))
        out["ratio"] = round(out["baseline"]["ms_per_person"] / ours_ms, 1)
        # The baseline's evaluation alone is not separable from its writes; the set-based preview is
        # the evaluation (eligibility, amounts, summary, sample) without the write-back.
        preview_ms = transport["seconds_preview"] / out["facts"]["persons"] * 1000
        out["ratio_vs_preview_only"] = round(out["baseline"]["ms_per_person"] / preview_ms, 1)
        if args.facts:  # the same ratio with the set-based runs reading the fact store
            store = out["fact_store"]["runs"]["policies"]["transport_subsidy"]
            store_ms = (store["seconds_preview"] + store["seconds_commit"]) / out["facts"]["persons"] * 1000
            out["ratio_fact_store"] = round(out["baseline"]["ms_per_person"] / store_ms, 1)
    if args.spark:
        say("Spark local over the Parquet export:")
        out["spark"] = spark_run(out["runs"], var)
    out["peak_rss_mib"] = peak_rss_mib()
    out["load_average_at_end"] = os.getloadavg()[0]
    results = RESULTS if connection.vendor == "sqlite" else RESULTS.with_name("policy_run_postgresql.json")
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    verdict = "met" if out["runs"]["seconds_all"] < TARGET_SECONDS else "missed"
    say(f"policy_run: 4 policies preview+commit over {out['facts']['persons']:,} persons in "
        f"{out['runs']['seconds_all']} s (target {TARGET_SECONDS} s: {verdict})"
        + ("" if args.no_baseline else f"; ORM baseline {out['baseline']['ms_per_person']} ms/person vs "
           f"{ours_ms:.4f} ms/person: {out['ratio']}x (target {TARGET_RATIO}x)")
        + (f"; spark {out['spark']['seconds_all']} s" if args.spark else ""))
    if args.facts:
        side, store_runs = out["side_by_side"], out["fact_store"]["runs"]
        say(f"fact store: 4 policies preview+commit {store_runs['seconds_all']} s (database: "
            f"{out['runs']['seconds_all']} s; target {FACTS_TARGET_SECONDS} s: "
            f"{'met' if store_runs['seconds_all'] < FACTS_TARGET_SECONDS else 'missed'}); transport query "
            f"{side['fact_store']['seconds']} s vs reference {side['reference']['seconds']} s = "
            f"{side['ratio_fact_store_to_reference']}x (database {side['ratio_database_to_reference']}x; target 2x: "
            f"{'met' if side['ratio_fact_store_to_reference'] <= 2 else 'missed'}); transport preview through the "
            f"service {store_runs['policies']['transport_subsidy']['seconds_preview']} s; process CPU "
            f"{store_runs['cpu_seconds_all']} s"
            + ("" if args.no_baseline else f"; ORM baseline ratio on the fact store {out['ratio_fact_store']}x "
               f"(target {TARGET_RATIO}x: {'met' if out['ratio_fact_store'] >= TARGET_RATIO else 'missed'})"))
    say(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
