"""Two closes of one district's month at the same moment, in two real OS processes on one
database file (SQLite) or one server (PostgreSQL): exactly one report, one audit row, and the
other process is told the month is already reported (never a traceback)."""

from __future__ import annotations

import multiprocessing

import pytest
from django.db import connection

from bangfu.core.models import AuditLog
from bangfu.monitoring.models import MonthReport
from bangfu.monitoring.clock import current_month
from bangfu.monitoring.tests.report_race import close_month
from bangfu.registry.tests.factories import FENGDU

pytestmark = pytest.mark.django_db(transaction=True)
SPAWN = multiprocessing.get_context("spawn")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def vendor(request):
    if connection.vendor != request.param:
        pytest.skip(f"this variant runs with Django on {request.param}")
    return request.param


def test_two_closes_at_once_record_one_report_and_one_audit_row(vendor):
    month = current_month()
    # SQLite begins every write transaction IMMEDIATE, so the second waits at its start; on
    # PostgreSQL both read "no report yet" inside their transactions before either inserts.
    where = "create" if vendor == "postgresql" else "start"
    meet, queue = SPAWN.Barrier(2), SPAWN.Queue()
    db_name = str(connection.settings_dict["NAME"])
    procs = [SPAWN.Process(target=close_month, args=(db_name, tag, FENGDU, month, where, meet, queue))
             for tag in ("a", "b")]
    for p in procs:
        p.start()
    try:
        out = {o["tag"]: o for o in (queue.get(timeout=300) for _ in procs)}
    finally:
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
    assert all("traceback" not in o for o in out.values()), out
    assert sorted(o["exit"] for o in out.values()) == [0, 1], out
    loser = next(o for o in out.values() if o["exit"])
    assert "丰都县已报送" in loser["error"]
    assert MonthReport.objects.filter(district_code=FENGDU, month=month, state="closed").count() == 1
    assert AuditLog.objects.filter(action="month_report.close").count() == 1
