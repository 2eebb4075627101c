"""Benchmark: generate and load 1,900,000 persons (Chongqing's scale) into a fresh SQLite file.

Target (issue 2): under 10 minutes and under 4 GiB of memory on the 2-core machine.

    .venv/bin/python benchmarks/generate.py                 # 1.9 M persons, registry step
    .venv/bin/python benchmarks/generate.py --people 200000 --out   # smaller, also write CSV files

Prints the figures and writes benchmarks/results/generate.json. The database lives in a
temporary directory (BANGFU_VAR) that is removed afterwards unless --keep.
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
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "generate.json"
TARGET_SECONDS = 600
TARGET_RSS_MIB = 4096


def peak_rss_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of its largest child (the encryption workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return round(own, 1), round(children, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_900_000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", action="store_true", help="also write the import CSV files")
    parser.add_argument("--all-steps", action="store_true",
                        help="also run the other apps' generate steps (monitoring, jobs, ...)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bangfu-bench-generate-"))
    os.environ["BANGFU_VAR"] = str(workdir / "var")
    os.environ.pop("DATABASE_URL", None)
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

    figures: dict = {"people": args.people, "seed": args.seed, "database": "sqlite",
                     "cpus": os.cpu_count(), "python": platform.python_version()}
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
        connection.close()
        db = Path(os.environ["BANGFU_VAR"]) / "bangfu.sqlite3"
        figures["database_mib"] = round(db.stat().st_size / 2**20, 1)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept {workdir}")

    figures["peak_rss_mib"], figures["peak_rss_children_mib"] = peak_rss_mib()
    figures["target_seconds"] = TARGET_SECONDS
    figures["target_rss_mib"] = TARGET_RSS_MIB
    figures["meets_target"] = (figures["seconds_total"] < TARGET_SECONDS
                               and max(figures["peak_rss_mib"], figures["peak_rss_children_mib"]) < TARGET_RSS_MIB)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(f"generate: {figures['persons_in_database']:,} persons in {figures['seconds_total']} s "
          f"(generate {figures['seconds_generate']} s, load {figures['seconds_load']} s), "
          f"peak RSS {figures['peak_rss_mib']} MiB (workers {figures['peak_rss_children_mib']} MiB), "
          f"database {figures['database_mib']} MiB -> {RESULTS}")
    return 0 if figures["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())
