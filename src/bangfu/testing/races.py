"""Races between real OS processes (spawn) on the test database: the ``db_vendor`` fixture runs a
race test once per database (the PostgreSQL variant marked ``postgres``), ``run_together``
starts the competitors and collects what each put on its queue.

A competitor is ``target(settings_dict, *args, queue)``: ``settings_dict`` holds what the child
needs to reach the test's database (``race_database()``, which ``run_together`` passes first).
Write it as ``@competitor def body(*args) -> dict``: the decorator sets Django up in the child
(``child_django``), points its connection at the test database, runs the body, puts the dict it
returns on the queue (or ``{"traceback": ...}`` when it raised) and closes the connections.
Nothing Django is imported at module level, here or in the competitors' modules."""

from __future__ import annotations

import functools
import multiprocessing
import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

import pytest

SPAWN = multiprocessing.get_context("spawn")
WAIT_SECONDS = 120  # how long a competitor waits at a barrier or for an event


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_vendor(request):
    """The database a race runs on; the other variant is skipped."""
    from django.db import connection

    if connection.vendor != request.param:
        pytest.skip(f"this variant runs with Django on {request.param}")
    return request.param


def race_database() -> dict:
    """In the test process: the connection settings a child must override to reach the test's
    database (the settings module and DATABASE_URL give it the rest, as they gave the parent)."""
    from django.db import connection

    return {"NAME": str(connection.settings_dict["NAME"])}


@contextmanager
def child_django(settings_dict: dict) -> Iterator[None]:
    """In a spawned child: set Django up, point the default connection at the test database
    (``settings_dict`` from ``race_database()``); close every connection on the way out."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"].update(settings_dict)
    connections["default"].settings_dict.update(settings_dict)
    try:
        yield
    finally:
        connections.close_all()


def competitor(body: Callable[..., dict]) -> Callable[..., None]:
    """``body(*args) -> outcome`` becomes the process target ``(settings_dict, *args, queue)``:
    Django set up on the test database, the outcome (or the traceback of what the body raised)
    put on the queue once the connections are closed. The target keeps the body's name, so the
    spawned child finds it (pickled by reference) in the decorated module."""

    @functools.wraps(body)
    def target(settings_dict: dict, *args) -> None:
        *args, queue = args
        try:
            with child_django(settings_dict):
                outcome = body(*args)
        except BaseException:  # noqa: BLE001 - run_together asserts there was none
            outcome = {"traceback": traceback.format_exc()}
        queue.put(outcome)

    return target


def run_together(competitors: Sequence[tuple[Callable, tuple]], *, timeout: float = 300) -> list[dict]:
    """Start every ``(target, args)`` in its own process (``race_database()`` added as first
    argument, the queue as last) and return their outcomes, in the order they arrived; no
    process is left running, and no outcome is a traceback."""
    queue = SPAWN.Queue()
    db = race_database()
    procs = [SPAWN.Process(target=target, args=(db, *args, queue)) for target, args in competitors]
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
