"""The supervisor of ``bangfu serve`` with small real child processes (no Django in the children)."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from bangfu.core.supervisor import ChildSpec, Supervisor

SLEEPER = [sys.executable, "-c", "import time\nwhile True: time.sleep(0.1)"]
# Ignores SIGTERM, then says so by creating the file named by its argument.
STUBBORN = [sys.executable, "-c", "import pathlib, signal, sys, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "pathlib.Path(sys.argv[1]).touch()\nwhile True: time.sleep(0.1)"]
FAILING = [sys.executable, "-c", "raise SystemExit(3)"]


def alive(pid: int) -> bool:
    """True while ``pid`` runs (a zombie waiting for its parent counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class Running:
    """Run a supervisor in a thread, as ``bangfu serve`` runs it in its main thread."""

    def __init__(self, supervisor: Supervisor):
        self.supervisor, self.messages, self.code = supervisor, [], None
        supervisor.say = self.messages.append
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        self.code = self.supervisor.run()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.supervisor.stop.set()
        self.thread.join(timeout=30)

    def wait_for(self, condition, timeout: float = 20.0) -> None:
        event = threading.Event()
        for _ in range(int(timeout / 0.05)):
            if condition():
                return
            event.wait(0.05)
        raise AssertionError(f"condition not met; supervisor said: {self.messages}")

    def pids(self, name: str) -> list[int]:
        return next(c for c in self.supervisor.children if c.spec.name == name).history


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def test_stopping_terminates_every_child_and_returns_zero():
    supervisor = Supervisor([ChildSpec("a", SLEEPER), ChildSpec("b", SLEEPER)], grace=10)
    with Running(supervisor) as running:
        running.wait_for(lambda: running.pids("a") and running.pids("b")
                         and all(alive(pid) for pid in running.pids("a") + running.pids("b")))
        pids = running.pids("a") + running.pids("b")
        supervisor.stop.set()
        running.thread.join(timeout=30)
    assert running.code == 0
    assert not [pid for pid in pids if alive(pid)]


def test_a_child_that_dies_is_started_again_with_a_doubling_back_off():
    supervisor = Supervisor([ChildSpec("sleeper", SLEEPER)], backoff_initial=0.1, grace=10)
    with Running(supervisor) as running:
        for kills in (1, 2):
            running.wait_for(lambda: len(running.pids("sleeper")) == kills and alive(running.pids("sleeper")[-1]))
            os.kill(running.pids("sleeper")[-1], 9)
        running.wait_for(lambda: len(running.pids("sleeper")) == 3)
        last = running.pids("sleeper")[-1]
    assert len(set(running.pids("sleeper"))) == 3
    restarts = [m for m in running.messages if "restarting in" in m]
    assert [m.rsplit("restarting in ", 1)[1] for m in restarts] == ["0.1 s", "0.2 s"]
    assert supervisor.children[0].delay == pytest.approx(0.4)
    assert not alive(last)


def test_a_child_that_keeps_failing_at_start_makes_the_supervisor_give_up_with_exit_one():
    supervisor = Supervisor([ChildSpec("broken", FAILING), ChildSpec("fine", SLEEPER)],
                            backoff_initial=0.01, max_fast_failures=3, grace=10)
    with Running(supervisor) as running:
        running.thread.join(timeout=60)
    assert running.code == 1
    assert len(running.pids("broken")) == 3
    assert any("giving up" in m and "exit code 3" in m for m in running.messages)
    assert not alive(running.pids("fine")[-1])  # the healthy sibling is stopped too


def test_a_child_that_ignores_sigterm_is_killed_once_the_grace_is_over(tmp_path):
    ready = tmp_path / "ignoring-sigterm"
    supervisor = Supervisor([ChildSpec("stubborn", [*STUBBORN, str(ready)])], grace=0.5)
    with Running(supervisor) as running:
        running.wait_for(ready.exists)
        pid = running.pids("stubborn")[0]
        supervisor.stop.set()
        running.thread.join(timeout=30)
    assert running.code == 0
    assert not alive(pid)
    assert any("killing it" in m for m in running.messages)
