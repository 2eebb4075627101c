"""What ``national.py`` measures besides time: the memory of a process tree (from /proc) and a
Spark application's stage and executor metrics (from its REST API)."""

from __future__ import annotations

import json
import os
import threading
import time
import urllib.request

# --------------------------------------------------------------------------------------------
# Memory of a process tree (/proc)
# --------------------------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kib(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _rss_kib(p)
        todo.extend(_children(p))
    return total


class TreeMemory(threading.Thread):
    """Peak resident memory of this process and its children (the driver JVM), sampled."""

    def __init__(self, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.interval, self.peak_kib, self.stopped = interval, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(os.getpid()))

    def reset(self) -> None:
        self.peak_kib = tree_rss_kib(os.getpid())

    @property
    def peak_mib(self) -> float:
        return round(self.peak_kib / 1024, 1)


# --------------------------------------------------------------------------------------------
# Spark REST API
# --------------------------------------------------------------------------------------------
def _get(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def group_metrics(ui: str, app: str, group: str) -> dict:
    """Input, shuffle and run time summed over the stages of the jobs of ``group``."""
    jobs = [j for j in _get(f"{ui}/api/v1/applications/{app}/jobs") if j.get("jobGroup") == group]
    stage_ids = {s for j in jobs for s in j.get("stageIds", [])}
    totals = {"jobs": len(jobs), "stages": 0, "tasks": 0, "input_bytes": 0, "shuffle_write_bytes": 0,
              "shuffle_read_bytes": 0, "memory_spilled_bytes": 0, "disk_spilled_bytes": 0,
              "executor_run_ms": 0, "executor_cpu_ms": 0}
    for stage in _get(f"{ui}/api/v1/applications/{app}/stages"):
        if stage["stageId"] not in stage_ids or stage.get("status") != "COMPLETE":
            continue
        totals["stages"] += 1
        totals["tasks"] += stage.get("numCompleteTasks", 0)
        totals["input_bytes"] += stage.get("inputBytes", 0)
        totals["shuffle_write_bytes"] += stage.get("shuffleWriteBytes", 0)
        totals["shuffle_read_bytes"] += stage.get("shuffleReadBytes", 0)
        totals["memory_spilled_bytes"] += stage.get("memoryBytesSpilled", 0)
        totals["disk_spilled_bytes"] += stage.get("diskBytesSpilled", 0)
        totals["executor_run_ms"] += stage.get("executorRunTime", 0)
        totals["executor_cpu_ms"] += round(stage.get("executorCpuTime", 0) / 1e6)
    for key in ("input_bytes", "shuffle_write_bytes", "shuffle_read_bytes"):
        totals[key.replace("_bytes", "_mib")] = round(totals.pop(key) / 2**20, 1)
    return totals


def executor_memory(ui: str, app: str) -> list[dict]:
    out = []
    for e in _get(f"{ui}/api/v1/applications/{app}/allexecutors"):
        if e["id"] == "driver":
            continue
        peak = e.get("peakMemoryMetrics") or {}
        out.append({
            "id": e["id"], "max_storage_mib": round(e.get("maxMemory", 0) / 2**20, 1),
            "peak_jvm_heap_mib": round(peak.get("JVMHeapMemory", 0) / 2**20, 1),
            "peak_jvm_offheap_mib": round(peak.get("JVMOffHeapMemory", 0) / 2**20, 1),
            "peak_process_tree_rss_mib": round(peak.get("ProcessTreeJVMRSSMemory", 0) / 2**20, 1),
            "total_gc_ms": e.get("totalGCTime", 0),
        })
    return out
