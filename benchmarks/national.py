"""Benchmark: the KPI fill (24 months) and the transport subsidy over the nation, on a Spark
standalone cluster, at several scales of ``--scenario china-2024``.

    .venv/bin/python benchmarks/national.py --scales 0.02,0.05          # 1.98 M and 4.95 M persons
    .venv/bin/python benchmarks/national.py --scales 0.02 --duckdb      # and DuckDB in-process alongside
    .venv/bin/python benchmarks/national.py --data DIR --reuse          # keep / reuse DIR/scale-<s>/

For each scale: the national dataset is generated (``bangfu.registry.generate.nation``, in a
child process so its memory is its own; reused when ``DIR/scale-<s>/manifest.json`` exists),
then a fresh Spark application on the cluster (``bangfu.core.spark_cluster``: a master and
``--workers`` workers of one core and ``--worker-memory`` each, on loopback) runs

1. ``compute_kpis`` over the 24 months 2023-01..2024-12 (``cache=True``: the employment window
   and the persons are cached on the executors), and
2. the transport subsidy of 2024 (``engine.policy.eligible``, aggregated to count and sum).

Printed and written to benchmarks/results/national.json: wall time of each, the driver's peak
resident memory (this Python process and its JVM, sampled from /proc), the executors' peak JVM
heap and process-tree RSS (Spark REST ``/api/v1/applications/<id>/executors``,
``peakMemoryMetrics``), and per job group the input bytes, shuffle write/read bytes and executor
run time summed over its stages (REST ``/jobs`` and ``/stages``); then the scaling between
successive scales (time ratio against data ratio).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results" / "national.json"
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]

from facts.cluster_metrics import TreeMemory, _get, executor_memory, group_metrics  # noqa: E402


def say(message: str) -> None:
    print(message, flush=True)


# --------------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------------
def dataset(data: Path, scale: float, seed: int, chunk: int, reuse: bool) -> tuple[Path, dict]:
    folder = data / f"scale-{scale:g}"
    manifest = folder / "manifest.json"
    if reuse and manifest.exists():
        info = json.loads(manifest.read_text())
        info.pop("out_dir", None)
        info["reused"] = True
        say(f"  reusing {info['persons']:,} persons, {info['employment_months']:,} employment months")
        return folder, info
    shutil.rmtree(folder, ignore_errors=True)
    say(f"  generating scale {scale:g} ({round(98_990_000 * scale):,} persons) …")
    code = ("import sys, json; from bangfu.registry.generate.nation import generate_nation; "
            "r = generate_nation(sys.argv[1], scale=float(sys.argv[2]), seed=int(sys.argv[3]), "
            "chunk_persons=int(sys.argv[4])); print(json.dumps(r.as_dict()))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, str(folder), repr(scale), str(seed), str(chunk)],
                          capture_output=True, text=True, env=env, check=True)
    info = json.loads(done.stdout.strip().splitlines()[-1])
    info.pop("out_dir", None)
    info["wall_seconds"] = round(time.perf_counter() - started, 1)
    info["reused"] = False
    info["parquet_mib"] = round(sum(p.stat().st_size for p in folder.rglob("*.parquet") if p.is_file()) / 2**20, 1)
    say(f"  generated {info['persons']:,} persons, {info['employment_months']:,} employment months in "
        f"{info['seconds']} s, peak RSS {info['peak_rss_mib']} MiB, {info['parquet_mib']} MiB of Parquet")
    return folder, info


# --------------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------------
def spark_session(master: str, *, executor_memory_: str, driver_memory: str, partitions: int, scale: float):
    from pyspark.sql import SparkSession

    from bangfu.core.spark_cluster import free_port

    return (SparkSession.builder.master(master).appName(f"bangfu-national-{scale:g}")
            .config("spark.ui.enabled", "true").config("spark.ui.port", str(free_port()))
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(partitions))
            .config("spark.driver.memory", driver_memory).config("spark.executor.memory", executor_memory_)
            .config("spark.executor.processTreeMetrics.enabled", "true")
            .config("spark.executor.metrics.pollingInterval", "500ms")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate())


def transport_definition():
    from importlib import resources

    from bangfu.engine.policy.definition import from_yaml

    return from_yaml(resources.files("bangfu.policies").joinpath("examples/transport_subsidy.yaml").read_text())


def kpi_summary(result) -> dict:
    top = [r for r in result.area_rows("2024-12") if r["area_level"] == "city"]
    return {"months": len(result.months), "area_rows": sum(len(result.area_rows(m)) for m in result.months),
            "breakdown_rows": len(result.breakdown_table) if result.breakdown_table is not None else 0,
            "top_scale_2024_12": top[0]["employment_scale"] if top else None,
            "top_workers_2024_12": top[0]["workers"] if top else None}


class Queries:
    """``execute`` for compute_kpis: runs each query, noting its time and the size of its result."""

    def __init__(self, ui: str = "", app: str = "") -> None:
        self.calls: list[dict] = []
        self.ui, self.app = ui, app
        self.cached_peak = {"memory_mib": 0.0, "disk_mib": 0.0}

    def __call__(self, expr):
        started = time.perf_counter()
        table = expr.to_pyarrow()
        self.calls.append({"seconds": round(time.perf_counter() - started, 2), "rows": table.num_rows,
                           "mib": round(table.nbytes / 2**20, 2)})
        if self.ui:  # what the cached employment window and persons take on the executors
            try:
                rdds = _get(f"{self.ui}/api/v1/applications/{self.app}/storage/rdd")
            except OSError:
                rdds = []
            memory = sum(r.get("memoryUsed", 0) for r in rdds) / 2**20
            disk = sum(r.get("diskUsed", 0) for r in rdds) / 2**20
            if memory + disk > sum(self.cached_peak.values()):
                self.cached_peak = {"memory_mib": round(memory, 1), "disk_mib": round(disk, 1)}
        return table

    def summary(self, total: float) -> dict:
        engine = sum(c["seconds"] for c in self.calls)
        return {"queries": self.calls, "seconds_in_engine": round(engine, 1), "cached": self.cached_peak,
                "seconds_on_driver": round(total - engine, 1),
                "result_rows": sum(c["rows"] for c in self.calls),
                "result_mib": round(sum(c["mib"] for c in self.calls), 1)}


def run_spark(folder: Path, master: str, scale: float, args, memory: TreeMemory) -> dict:
    from bangfu.engine.backends import open_engine
    from bangfu.engine.kpi import KpiInputs, compute_kpis
    from bangfu.engine.policy.evaluate import eligible
    from bangfu.engine.schema import EMPLOYMENT, KPI_INPUT_TABLES, PERSON

    memory.reset()
    started = time.perf_counter()
    spark = spark_session(master, executor_memory_=args.executor_memory, driver_memory=args.driver_memory,
                          partitions=args.partitions, scale=scale)
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    ui, app = sc.uiWebUrl, sc.applicationId
    out: dict = {"app": app, "seconds_session": round(time.perf_counter() - started, 1)}
    try:
        tables = tuple(dict.fromkeys((*KPI_INPUT_TABLES, PERSON, EMPLOYMENT)))
        with open_engine("spark", spark=spark, parquet_dir=folder, tables=tables) as engine:
            sc.setJobGroup("kpi", "KPI fill, 24 months")
            queries = Queries(ui, app)
            started = time.perf_counter()
            result = compute_kpis(KpiInputs.from_engine(engine), MONTHS, cache=True, execute=queries)
            seconds = time.perf_counter() - started
            out["kpi"] = {"seconds": round(seconds, 1), **kpi_summary(result), **queries.summary(seconds)}
            out["kpi"]["driver_tree_peak_rss_mib"] = memory.peak_mib
            say(f"    KPI fill: {out['kpi']['seconds']} s ({out['kpi']['seconds_in_engine']} s in Spark queries, "
                f"{out['kpi']['seconds_on_driver']} s rolling up on the driver over {out['kpi']['result_rows']:,} "
                f"result rows; cached on the executors {out['kpi']['cached']}), {out['kpi']['area_rows']:,} area rows, "
                f"{out['kpi']['breakdown_rows']:,} breakdown rows; 2024-12 scale {out['kpi']['top_scale_2024_12']:,}")
            sc.setJobGroup("transport", "transport subsidy 2024")
            started = time.perf_counter()
            t = eligible(engine, transport_definition(), "2024")
            row = engine.to_pyarrow(t.aggregate(n=t.count(), fen=t.amount_fen.sum())).to_pylist()[0]
            out["transport"] = {"seconds": round(time.perf_counter() - started, 1), "eligible": int(row["n"]),
                                "total_yuan": int(row["fen"] or 0) / 100}
            say(f"    transport subsidy: {out['transport']['seconds']} s, {out['transport']['eligible']:,} eligible, "
                f"{out['transport']['total_yuan']:,.0f} yuan")
        time.sleep(2)  # the executors' last metrics heartbeat
        for group in ("kpi", "transport"):
            out[group]["spark"] = group_metrics(ui, app, group)
            m = out[group]["spark"]
            say(f"    {group}: input {m['input_mib']} MiB, shuffle write {m['shuffle_write_mib']} MiB / read "
                f"{m['shuffle_read_mib']} MiB, {m['stages']} stages, {m['tasks']} tasks, executor time "
                f"{m['executor_run_ms'] / 1000:.0f} s")
        out["executors"] = executor_memory(ui, app)
        for e in out["executors"]:
            say(f"    executor {e['id']}: peak heap {e['peak_jvm_heap_mib']} MiB, process tree RSS "
                f"{e['peak_process_tree_rss_mib']} MiB")
    finally:
        spark.stop()
    out["driver_tree_peak_rss_mib"] = memory.peak_mib
    say(f"    driver (Python + JVM) peak RSS {out['driver_tree_peak_rss_mib']} MiB")
    return out


def run_duckdb(folder: Path, threads: int) -> dict:
    from bangfu.engine.backends import open_engine
    from bangfu.engine.kpi import KpiInputs, compute_kpis
    from bangfu.engine.policy.evaluate import eligible
    from bangfu.engine.schema import EMPLOYMENT, KPI_INPUT_TABLES, PERSON

    out: dict = {"threads": threads}
    with open_engine("duckdb", parquet_dir=folder, tables=KPI_INPUT_TABLES, threads=threads) as engine:
        queries = Queries()
        started = time.perf_counter()
        result = compute_kpis(KpiInputs.from_engine(engine), MONTHS, cache=True, execute=queries)
        seconds = time.perf_counter() - started
        out["kpi"] = {"seconds": round(seconds, 1), **kpi_summary(result), **queries.summary(seconds)}
    with open_engine("duckdb", parquet_dir=folder, tables=(PERSON, EMPLOYMENT), threads=threads) as engine:
        started = time.perf_counter()
        t = eligible(engine, transport_definition(), "2024")
        row = engine.to_pyarrow(t.aggregate(n=t.count(), fen=t.amount_fen.sum())).to_pylist()[0]
        out["transport"] = {"seconds": round(time.perf_counter() - started, 1), "eligible": int(row["n"])}
    say(f"    DuckDB ({threads} threads): KPI fill {out['kpi']['seconds']} s, transport {out['transport']['seconds']} s")
    return out


def scaling(runs: list[dict]) -> list[dict]:
    out = []
    for a, b in zip(runs, runs[1:]):
        data = b["data"]["employment_months"] / a["data"]["employment_months"]
        row = {"from": a["scale"], "to": b["scale"], "data_ratio": round(data, 2)}
        for phase in ("kpi", "transport"):
            t = b["spark"][phase]["seconds"] / a["spark"][phase]["seconds"]
            row[f"{phase}_time_ratio"] = round(t, 2)
            sa, sb = a["spark"][phase]["spark"], b["spark"][phase]["spark"]
            if sa["shuffle_write_mib"]:
                row[f"{phase}_shuffle_ratio"] = round(sb["shuffle_write_mib"] / sa["shuffle_write_mib"], 2)
        out.append(row)
        say(f"  {a['scale']:g} -> {b['scale']:g}: data x{row['data_ratio']}, KPI time x{row['kpi_time_ratio']}, "
            f"transport time x{row['transport_time_ratio']}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0.02,0.05", help="comma-separated parts of the nation (1 = 98.99 M persons)")
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "bangfu-bench-national"))
    parser.add_argument("--reuse", action="store_true", help="reuse a dataset already generated in --data")
    parser.add_argument("--keep", action="store_true", help="keep the generated datasets")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--chunk", type=int, default=1_000_000, help="persons per generated chunk")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-memory", default="2g")
    parser.add_argument("--executor-memory", default="1536m")
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    parser.add_argument("--append", action="store_true",
                        help="add these scales to the runs already in benchmarks/results/national.json")
    parser.add_argument("--duckdb", action="store_true", help="also run both on DuckDB in-process")
    parser.add_argument("--duckdb-only", action="store_true",
                        help="run DuckDB alone (no cluster); added to the runs as 'duckdb' of their scale")
    parser.add_argument("--duckdb-threads", type=int, default=2)
    args = parser.parse_args()

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    import warnings

    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    from bangfu.core import spark_cluster

    scales = [float(s) for s in args.scales.split(",") if s]
    data = Path(args.data)
    data.mkdir(parents=True, exist_ok=True)
    out: dict = {
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "load_average_at_start": os.getloadavg()[0],
        "cluster": {"workers": args.workers, "cores_per_worker": 1, "worker_memory": args.worker_memory,
                    "executor_memory": args.executor_memory, "driver_memory": args.driver_memory,
                    "shuffle_partitions": args.partitions},
        "months": [MONTHS[0], MONTHS[-1]], "runs": [],
    }
    if args.append and RESULTS.exists():
        earlier = json.loads(RESULTS.read_text())
        # a Spark run replaces the run of its scale; a DuckDB-only run adds to it
        out["runs"] = [r for r in earlier.get("runs", []) if args.duckdb_only or r["scale"] not in scales]
        out["earlier_load_average_at_start"] = earlier.get("load_average_at_start")
    memory = TreeMemory()
    memory.start()
    if args.duckdb_only:
        by_scale = {r["scale"]: r for r in out["runs"]}
        for scale in scales:
            say(f"scale {scale:g}:")
            folder, info = dataset(data, scale, args.seed, args.chunk, args.reuse)
            memory.reset()
            run = by_scale.setdefault(scale, {"scale": scale, "data": info})
            run["duckdb"] = run_duckdb(folder, args.duckdb_threads)
            run["duckdb"]["process_tree_peak_rss_mib"] = memory.peak_mib
            say(f"    DuckDB process peak RSS {memory.peak_mib} MiB")
        runs = sorted(by_scale.values(), key=lambda r: r["scale"])
        if args.append and RESULTS.exists():
            out = json.loads(RESULTS.read_text())
        out["runs"] = runs
        RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2))
        say(f"wrote {RESULTS.relative_to(ROOT)}")
        return 0
    cluster_dir = Path(tempfile.mkdtemp(prefix="bangfu-national-cluster-"))
    say(f"starting a Spark standalone cluster: {args.workers} workers × 1 core × {args.worker_memory} …")
    started = time.perf_counter()
    cluster = spark_cluster.start(cluster_dir, workers=args.workers, cores=1, memory=args.worker_memory)
    out["cluster"]["seconds_start"] = round(time.perf_counter() - started, 1)
    try:
        for scale in scales:
            say(f"scale {scale:g}:")
            folder, info = dataset(data, scale, args.seed, args.chunk, args.reuse)
            run = {"scale": scale, "data": info}
            run["spark"] = run_spark(folder, cluster.master_url, scale, args, memory)
            if args.duckdb:
                run["duckdb"] = run_duckdb(folder, args.duckdb_threads)
            out["runs"].append(run)
            out["load_average_at_end"] = os.getloadavg()[0]
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2))  # what is done so far
            if not args.keep and not args.reuse:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        spark_cluster.stop(cluster_dir)
        shutil.rmtree(cluster_dir, ignore_errors=True)
    say("scaling:")
    out["runs"].sort(key=lambda r: r["scale"])
    out["scaling"] = scaling(out["runs"])
    out["load_average_at_end"] = os.getloadavg()[0]
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2))
    say(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
