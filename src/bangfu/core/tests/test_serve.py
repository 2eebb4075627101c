"""``bangfu serve`` as an operator runs it: real processes on a free port, a temporary SQLite var."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bangfu.core.tests.test_supervisor import alive

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

FULL_ID = "11010519491231002X"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except FileNotFoundError:
        return ""


def child_running(pid: int, marker: str) -> int | None:
    return next((c for c in children_of(pid) if marker in cmdline(c) and alive(c)), None)


def get(port: int, path: str) -> int | None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def wait_for(condition, what: str, timeout: float = 90.0):
    pause = threading.Event()
    for _ in range(int(timeout / 0.2)):
        value = condition()
        if value:
            return value
        pause.wait(0.2)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.fixture
def serve_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BANGFU_", "DATABASE_URL"))}
    env.update(BANGFU_VAR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="bangfu.settings")
    subprocess.run([sys.executable, "-m", "bangfu.cli", "migrate", "-v0"], env=env, check=True, timeout=300)
    return env


def test_serve_runs_the_site_restarts_a_dead_task_worker_and_stops_every_child_on_sigterm(serve_env, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        serve = subprocess.Popen([sys.executable, "-m", "bangfu.cli", "serve", "--port", str(port),
                                  "--workers", "2"], env=serve_env, stdout=out, stderr=subprocess.STDOUT)
    try:
        assert wait_for(lambda: get(port, "/accounts/login/") == 200, "the login page")
        # A full ID typed into a search lands in the query string; the access log keeps the path only.
        assert get(port, f"/accounts/login/?q={FULL_ID}") == 200

        web = wait_for(lambda: child_running(serve.pid, "gunicorn"), "gunicorn")
        worker = wait_for(lambda: child_running(serve.pid, "task_worker"), "the task worker")
        scheduler = wait_for(lambda: child_running(serve.pid, "scheduler loop"), "the scheduler")
        gunicorn_workers = wait_for(lambda: len(children_of(web)) == 2 and children_of(web), "2 gunicorn workers")

        os.kill(worker, signal.SIGKILL)
        # the killed one may still be listed for a moment (not yet reaped): wait for another pid
        restarted = wait_for(lambda: (pid := child_running(serve.pid, "task_worker")) not in (None, worker) and pid,
                             "a new task worker")
        assert child_running(serve.pid, "gunicorn") == web  # the others were left alone
        assert child_running(serve.pid, "scheduler loop") == scheduler

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=90) == 0
    finally:
        if serve.poll() is None:
            serve.kill()
    gone = [web, restarted, scheduler, *gunicorn_workers]
    assert not [pid for pid in gone if alive(pid)]
    text = log.read_text(errors="replace")
    assert "task-worker exited" in text
    assert '"GET /accounts/login/ HTTP/1.1" 200' in text
    assert FULL_ID not in text


def test_serve_refuses_to_start_on_an_unmigrated_database(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BANGFU_", "DATABASE_URL"))}
    env.update(BANGFU_VAR=str(tmp_path / "empty"), DJANGO_SETTINGS_MODULE="bangfu.settings")
    result = subprocess.run([sys.executable, "-m", "bangfu.cli", "serve", "--port", str(free_port())],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "bangfu migrate" in result.stderr
