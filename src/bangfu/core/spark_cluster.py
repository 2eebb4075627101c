"""A Spark standalone cluster on this machine (``bangfu spark start --workers 2``): a master and
N workers started from PySpark's own ``spark-class`` on loopback, so the batch work (KPI fill,
policy runs, matching) runs on a cluster with ``--engine spark --spark-master spark://…`` exactly
as it would on several machines (each machine would run ``spark-class … Worker`` against the
master instead).

The cluster's processes and addresses are written to ``<dir>/cluster.json``; ``stop`` ends those
processes by their ids and nothing else. The master's web UI answers ``/json/`` with the workers
it has registered: ``start`` returns once all of them are ALIVE.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
HOST = "127.0.0.1"


class ClusterError(RuntimeError):
    """The cluster could not be started or reached; the message says why (Chinese)."""


@dataclass
class Cluster:
    master_url: str
    webui_url: str
    master_pid: int
    worker_pids: list[int] = field(default_factory=list)
    folder: str = ""

    def alive_workers(self) -> int:
        return alive_workers(self.webui_url)


def spark_class() -> Path:
    from pyspark.find_spark_home import _find_spark_home

    path = Path(_find_spark_home()) / "bin" / "spark-class"
    if not path.exists():
        raise ClusterError(f"找不到 Spark 的启动程序 {path}（请安装 pyspark）")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def alive_workers(webui_url: str) -> int:
    try:
        with urllib.request.urlopen(f"{webui_url}/json/", timeout=2) as response:
            state = json.load(response)
    except (OSError, ValueError):
        return -1
    return sum(1 for w in state.get("workers", []) if w.get("state") == "ALIVE")


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "SPARK_LOCAL_IP": HOST, "SPARK_MASTER_HOST": HOST, "SPARK_LOG_DIR": str(folder / "logs"),
        "SPARK_WORKER_DIR": str(folder / "work"), "SPARK_NO_DAEMONIZE": "1",
        # the executors run Python UDFs with this very interpreter (the project's venv)
        "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable,
    })
    return env


def _launch(args: list[str], *, log: Path, env: dict[str, str]) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as out:
        return subprocess.Popen([str(spark_class()), *args], stdout=out, stderr=subprocess.STDOUT, env=env,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def start(folder: Path, *, workers: int = 2, cores: int = 1, memory: str = "2g", port: int | None = None,
          webui_port: int | None = None, timeout: float = 90.0) -> Cluster:
    """Start a master and ``workers`` workers; return once every worker is registered."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "cluster.json").exists() and (existing := read(folder)) is not None and _running(existing.master_pid):
        raise ClusterError(f"集群已在运行：{existing.master_url}（先执行 bangfu spark stop）")
    port, webui_port = port or free_port(), webui_port or free_port()
    env = _environment(folder)
    master = _launch([MASTER_CLASS, "--host", HOST, "--port", str(port), "--webui-port", str(webui_port)],
                     log=folder / "logs" / "master.log", env=env)
    cluster = Cluster(master_url=f"spark://{HOST}:{port}", webui_url=f"http://{HOST}:{webui_port}",
                      master_pid=master.pid, folder=str(folder))
    _write(folder, cluster)
    try:
        _wait(lambda: alive_workers(cluster.webui_url) >= 0, timeout, "Spark master 未能启动", folder)
        for i in range(workers):
            worker = _launch([WORKER_CLASS, cluster.master_url, "--host", HOST, "--cores", str(cores), "--memory",
                              memory, "--work-dir", str(folder / "work" / f"worker-{i + 1}"), "--webui-port",
                              str(free_port())], log=folder / "logs" / f"worker-{i + 1}.log", env=env)
            cluster.worker_pids.append(worker.pid)
            _write(folder, cluster)
        _wait(lambda: alive_workers(cluster.webui_url) >= workers, timeout,
              f"{workers} 个 Spark worker 未能全部注册到 master", folder)
    except ClusterError:
        stop(folder)
        raise
    return cluster


def _wait(ready, timeout: float, message: str, folder: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.5)
    raise ClusterError(f"{message}（{timeout:.0f} 秒内），日志见 {folder / 'logs'}")


def _running(pid: int) -> bool:
    try:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:  # our own child that has ended: reaped
            return False
    except ChildProcessError:
        pass  # not our child (started by an earlier command)
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _write(folder: Path, cluster: Cluster) -> None:
    (folder / "cluster.json").write_text(json.dumps(asdict(cluster), indent=2))


def read(folder: Path) -> Cluster | None:
    try:
        return Cluster(**json.loads((Path(folder) / "cluster.json").read_text()))
    except (OSError, ValueError, TypeError):
        return None


def stop(folder: Path, *, timeout: float = 20.0) -> int:
    """End the cluster's own processes (workers first, then the master); return how many ended."""
    cluster = read(folder)
    if cluster is None:
        return 0
    pids = [*cluster.worker_pids, cluster.master_pid]
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGTERM)  # its own session: spark-class and the JVM it started
        except OSError:
            pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_running(p) for p in pids):
        time.sleep(0.3)
    for pid in pids:
        if _running(pid):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
    (Path(folder) / "cluster.json").unlink(missing_ok=True)
    return len(pids)
