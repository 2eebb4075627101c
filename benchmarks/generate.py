"""Benchmark: generate and load 1,900,000 persons (Chongqing's scale) into a fresh SQLite file.

Target (issue 16): generate + load of the scenario (registry and its 24 months of employment,
the monitoring step) under 3 minutes, under 4 GiB of memory, on the 2-core machine.

    .venv/bin/python benchmarks/generate.py                 # 1.9 M persons: registry + monitoring
    .venv/bin/python benchmarks/generate.py --registry-only # the registry step alone
    .venv/bin/python benchmarks/generate.py --people 200000 --out   # smaller, also write CSV files

Prints the figures and writes benchmarks/results/generate.json. The database lives in a
temporary directory (BANGFU_VAR) that is removed afterwards unless --keep.

``--database-url postgresql://...``: load into that PostgreSQL database instead (it must be empty;
migrated here); the figures go to benchmarks/results/generate_postgres.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "generate.json"
RESULTS_PG = Path(__file__).resolve().parent / "results" / "generate_postgres.json"
TARGET_SECONDS = 180
TARGET_RSS_MIB = 4096


def peak_rss_mib() -> float:
    """Peak resident memory of this process (getrusage)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples the resident memory of this process plus its children (the encryption worker).

    getrusage's RUSAGE_CHILDREN is no use here: a spawned worker is forked before it execs a
    fresh interpreter, so its high-water mark shows the parent's size for that instant.
    """

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak_kib, self.stopped = interval, 0, threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.stopped.wait(self.interval):
            total = _rss_kib(me)
            for entry in os.scandir("/proc"):
                if entry.name.isdigit():
                    try:
                        with open(f"/proc/{entry.name}/stat") as fh:
                            ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                    except (OSError, ValueError, IndexError):
                        continue
                    if ppid == me:
                        total += _rss_kib(int(entry.name))
            self.peak_kib = max(self.peak_kib, total)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_900_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", action="store_true", help="also write the import CSV files")
    parser.add_argument("--all-steps", action="store_true",
                        help="also run the other apps' generate steps (monitoring, jobs, ...)")
    parser.add_argument("--registry-only", action="store_true",
                        help="leave out the monitoring step (the employment months)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--results", type=Path, default=None, help=f"JSON output (default {RESULTS})")
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database instead of SQLite")
    args = parser.parse_args()
    args.results = args.results or (RESULTS_PG if args.database_url else RESULTS)

    workdir = Path(tempfile.mkdtemp(prefix="bangfu-bench-generate-"))
    os.environ["BANGFU_VAR"] = str(workdir / "var")
    os.environ.pop("DATABASE_URL", None)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bangfu.registry.generate import GenerateContext
    from bangfu.registry.generate.files import write_registry_files
    from bangfu.registry.generate.loader import registry_load_generated
    from bangfu.registry.generate.pipeline import app_steps
    from bangfu.registry.generate.population import make_households, make_persons

    figures: dict = {"people": args.people, "seed": args.seed,
                     "database": "postgresql" if args.database_url else "sqlite",
                     "cpus": os.cpu_count(), "python": platform.python_version(),
                     "load_average_at_start": [round(v, 2) for v in os.getloadavg()]}
    print(f"load average at start: {figures['load_average_at_start']}", flush=True)
    cpu_started = cpu_seconds()
    sampler = TreeMemory()
    sampler.start()
    try:
        t0 = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        figures["seconds_migrate"] = round(time.perf_counter() - t0, 1)

        started = time.perf_counter()
        ctx = GenerateContext(seed=args.seed, people=args.people, load=True,
                              out_dir=workdir / "out" if args.out else None)
        ctx.households = make_households(ctx)
        ctx.persons = make_persons(ctx, ctx.households)
        figures["seconds_generate"] = round(time.perf_counter() - started, 1)
        figures["households"] = ctx.household_count
        figures["workers"] = int(ctx.persons["is_worker"].sum())
        print(f"generated {ctx.person_count:,} persons in {ctx.household_count:,} households: "
              f"{figures['seconds_generate']} s", flush=True)
        if args.out:
            t = time.perf_counter()
            write_registry_files(ctx)
            figures["seconds_files"] = round(time.perf_counter() - t, 1)
            print(f"files: {figures['seconds_files']} s", flush=True)

        t = time.perf_counter()
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if time.perf_counter() - last[0] > 30 or done == total:
                last[0] = time.perf_counter()
                print(f"  {stage}: {done:,}/{total:,} after {time.perf_counter() - t:.0f} s", flush=True)

        ctx.progress = progress
        registry_load_generated(ctx)
        figures["seconds_load"] = round(time.perf_counter() - t, 1)
        print(f"loaded: {figures['seconds_load']} s", flush=True)
        if not args.registry_only and not args.all_steps:
            from bangfu.monitoring.generate import generate_step

            t = time.perf_counter()
            generate_step(ctx)
            figures["seconds_step_monitoring"] = round(time.perf_counter() - t, 1)
            figures["employment_months"] = ctx.counts["monitoring"]["employment_months"]
            print(f"step monitoring ({figures['employment_months']:,} employment months): "
                  f"{figures['seconds_step_monitoring']} s", flush=True)
        if args.all_steps:
            for app, step in app_steps():
                t = time.perf_counter()
                step(ctx)
                figures[f"seconds_step_{app}"] = round(time.perf_counter() - t, 1)
                print(f"step {app}: {figures[f'seconds_step_{app}']} s", flush=True)
        figures["seconds_total"] = round(time.perf_counter() - started, 1)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM registry_person")
            figures["persons_in_database"] = cursor.fetchone()[0]
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_database_size(current_database())")
                figures["database_mib"] = round(cursor.fetchone()[0] / 2**20, 1)
        figures["cpu_seconds_total"] = round(cpu_seconds() - cpu_started, 1)
        if connection.vendor == "sqlite":
            connection.close()
            db = Path(os.environ["BANGFU_VAR"]) / "bangfu.sqlite3"
            figures["database_mib"] = round(db.stat().st_size / 2**20, 1)
        connection.close()
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}")

    sampler.stopped.set()
    figures["load_average_at_end"] = [round(v, 2) for v in os.getloadavg()]
    figures["peak_rss_mib"] = peak_rss_mib()
    figures["peak_rss_with_workers_mib"] = round(sampler.peak_kib / 1024, 1)
    figures["target_seconds"] = TARGET_SECONDS
    figures["target_rss_mib"] = TARGET_RSS_MIB
    figures["meets_target"] = (figures["seconds_total"] < TARGET_SECONDS
                               and max(figures["peak_rss_mib"], figures["peak_rss_with_workers_mib"]) < TARGET_RSS_MIB)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"generate: {figures['persons_in_database']:,} persons in {figures['seconds_total']} s, "
          f"CPU {figures['cpu_seconds_total']} s (this process, its threads and finished children) "
          f"(generate {figures['seconds_generate']} s, load {figures['seconds_load']} s, "
          f"monitoring {figures.get('seconds_step_monitoring', '-')} s), "
          f"peak RSS {figures['peak_rss_mib']} MiB (with workers {figures['peak_rss_with_workers_mib']} MiB), "
          f"database {figures['database_mib']} MiB, load average {figures['load_average_at_start']} -> "
          f"{figures['load_average_at_end']} -> {args.results}")
    return 0 if figures["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
