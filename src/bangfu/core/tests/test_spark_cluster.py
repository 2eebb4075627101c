"""Spark as a cluster, not a library: ``bangfu spark start --workers 2`` starts a standalone
master and two workers on loopback; the KPI fill and a policy preview run on it
(``--engine spark --spark-master spark://…``) and give the same KPI tables (digest) and the same
entitlements as DuckDB; ``bangfu spark stop`` ends the cluster's processes.

Everything runs in child processes (``bangfu`` commands on a database of their own): a Spark
session of the test process itself would be reused by ``getOrCreate`` whatever the master."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bangfu.core import spark_cluster

pytestmark = [pytest.mark.spark, pytest.mark.slow]

DIGEST = """
import hashlib, json
from bangfu.monitoring.models import KpiArea, KpiBreakdown, KpiFigure
rows = [sorted(KpiArea.objects.values_list("month", "area_code", "workers", "employment_scale", "employed_ytd",
                                            "scale_last_year", "scale_last_month", "target")),
        sorted(KpiBreakdown.objects.values_list("month", "area_code", "dimension", "key", "employment_scale")),
        sorted(KpiFigure.objects.values_list("month", "area_code", "key", "value", "denominator"))]
print(json.dumps({"digest": hashlib.sha256(repr(rows).encode()).hexdigest(), "rows": [len(r) for r in rows]}))
"""


@pytest.fixture
def bangfu(tmp_path):
    env = {**os.environ, "BANGFU_VAR": str(tmp_path / "var"), "BANGFU_SPARK_MEMORY": "1g"}
    env.pop("DATABASE_URL", None)  # a SQLite database of its own

    def run(*args: str, timeout: int = 600) -> str:
        done = subprocess.run([sys.executable, "-m", "bangfu.cli", *args], env=env, capture_output=True,
                              text=True, timeout=timeout)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
        return done.stdout

    run("migrate", "-v0")
    run("generate", "--scenario", "chongqing-2024", "--people", "800", "--load")
    run("policy", "load", "--examples")
    return run


def test_a_two_worker_cluster_gives_the_kpi_tables_and_entitlements_of_duckdb(bangfu, tmp_path):
    folder = tmp_path / "spark"
    out = bangfu("spark", "start", "--workers", "2", "--memory", "1g", "--dir", str(folder), timeout=180)
    try:
        cluster = spark_cluster.read(folder)
        assert cluster is not None and cluster.master_url in out
        assert cluster.alive_workers() == 2 and len(cluster.worker_pids) == 2

        bangfu("kpi", "fill", "--from", "2024-08", "--to", "2024-09", "--engine", "duckdb")
        on_duckdb = json.loads(bangfu("shell", "-v0", "-c", DIGEST))
        duckdb_run = json.loads(bangfu("policy", "run", "transport_subsidy", "--period", "2024", "--engine",
                                       "duckdb", "--json"))
        bangfu("kpi", "fill", "--from", "2024-08", "--to", "2024-09", "--force", "--engine", "spark",
               "--spark-master", cluster.master_url)
        on_spark = json.loads(bangfu("shell", "-v0", "-c", DIGEST))
        spark_run = json.loads(bangfu("policy", "run", "transport_subsidy", "--period", "2024", "--engine",
                                      "spark", "--spark-master", cluster.master_url, "--commit", "--json"))
    finally:
        stopped = bangfu("spark", "stop", "--dir", str(folder))
    assert on_spark == on_duckdb and min(on_duckdb["rows"]) > 0
    assert spark_run["engine"] == "spark" and duckdb_run["engine"] == "duckdb"
    for key in ("eligible", "total_yuan", "by_district"):
        assert spark_run[key] == duckdb_run[key], key
    # the cluster's commit stands on the entitlements DuckDB's preview found (the scenario granted
    # some already: they are never written twice)
    assert spark_run["mode"] == "commit" and duckdb_run["eligible"] > 0
    assert spark_run["created"] + spark_run["already_existed"] == duckdb_run["eligible"]
    assert "已停止 3 个进程" in stopped
    assert not any(spark_cluster._running(pid) for pid in [cluster.master_pid, *cluster.worker_pids])
