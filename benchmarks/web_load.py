"""Benchmark: `bangfu serve` on loopback under a bounded HTTP load, then during a registry import.

    .venv/bin/python benchmarks/web_load.py [--requests 2000] [--import-rows 100000] [--workers N]

Prepares a temporary BANGFU_VAR with the demo data (`bangfu demo --no-serve`, 20,000 persons),
fills the KPI tables and runs the due scheduled tasks (so that the server's own scheduler finds
nothing due at start), then starts `bangfu serve` (gunicorn with its default workers, the task
worker and the scheduler). wrk (``--client wrk``, the default when it is installed:
``apt-get install wrk``) runs ``--seconds`` at 10 and then 50 connections against each of the
targets below; without it a Python load generator (threads, one keep-alive http.client
connection each; gunicorn's sync workers close it after each response) sends ``--requests``
GETs at concurrency 10 and then 50 (Python threads cost the two cores more than the server
does, so its figures are the client's as much as the server's). The targets:

- the dashboard (/monitoring/) as the city admin, with the session cookie of a real login;
- the person API list (/api/v1/registry/persons) with an API token;
- the public arrears status page (/arrears/status/), anonymous.

Then it writes a ``--import-rows`` registry .xlsx and runs `bangfu import registry` against the
same database while the three reads go on at concurrency 10 (round robin), and reports them over
the whole import and over its commit stage (the import's own timings place it). Prints req/s,
p50, p99 and errors for each, and for the steady runs the CPU time gunicorn's workers spent per
request (/proc), a figure that does not depend on what else the machine is running; writes
benchmarks/results/web_load.json.

Targets (issue 9, on 2 cores): dashboard >= 300 req/s with p99 < 100 ms; reads during the
import p99 < 500 ms; 0 errors.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "web_load.json"
PASSWORD = "Bangfu@2024"  # the demo users' documented password
TARGET_DASHBOARD_RPS, TARGET_DASHBOARD_P99_MS, TARGET_IMPORT_P99_MS = 300, 100, 500
HOST = "127.0.0.1"
# The rows of benchmarks/import_registry.py (valid, new ID numbers), written in a Django process.
WRITE_XLSX = """
import sys, django
from pathlib import Path
django.setup()
from bangfu.core.imports.tests.files import REGISTRY_HEADERS, registry_rows, write_xlsx
write_xlsx(Path(sys.argv[1]), [REGISTRY_HEADERS, *registry_rows(int(sys.argv[2]), seed=9, prefix="B")])
"""


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def bangfu(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bangfu.cli", *args], env=env, check=True,
                          capture_output=True, text=True, **kwargs)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Target:
    def __init__(self, label: str, path: str, headers: dict[str, str]):
        self.label, self.path, self.headers = label, path, headers


class Sample:
    __slots__ = ("target", "started", "ms", "ok")

    def __init__(self, target: str, started: float, ms: float, ok: bool):
        self.target, self.started, self.ms, self.ok = target, started, ms, ok


def load(port: int, targets: list[Target], *, concurrency: int, requests: int | None = None,
         until: threading.Event | None = None) -> tuple[list[Sample], float]:
    """``concurrency`` threads GET the targets in turn: ``requests`` in all, or until ``until`` is set."""
    tickets = itertools.count()  # next() on a count is atomic under the GIL
    samples: list[Sample] = []
    lock = threading.Lock()

    def more(n: int) -> bool:
        return n < requests if requests is not None else not until.is_set()

    def client():
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        mine = []
        while more(n := next(tickets)):
            target = targets[n % len(targets)]
            started = time.perf_counter()
            try:
                connection.request("GET", target.path, headers=target.headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=60)
                ok = False
            mine.append(Sample(target.label, started, (time.perf_counter() - started) * 1000, ok))
        connection.close()
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, time.perf_counter() - started


def wrk_load(port: int, target: Target, *, concurrency: int, seconds: int) -> dict:
    """The same GETs from wrk (C, epoll: it costs the cores a fraction of what Python threads
    do, so the figures are the server's): ``seconds`` at ``concurrency`` connections."""
    command = ["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in target.headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, f"http://{HOST}:{port}{target.path}"], capture_output=True, text=True,
                          check=True)
    text = done.stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M).groups()
        return round(float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 1)

    total = int(re.search(r"^\s*(\d+) requests in", text, re.M).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = (int(non_2xx.group(1)) if non_2xx else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return {"client": "wrk", "requests": total, "errors": errors,
            "req_per_s": round(float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), 1),
            "p50_ms": ms("50"), "p99_ms": ms("99"), "max_ms": None, "seconds": seconds}


def summary(samples: list[Sample], seconds: float) -> dict:
    ms = [s.ms for s in samples]
    if not ms:
        return {"requests": 0, "errors": 0, "req_per_s": None, "p50_ms": None, "p99_ms": None, "max_ms": None}
    return {"requests": len(samples), "errors": sum(not s.ok for s in samples),
            "req_per_s": round(len(samples) / seconds, 1) if seconds else None,
            "p50_ms": round(percentile(ms, 0.5), 1), "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(max(ms), 1) if ms else None}


def line(label: str, figures: dict) -> str:
    cpu = figures.get("server_cpu_ms_per_request")
    if not figures["requests"]:
        return f"{label:44s} no request in this window"
    return (f"{label:44s} {figures['req_per_s'] or 0:7.1f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
            f"p99 {figures['p99_ms']:7.1f} ms  errors {figures['errors']}  (n={figures['requests']})"
            + (f"  server CPU {cpu:.1f} ms/request" if cpu is not None else ""))


def login(port: int) -> str:
    """A real login through the form; returns the Cookie header for the session."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    response.read()
    csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    body = urlencode({"username": "admin", "password": PASSWORD, "csrfmiddlewaretoken": csrf})
    connection.request("POST", "/accounts/login/", body=body, headers={
        "Cookie": f"csrftoken={csrf}", "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://{HOST}:{port}/accounts/login/"})
    response = connection.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    assert response.status == 302 and session, f"login failed: {response.status}"
    return f"csrftoken={csrf}; sessionid={session.group(1)}"


def server_cpu_seconds(serve_pid: int) -> float:
    """CPU time used so far by gunicorn's workers: the live ones plus those it has reaped
    (recycled after max_requests), which its master's cutime/cstime hold."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for master in _gunicorn_masters(serve_pid):
        fields = Path(f"/proc/{master}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[13]) + int(fields[14])) / tick  # cutime, cstime
        for worker in _children(master):
            try:
                fields = Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    return total


def rss_mib(pid: int) -> float | None:
    """Resident memory of a worker; None when it was recycled meanwhile."""
    try:
        found = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    except FileNotFoundError:
        return None
    return int(found.group(1)) / 1024 if found else None


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _gunicorn_masters(serve_pid: int) -> list[int]:
    return [p for p in _children(serve_pid) if b"gunicorn" in Path(f"/proc/{p}/cmdline").read_bytes()]


def gunicorn_workers(serve_pid: int) -> list[int]:
    return [w for m in _gunicorn_masters(serve_pid) for w in _children(m)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per target and concurrency")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: bangfu serve's)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--client", choices=["wrk", "python"], default="wrk" if shutil.which("wrk") else "python",
                        help="load generator for the steady runs (default wrk when installed)")
    parser.add_argument("--seconds", type=int, default=15, help="length of each steady wrk run")
    args = parser.parse_args()

    var = Path(tempfile.mkdtemp(prefix="bangfu-bench-web-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BANGFU_", "DATABASE_URL"))}
    env.update(BANGFU_VAR=str(var), DJANGO_SETTINGS_MODULE="bangfu.settings",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")])))
    out: dict = {"cpus": os.cpu_count(), "python": platform.python_version(), "client": args.client,
                 "load_average_before": round(os.getloadavg()[0], 2), "requests": args.requests}
    serve = None
    try:
        started = time.perf_counter()
        bangfu(env, "demo", "--no-serve", timeout=1800)
        bangfu(env, "kpi", "fill", timeout=1800)
        bangfu(env, "scheduler", "run-due", timeout=1800)
        key = bangfu(env, "token", "create", "admin", "--name", "benchmark").stdout.strip()
        print(f"prepared the demo data, KPI tables and due tasks in {time.perf_counter() - started:.0f} s")

        port = free_port()
        command = ["serve", "--port", str(port), "--threads", str(args.threads)]
        if args.workers:
            command += ["--workers", str(args.workers)]
        log = (var / "serve.log").open("wb")
        serve = subprocess.Popen([sys.executable, "-m", "bangfu.cli", *command], env=env,
                                 stdout=log, stderr=subprocess.STDOUT)
        for _ in range(600):
            try:
                connection = http.client.HTTPConnection(HOST, port, timeout=5)
                connection.request("GET", "/accounts/login/")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise SystemExit("bangfu serve did not answer")
        workers = gunicorn_workers(serve.pid)
        out["gunicorn_workers"], out["threads"] = len(workers), args.threads
        cookie = login(port)
        targets = [
            Target("dashboard (session)", "/monitoring/", {"Cookie": cookie}),
            Target("person API list (token)", "/api/v1/registry/persons", {"Authorization": f"Token {key}"}),
            Target("public arrears status page", "/arrears/status/", {}),
        ]
        print(f"bangfu serve on {HOST}:{port}: {len(workers)} gunicorn workers × {args.threads} thread(s), "
              f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (a shared machine)")
        for target in targets:  # warm every worker: imports, templates, first queries
            samples, _ = load(port, [target], concurrency=len(workers) * 2, requests=len(workers) * 6)
            assert all(s.ok for s in samples), f"warm-up failed for {target.path}"

        out["steady"] = {}
        for concurrency in (10, 50):
            for target in targets:
                cpu = server_cpu_seconds(serve.pid)
                if args.client == "wrk":
                    figures = wrk_load(port, target, concurrency=concurrency, seconds=args.seconds)
                else:
                    samples, seconds = load(port, [target], concurrency=concurrency, requests=args.requests)
                    figures = summary(samples, seconds)
                # Server CPU per request: what the figures would be on idle cores, whatever the load.
                figures["server_cpu_ms_per_request"] = round(
                    (server_cpu_seconds(serve.pid) - cpu) * 1000 / max(figures["requests"], 1), 2)
                out["steady"][f"{target.label} c={concurrency}"] = {"path": target.path, **figures}
                print(line(f"{target.label} c={concurrency}", figures))
        out["worker_rss_mib"] = [round(mib) for pid in gunicorn_workers(serve.pid) if (mib := rss_mib(pid))]

        out["during_import"] = during_import(env, var, port, targets, args.import_rows)
        out["load_average_after"] = round(os.getloadavg()[0], 2)
        log.close()
        runs = bangfu(env, "scheduler", "list").stdout
        out["scheduler_list_after"] = runs.splitlines()
    finally:
        if serve is not None and serve.poll() is None:
            serve.send_signal(signal.SIGTERM)
            out["serve_exit_code"] = serve.wait(timeout=120)
        if not args.keep:
            shutil.rmtree(var, ignore_errors=True)
        else:
            print(f"kept {var}")

    dashboard = [v for k, v in out["steady"].items() if k.startswith("dashboard")]
    imports = [v for k, v in out["during_import"].items() if k.startswith("commit") and v["requests"]]
    out["meets_target"] = {
        "dashboard_rps": all(d["req_per_s"] >= TARGET_DASHBOARD_RPS for d in dashboard),
        "dashboard_p99": all(d["p99_ms"] < TARGET_DASHBOARD_P99_MS for d in dashboard),
        "reads_during_import_p99": bool(imports) and all(d["p99_ms"] < TARGET_IMPORT_P99_MS for d in imports),
        "no_errors": not any(v.get("errors") for group in ("steady", "during_import")
                             for k, v in out[group].items() if k != "import"),
    }
    print("targets: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in out["meets_target"].items()))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    print(f"written {RESULTS}")
    return 0


def during_import(env: dict, var: Path, port: int, targets: list[Target], rows: int) -> dict:
    """The three reads at concurrency 10 while `bangfu import registry` runs on the same database."""
    path = var / "registry-import.xlsx"
    subprocess.run([sys.executable, "-c", WRITE_XLSX, str(path), str(rows)], env=env, check=True)
    stop = threading.Event()
    result: dict = {}

    def run_import():
        started = time.perf_counter()
        # --commit-valid: a few generated ID numbers may already belong to a demo household.
        done = subprocess.run([sys.executable, "-m", "bangfu.cli", "import", "registry", str(path), "--json",
                               "--commit-valid"], env=env, capture_output=True, text=True)
        result.update(started=started, ended=time.perf_counter(), code=done.returncode,
                      report=json.loads(done.stdout.strip().splitlines()[-1]) if done.stdout.strip() else {},
                      stderr=done.stderr[-2000:])
        stop.set()

    importer = threading.Thread(target=run_import)
    importer.start()
    samples, seconds = load(port, targets, concurrency=10, until=stop)
    importer.join()
    report = result["report"]
    timings = report.get("timings", {})
    commit_start = result["ended"] - timings.get("commit", 0.0)  # the last stage before exit
    print(f"import of {rows:,} rows: exit {result['code']}, created {report.get('created')}, "
          f"timings {timings}, wall {result['ended'] - result['started']:.1f} s")
    errors = report.get("errors", [])
    figures: dict = {"import": {"rows": rows, "exit_code": result["code"], "created": report.get("created"),
                                "updated": report.get("updated"), "rejected": len(errors),
                                "first_errors": errors[:3], "timings_s": timings,
                                "wall_s": round(result["ended"] - result["started"], 1)}}
    if errors:
        print(f"rejected rows: {len(errors)}, e.g. {errors[:3]}")
    if not report.get("committed"):
        print(result["stderr"])
    for target in targets:
        mine = [s for s in samples if s.target == target.label]
        in_commit = [s for s in mine if s.started >= commit_start]
        commit_s = max(result["ended"] - commit_start, 1e-9)
        for label, chosen, span in ((f"whole import: {target.label}", mine, seconds),
                                    (f"commit stage: {target.label}", in_commit, commit_s)):
            figures[label] = summary(chosen, span)
            print(line(label, figures[label]))
    return figures


if __name__ == "__main__":
    sys.exit(main())
