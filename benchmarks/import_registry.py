"""Benchmark: import a 100,000-row registry .xlsx into a fresh SQLite database.

    .venv/bin/python benchmarks/import_registry.py [--rows 100000] [--reimport] [--profile]

Builds valid rows (ID numbers from ``registry.idnumbers.make_id_number``), writes them as
.xlsx, migrates a new SQLite database in a temporary BANGFU_VAR, runs the import as
``bangfu import registry`` does, and prints the time of each stage: read (unzip and parse
the sheet XML), parse (cells to values), check (cross-row and database checks), commit
(bulk writes in one transaction) and total. With ``--reimport`` it imports the same file
again (every row unchanged, nothing written). Target: under 30 s for 100,000 rows.
Writes benchmarks/results/import_registry.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reimport", action="store_true", help="import the same file a second time")
    parser.add_argument("--profile", action="store_true", help="cProfile the first import (top 25)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="bangfu-bench-import-"))
    os.environ["BANGFU_VAR"] = str(var)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    from bangfu.core.imports import run_import
    from bangfu.core.imports.tests.files import REGISTRY_HEADERS, registry_rows, write_xlsx
    from bangfu.registry.importers import IMPORTERS
    from bangfu.registry.models import Household, Person

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_s = time.perf_counter() - started
    started = time.perf_counter()
    path = write_xlsx(var / "registry.xlsx", [REGISTRY_HEADERS, *registry_rows(args.rows, seed=1)])
    build_s = time.perf_counter() - started
    print(f"prepared: migrate {migrate_s:.1f} s, {args.rows:,}-row xlsx ({path.stat().st_size / 2**20:.1f} MiB) "
          f"written in {build_s:.1f} s")

    importer = IMPORTERS["registry"]
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    cpu = time.process_time()
    result = run_import(importer, path, actor="benchmark", filename=path.name)
    cpu = time.process_time() - cpu
    if profiler:
        import pstats

        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
    assert result.committed and not result.errors, result.errors[:5]
    assert Person.objects.count() == args.rows
    figures = {"rows": args.rows, "households": Household.objects.count(), "cpu_s": round(cpu, 2),
               **{f"{k}_s": round(v, 2) for k, v in result.timings.items()}}
    line = "  ".join(f"{stage} {result.timings[stage]:.1f} s" for stage in ("read", "parse", "check", "commit"))
    print(f"import: {line}  total {result.timings['total']:.1f} s  "
          f"({'under' if result.timings['total'] < TARGET_SECONDS else 'OVER'} the {TARGET_SECONDS} s target); "
          f"CPU {cpu:.1f} s, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if args.reimport:
        again = run_import(importer, path, actor="benchmark", filename=path.name)
        assert again.unchanged == args.rows, again
        figures.update({f"reimport_{k}_s": round(v, 2) for k, v in again.timings.items()})
        line = "  ".join(f"{stage} {again.timings[stage]:.1f} s" for stage in ("read", "parse", "check", "commit"))
        print(f"re-import (all unchanged, nothing written): {line}  total {again.timings['total']:.1f} s")
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"peak memory {figures['peak_rss_mib']} MiB")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "import_registry.json").write_text(json.dumps(figures, indent=2))
    if not args.keep:
        import shutil

        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
