"""Two task workers pick up one background task at the same moment, in two real OS processes on
one database file (SQLite) or one server (PostgreSQL): the work runs once and one run is recorded."""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import connection

from bangfu.core import background as bg
from bangfu.core.hooks import BACKGROUND_WORK
from bangfu.core.models import BackgroundTask
from bangfu.core.tests.background_race import execute, ran_file

pytestmark = pytest.mark.django_db(transaction=True)
SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def vendor(request):
    if connection.vendor != request.param:
        pytest.skip(f"this variant runs with Django on {request.param}")
    return request.param


def test_two_workers_at_once_run_the_work_once(vendor, make_user, tmp_path):
    officer = make_user(role="district_officer", area_code="500230")
    with BACKGROUND_WORK.override([bg.BackgroundWork("note", "记一笔", lambda **kw: bg.WorkResult())]):
        row = bg.background_start(actor=officer, kind="note", params={}, runner="task")
    meet, queue = SPAWN.Barrier(2), SPAWN.Queue()
    db_name = str(connection.settings_dict["NAME"])
    procs = [SPAWN.Process(target=execute, args=(db_name, row.pk, str(tmp_path), tag, meet, queue))
             for tag in ("a", "b")]
    for p in procs:
        p.start()
    try:
        out = [queue.get(timeout=300) for _ in procs]
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert all("traceback" not in o for o in out), out
    ran = open(ran_file(str(tmp_path)), encoding="utf-8").read().split()
    assert len(ran) == 1, ran
    row.refresh_from_db()
    assert row.status == BackgroundTask.Status.DONE and row.message == f"run by {ran[0]}"
