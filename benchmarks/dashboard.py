"""Benchmark: server time of the monitoring dashboard over the filled chongqing-2024 tables.

    .venv/bin/python benchmarks/dashboard.py [--var DIR (default: bangfu-bench-kpi in the temporary directory)] [--requests 100]

Run ``benchmarks/kpi_fill.py`` first (it leaves the filled database in ``--var``). Each page
is requested ``--requests`` times through Django's test client in this process (the server
time: URL routing, the reads of the KPI tables, template rendering; no network), after two
warm-up requests: the city dashboard, a district dashboard (丰都县), a township dashboard,
the briefing page and the KPI summary API. Prints p50/p95 per page and writes
benchmarks/results/dashboard.json. Target (issue 3): p95 under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "dashboard.json"
TARGET_P95_MS = 150
MONTH = "2024-09"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", default=str(Path(tempfile.gettempdir()) / "bangfu-bench-kpi"))
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()

    os.environ["BANGFU_VAR"] = args.var
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.test import Client

    from bangfu.accounts.models import User
    from bangfu.monitoring.models import KpiArea

    if not KpiArea.objects.filter(month=MONTH, area_code="50").exists():
        print(f"no KPI rows for {MONTH} in {args.var}: run benchmarks/kpi_fill.py first")
        return 2
    township = (KpiArea.objects.filter(month=MONTH, parent_code="500230").order_by("-employment_scale")
                .values_list("area_code", flat=True).first())
    users = {}
    for name, role, area in (("bench_city", "city_admin", "50"), ("bench_fengdu", "district_officer", "500230")):
        user, _ = User.objects.get_or_create(username=name, defaults={"role": role, "area_code": area})
        users[name] = user
    pages = [
        ("city dashboard", "bench_city", f"/monitoring/?month={MONTH}"),
        ("district dashboard", "bench_fengdu", f"/monitoring/?month={MONTH}"),
        ("township dashboard", "bench_fengdu", f"/monitoring/?month={MONTH}&area={township}"),
        ("city briefing", "bench_city", f"/monitoring/briefing/?month={MONTH}"),
        ("city summary API", "bench_city", f"/api/v1/kpi/summary?month={MONTH}"),
    ]
    out: dict = {"cpus": os.cpu_count(), "python": platform.python_version(), "requests": args.requests,
                 "month": MONTH, "target_p95_ms": TARGET_P95_MS,
                 "kpi_area_rows": KpiArea.objects.count(), "pages": {}}
    for label, who, url in pages:
        client = Client()
        client.force_login(users[who])
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
        out["pages"][label] = {"url": url, "p50_ms": round(p50, 1), "p95_ms": round(p95, 1),
                               "mean_ms": round(statistics.mean(times), 1), "max_ms": round(max(times), 1)}
        print(f"{label:20s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({url})")
    out["meets_target"] = all(p["p95_ms"] < TARGET_P95_MS for label, p in out["pages"].items()
                              if "dashboard" in label)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
