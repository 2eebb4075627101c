"""Benchmark: the resumable KPI fill of 24 months over the chongqing-2024 scenario (SQLite).

    .venv/bin/python benchmarks/kpi_fill.py                       # 1.9 M persons, default engine
    .venv/bin/python benchmarks/kpi_fill.py --spark               # and on Spark (local mode)
    .venv/bin/python benchmarks/kpi_fill.py --people 200000       # smaller

The database lives in ``--var`` (default: bangfu-bench-kpi in the system's temporary directory) and is kept, so that
``benchmarks/dashboard.py`` can read the filled tables; with ``--reuse`` an existing
database is filled again without regenerating. Generation runs only the registry and
monitoring steps of ``bangfu generate``. The fill is forced (every month recomputed and
rewritten). Target (issue 3): 24 months in under 5 minutes on the default engine.
Prints the figures of September 2024 as the KPI engine computed them and writes
benchmarks/results/kpi_fill.json.

``--facts`` (issue 16): then builds the fact store (``bangfu facts rebuild``), fills again
reading it (the tables must have the same digest), and prints side by side in the same run the
physical reference: the same KPI computation on DuckDB over its own tables (the input tables
copied in first; the copy timed apart). Target: 24 months filled in under 15 s.

``--database-url postgresql://...`` (issue 16, item 5): the same on PostgreSQL (an empty database,
or one filled before with ``--reuse``): DuckDB reads it through its postgres scanner, then the
fact store. The figures go to benchmarks/results/kpi_fill_postgres.json.
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

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "kpi_fill.json"
RESULTS_PG = ROOT / "benchmarks" / "results" / "kpi_fill_postgres.json"
TARGET_SECONDS = 300
FACTS_TARGET_SECONDS = 15  # issue 16, with the fact store


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def tables_digest() -> str:
    """SHA-256 over every KPI row in a fixed order: equal digests, identical tables."""
    import hashlib

    from bangfu.engine.schema import KPI_AREA_COLUMNS, KPI_BREAKDOWN_COLUMNS
    from bangfu.monitoring.models import KpiArea, KpiBreakdown

    digest = hashlib.sha256()
    for model, columns, order in ((KpiArea, KPI_AREA_COLUMNS, ("month", "area_code")),
                                  (KpiBreakdown, KPI_BREAKDOWN_COLUMNS, ("month", "area_code", "dimension", "key"))):
        for row in model.objects.order_by(*order).values_list(*columns).iterator(chunk_size=20_000):
            digest.update(repr(row).encode())
    return digest.hexdigest()


def figures_digest() -> str:
    """SHA-256 over every programme figure row (monitoring.KpiFigure) in a fixed order."""
    import hashlib

    from bangfu.monitoring.models import KpiFigure
    from bangfu.monitoring.services.figures import FIGURE_COLUMNS

    digest = hashlib.sha256()
    rows = KpiFigure.objects.order_by("month", "area_code", "key").values_list(*FIGURE_COLUMNS)
    for row in rows.iterator(chunk_size=20_000):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def cpu_seconds() -> float:
    """CPU time of this process (every thread: DuckDB's too) and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def fill(engine: str, label: str, out: dict) -> None:
    from bangfu.core.actors import SYSTEM
    from bangfu.monitoring.services import kpi_fill

    load = round(os.getloadavg()[0], 2)
    started, cpu = time.perf_counter(), cpu_seconds()
    report = kpi_fill(actor=SYSTEM, force=True, engine=engine)
    seconds = round(time.perf_counter() - started, 1)
    cpu = round(cpu_seconds() - cpu, 1)
    out[label] = {"seconds": seconds, "cpu_seconds": cpu, "load_average": load,
                  "compute_seconds": round(report.compute_seconds, 1),
                  "write_seconds": round(report.write_seconds, 1), "months": len(report.months),
                  "area_rows": report.area_rows, "breakdown_rows": report.breakdown_rows,
                  "tables_sha256": tables_digest(), "figure_rows": report.figure_rows,
                  "figures_sha256": figures_digest()}
    print(f"{label}: {len(report.months)} months in {seconds} s, CPU {cpu} s, load {load} "
          f"(compute {report.compute_seconds:.1f} s, "
          f"write {report.write_seconds:.1f} s), {report.area_rows:,} area rows, "
          f"{report.breakdown_rows:,} breakdown rows, {report.figure_rows:,} figure rows; digests: tables "
          f"{out[label]['tables_sha256'][:16]}, figures {out[label]['figures_sha256'][:16]}", flush=True)


def reference(months: list[str]) -> dict:
    """The fill's computation (KPI tables and the programmes' figures) on DuckDB over its own
    tables: the physical reference, after copying the input tables in."""
    from facts.reference import duckdb_own_tables

    from bangfu.engine.kpi import KpiInputs, compute_kpis
    from bangfu.engine.schema import KPI_INPUT_TABLES
    from bangfu.monitoring.services.figures import figure_tables, figures_compute

    tables = sorted(set(KPI_INPUT_TABLES) | set(figure_tables()))
    eng, copy = duckdb_own_tables(tables)
    started, cpu = time.perf_counter(), cpu_seconds()
    compute_kpis(KpiInputs.from_engine(eng), months, execute=eng.to_pyarrow, cache=True)
    figures_compute(eng, months, execute=eng.to_pyarrow)
    seconds, cpu = time.perf_counter() - started, cpu_seconds() - cpu
    eng.close()
    print(f"reference, DuckDB on its own tables: compute {seconds:.1f} s, CPU {cpu:.1f} s "
          f"(copying the tables in: {copy:.1f} s)", flush=True)
    return {"compute_seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "seconds_copy_in": round(copy, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "bangfu-bench-kpi"), help="BANGFU_VAR of the benchmark database")
    parser.add_argument("--people", type=int, default=None, help="default: the scenario's 1.9 million")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--reuse", action="store_true", help="fill the existing database, do not generate")
    parser.add_argument("--spark", action="store_true", help="also fill on Spark (local[2])")
    parser.add_argument("--skip-duckdb", action="store_true", help="only Spark (with --spark)")
    parser.add_argument("--facts", action="store_true", help="also fill reading the fact store (issue 16)")
    parser.add_argument("--expect-sha256", default=None,
                        help="with --skip-duckdb: the KPI tables' digest of an earlier fill on the database")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL database instead of SQLite (postgresql://...)")
    args = parser.parse_args()

    var = Path(args.var)
    var.mkdir(parents=True, exist_ok=True)
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bangfu.engine.kpi import ratios
    from bangfu.monitoring import generate as monitoring_generate
    from bangfu.monitoring.models import KpiArea
    from bangfu.monitoring.services.fill import data_month_range, month_range
    from bangfu.registry.generate import SCENARIOS, GenerateContext
    from bangfu.registry.generate.pipeline import registry_step
    from bangfu.registry.models import Person

    out: dict = {"cpus": os.cpu_count(), "python": platform.python_version(),
                 "database": "postgresql" if args.database_url else "sqlite",
                 "scenario": "chongqing-2024", "target_seconds": TARGET_SECONDS,
                 "load_average_at_start": [round(v, 2) for v in os.getloadavg()]}
    print(f"load average at start: {out['load_average_at_start']}", flush=True)
    call_command("migrate", verbosity=0)
    if not args.reuse or not Person.objects.exists():
        if Person.objects.exists():
            print(f"{var} already holds a registry: use --reuse, or remove the directory")
            return 2
        preset = SCENARIOS["chongqing-2024"]
        people = args.people or preset["people"]
        ctx = GenerateContext(seed=args.seed, people=people, load=True, scenario="chongqing-2024",
                              as_of=preset["as_of"], say=print)
        started, cpu = time.perf_counter(), cpu_seconds()
        registry_step(ctx)
        out["seconds_generate_registry"] = round(time.perf_counter() - started, 1)
        started, cpu_registry = time.perf_counter(), cpu_seconds() - cpu
        monitoring_generate.generate_step(ctx)
        out["seconds_generate_monitoring"] = round(time.perf_counter() - started, 1)
        out["cpu_seconds_generate"] = round(cpu_seconds() - cpu, 1)
        print(f"generated: registry {out['seconds_generate_registry']} s (CPU {cpu_registry:.1f} s), "
              f"monitoring {out['seconds_generate_monitoring']} s (CPU of both {out['cpu_seconds_generate']} s)")
        del ctx
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM registry_person")
        out["persons"] = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM monitoring_employmentmonth")
        out["employment_months"] = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            out["database_mib"] = round(cursor.fetchone()[0] / 2**20, 1)
    if connection.vendor == "sqlite":
        out["database_mib"] = round((var / "bangfu.sqlite3").stat().st_size / 2**20, 1)
    print(f"database: {out['persons']:,} persons, {out['employment_months']:,} employment months, "
          f"{out['database_mib']:,} MiB")

    engines = ([] if args.skip_duckdb else ["duckdb"]) + (["spark"] if args.spark else [])
    for engine in engines:
        fill(engine, engine, out)
    if args.facts:
        import shutil

        from bangfu.core import facts

        shutil.rmtree(facts.store_dir(), ignore_errors=True)
        started, cpu = time.perf_counter(), cpu_seconds()
        call_command("facts", "rebuild", verbosity=0)
        out["seconds_facts_rebuild"] = round(time.perf_counter() - started, 1)
        out["cpu_seconds_facts_rebuild"] = round(cpu_seconds() - cpu, 1)
        print(f"bangfu facts rebuild: {out['seconds_facts_rebuild']} s, CPU {out['cpu_seconds_facts_rebuild']} s",
              flush=True)
        fill("duckdb", "duckdb_fact_store", out)
        out["reference"] = reference(month_range(*data_month_range()))
        same = out["duckdb_fact_store"]["tables_sha256"] == (out.get("duckdb", {}).get("tables_sha256")
                                                              or args.expect_sha256)
        out["fact_store_identical_tables"] = same
        store = out["duckdb_fact_store"]
        print(f"fact store: fill {store['seconds']} s (compute {store['compute_seconds']} s, write "
              f"{store['write_seconds']} s; database: {out.get('duckdb', {}).get('seconds')} s) vs reference compute "
              f"{out['reference']['compute_seconds']} s on DuckDB's own tables; target {FACTS_TARGET_SECONDS} s: "
              f"{'met' if store['seconds'] < FACTS_TARGET_SECONDS else 'missed'}; identical tables: {same}", flush=True)

    if len(engines) > 1:
        digests = {out[e]["tables_sha256"] for e in engines}
        out["identical_tables"] = len(digests) == 1
        print(f"identical KPI tables on {', '.join(engines)}: {out['identical_tables']}")
    city = KpiArea.objects.filter(month="2024-09", area_code="50").first()
    if city is not None:
        r = ratios({f: getattr(city, f) for f in ("employment_scale", "target", "scale_last_year",
                                                     "wage_income_fen", "total_income_fen", "workers")})
        out["september_2024"] = {
            "employment_scale": city.employment_scale, "workers": city.workers,
            "employed_ytd": city.employed_ytd, "target": city.target,
            "target_completion": r["target_completion"], "scale_september_2023": city.scale_last_year,
            "yoy": r["yoy"], "wage_income_share": r["wage_income_share"], "income_year": city.income_year,
        }
        print("September 2024 (from the KPI tables): " + json.dumps(out["september_2024"], ensure_ascii=False))
    out["peak_rss_mib"] = peak_rss_mib()
    if "duckdb" in out:
        out["meets_target"] = out["duckdb"]["seconds"] < TARGET_SECONDS
    results = RESULTS_PG if args.database_url else RESULTS
    results.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(results.read_text()) if results.exists() else {}
    previous.update(out)
    results.write_text(json.dumps(previous, ensure_ascii=False, indent=2) + "\n")
    print(f"written {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
