"""Two task workers pick up one background task at the same moment, in two real OS processes on
one database file (SQLite) or one server (PostgreSQL): the work runs once and one run is recorded."""

from __future__ import annotations

import pytest

from bangfu.core import background as bg
from bangfu.core.hooks import BACKGROUND_WORK
from bangfu.core.models import BackgroundTask
from bangfu.core.tests.background_race import execute, ran_file
from bangfu.testing.races import SPAWN, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_at_once_run_the_work_once(db_vendor, make_user, tmp_path):
    officer = make_user(role="district_officer", area_code="500230")
    with BACKGROUND_WORK.override([bg.BackgroundWork("note", "记一笔", lambda **kw: bg.WorkResult())]):
        row = bg.background_start(actor=officer, kind="note", params={}, runner="task")
    meet = SPAWN.Barrier(2)
    procs = [(execute, (row.pk, str(tmp_path), tag, meet))
             for tag in ("a", "b")]
    out = run_together(procs)
    ran = open(ran_file(str(tmp_path)), encoding="utf-8").read().split()
    assert len(ran) == 1, ran
    row.refresh_from_db()
    assert row.status == BackgroundTask.Status.DONE and row.message == f"run by {ran[0]}"
