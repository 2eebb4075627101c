"""Two closes of one district's month at the same moment, in two real OS processes on one
database file (SQLite) or one server (PostgreSQL): exactly one report, one audit row, and the
other process is told the month is already reported (never a traceback)."""

from __future__ import annotations

import pytest

from bangfu.core.models import AuditLog
from bangfu.monitoring.models import MonthReport
from bangfu.monitoring.clock import current_month
from bangfu.monitoring.tests.report_race import close_month
from bangfu.registry.tests.factories import FENGDU
from bangfu.testing.races import SPAWN, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_closes_at_once_record_one_report_and_one_audit_row(db_vendor):
    month = current_month()
    # SQLite begins every write transaction IMMEDIATE, so the second waits at its start; on
    # PostgreSQL both read "no report yet" inside their transactions before either inserts.
    where = "create" if db_vendor == "postgresql" else "start"
    meet = SPAWN.Barrier(2)
    out = {o["tag"]: o for o in run_together([(close_month, (tag, FENGDU, month, where, meet)) for tag in "ab"])}
    assert sorted(o["exit"] for o in out.values()) == [0, 1], out
    loser = next(o for o in out.values() if o["exit"])
    assert "丰都县已报送" in loser["error"]
    assert MonthReport.objects.filter(district_code=FENGDU, month=month, state="closed").count() == 1
    assert AuditLog.objects.filter(action="month_report.close").count() == 1
