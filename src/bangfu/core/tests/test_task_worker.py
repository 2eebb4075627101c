"""``bangfu task_worker`` waits out a write that holds SQLite longer than the busy timeout.

django-tasks' ``db_worker`` exits when the ``BEGIN`` of its claim times out (a city-wide push
held the lock for 14 s in the demo and the worker died). Real processes: the worker runs (its
busy timeout set to 0.5 s so that every poll meets the lock), a writer then holds
``BEGIN IMMEDIATE`` for 4 s; the worker must still be running afterwards and run a task queued
after the writer commits.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

HOLD_SECONDS = 4.0
BUSY_TIMEOUT_MS = 500
WRITER = r"""
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
con.execute("BEGIN IMMEDIATE")
con.execute("CREATE TABLE held (x)")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("COMMIT")
"""
ENQUEUE = "from bangfu.arrears.tasks import escalate_overdue_task; print(escalate_overdue_task.enqueue().id)"


@pytest.fixture
def worker_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BANGFU_", "DATABASE_URL"))}
    env.update(BANGFU_VAR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="bangfu.settings",
               BANGFU_TASKS_BACKEND="django_tasks_db.DatabaseBackend")
    subprocess.run([sys.executable, "-m", "bangfu.cli", "migrate", "-v0"], env=env, check=True, timeout=300)
    return env


def _statuses(database) -> list[str]:
    with sqlite3.connect(database) as con:
        return [s for (s,) in con.execute("SELECT status FROM django_tasks_database_dbtaskresult")]


def _polling(database, deadline: float) -> None:
    """Wait until the worker has polled the queue once (its connection has opened the WAL)."""
    while time.monotonic() < deadline:
        if (database.parent / (database.name + "-shm")).exists():
            return
        time.sleep(0.2)
    raise AssertionError("the worker never started polling")


@pytest.mark.parametrize("command", ["task_worker"])
def test_the_task_worker_outlasts_a_write_longer_than_its_busy_timeout(worker_env, tmp_path, command):
    database = tmp_path / "var" / "bangfu.sqlite3"
    env = {**worker_env, "BANGFU_SQLITE_BUSY_TIMEOUT_MS": str(BUSY_TIMEOUT_MS)}
    worker = subprocess.Popen([sys.executable, "-m", "bangfu.cli", command, "--interval", "0.2",
                               "--no-startup-delay", "--no-reload"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _polling(database, time.monotonic() + 120)
        time.sleep(1.0)  # a few polls of an empty queue
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(database), str(HOLD_SECONDS)],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "locked"
        assert writer.wait(timeout=60) == 0
        assert worker.poll() is None, f"the worker exited under the lock:\n{worker.stdout.read()[-2000:]}"
        task_id = subprocess.run([sys.executable, "-m", "bangfu.cli", "shell", "-c", ENQUEUE], env=worker_env,
                                 check=True, capture_output=True, text=True, timeout=120).stdout.strip()
        deadline = time.monotonic() + 60
        while _statuses(database) != ["SUCCESSFUL"] and time.monotonic() < deadline:
            time.sleep(0.3)
        assert task_id and _statuses(database) == ["SUCCESSFUL"]
        assert worker.poll() is None
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
