"""Supervised child processes for ``bangfu serve``: start them, restart the ones that die, stop them.

Django-free on purpose: the supervisor holds no database connection and imports no app, so it
stays small and is never the process that fails. Each child runs in its own process group (a
Ctrl-C in the terminal reaches the supervisor only, which then stops the children in order) and,
on Linux, is sent SIGTERM by the kernel if the supervisor itself is killed.

A child that exits is started again after a back-off that doubles from ``backoff_initial`` up to
``backoff_max`` and is reset once the child has stayed up ``stable_after`` seconds. A child that
keeps failing within seconds of its start (a port in use, a broken configuration) makes the
supervisor give up and exit 1, so that the service manager (systemd) reports it.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: list[str]
    env: dict[str, str] | None = None


@dataclass
class _Child:
    spec: ChildSpec
    delay: float
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    start_after: float = 0.0
    fast_failures: int = 0
    restarts: int = 0
    history: list[int] = field(default_factory=list)  # pids, oldest first


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Ask Linux to SIGTERM this child when the supervisor dies (no orphans after a kill -9)."""
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):
            pass


class Supervisor:
    def __init__(self, specs: list[ChildSpec], *, backoff_initial: float = 1.0, backoff_max: float = 60.0,
                 stable_after: float = 30.0, fast_failure: float = 10.0, max_fast_failures: int = 5,
                 grace: float = 35.0, poll: float = 0.2, say: Callable[[str], None] | None = None):
        self.children = [_Child(spec=spec, delay=backoff_initial) for spec in specs]
        self.backoff_initial, self.backoff_max = backoff_initial, backoff_max
        self.stable_after, self.fast_failure, self.max_fast_failures = stable_after, fast_failure, max_fast_failures
        self.grace, self.poll = grace, poll
        self.say = say or (lambda message: print(f"bangfu serve: {message}", file=sys.stderr, flush=True))
        self.stop = threading.Event()
        self.stop_signal: int | None = None

    # ------------------------------------------------------------------ signals

    def _on_signal(self, signum, frame) -> None:
        if self.stop.is_set():  # a second Ctrl-C: do not wait for the graceful stop
            self.grace = 0
        self.stop_signal = signum
        self.stop.set()

    def install_signal_handlers(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._on_signal)

    # ------------------------------------------------------------------ children

    def _start(self, child: _Child) -> None:
        env = None if child.spec.env is None else {**os.environ, **child.spec.env}
        child.process = subprocess.Popen(child.spec.argv, env=env, process_group=0,
                                         preexec_fn=_die_with_parent)
        child.started_at = time.monotonic()
        child.history.append(child.process.pid)
        self.say(f"{child.spec.name} started (pid {child.process.pid})")

    def _reap(self, child: _Child, now: float) -> bool:
        """Note a child that has exited and plan its restart; False when it fails for good."""
        code = child.process.returncode
        uptime = now - child.started_at
        if uptime >= self.stable_after:
            child.delay = self.backoff_initial
        child.fast_failures = child.fast_failures + 1 if uptime < self.fast_failure else 0
        child.process = None
        if child.fast_failures >= self.max_fast_failures:
            self.say(f"{child.spec.name} failed {child.fast_failures} times within "
                     f"{self.fast_failure:.0f} s of starting (last exit code {code}); giving up")
            return False
        child.restarts += 1
        child.start_after = now + child.delay
        self.say(f"{child.spec.name} exited with code {code} after {uptime:.1f} s; "
                 f"restarting in {child.delay:.3g} s")
        child.delay = min(child.delay * 2, self.backoff_max)
        return True

    def _terminate_all(self) -> None:
        running = [c for c in self.children if c.process is not None and c.process.poll() is None]
        for child in running:
            self.say(f"stopping {child.spec.name} (pid {child.process.pid})")
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.grace
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.say(f"{child.spec.name} did not stop within {self.grace:.0f} s; killing it")
                os.killpg(child.process.pid, signal.SIGKILL)
                child.process.wait()

    def run(self) -> int:
        """Run until SIGTERM/SIGINT (then 0) or until a child keeps failing (then 1)."""
        exit_code = 0
        try:
            for child in self.children:
                self._start(child)
            while not self.stop.is_set():
                now = time.monotonic()
                for child in self.children:
                    if child.process is not None and child.process.poll() is not None:
                        if not self._reap(child, now):
                            exit_code = 1
                            self.stop.set()
                            break
                    if child.process is None and now >= child.start_after and not self.stop.is_set():
                        self._start(child)
                self.stop.wait(self.poll)
        finally:
            if self.stop_signal is not None:
                self.say(f"received {signal.Signals(self.stop_signal).name}; stopping")
            self._terminate_all()
        self.say("stopped")
        return exit_code
