"""Races between real OS processes (spawn) on the test database: the ``db_vendor`` fixture runs a
race test once per database (the PostgreSQL variant marked ``postgres``), ``run_together``
starts the competitors and collects what each put on its queue.

A competitor is ``target(*args, queue)``: it sets Django up itself, points its connection at the
test database and puts one dict on the queue (with ``"traceback"`` when it failed)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence

import pytest

SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_vendor(request):
    """The database a race runs on; the other variant is skipped."""
    from django.db import connection

    if connection.vendor != request.param:
        pytest.skip(f"this variant runs with Django on {request.param}")
    return request.param


def run_together(competitors: Sequence[tuple[Callable, tuple]], *, timeout: float = 300) -> list[dict]:
    """Start every ``(target, args)`` in its own process (the queue added as last argument) and
    return their outcomes, in the order they arrived; no process is left running."""
    queue = SPAWN.Queue()
    procs = [SPAWN.Process(target=target, args=(*args, queue)) for target, args in competitors]
    for p in procs:
        p.start()
    try:
        outcomes = [queue.get(timeout=timeout) for _p in procs]
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    for outcome in outcomes:
        assert "traceback" not in outcome, outcome["traceback"]
    return outcomes
