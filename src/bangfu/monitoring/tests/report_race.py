"""The worker of the report race test: ``bangfu kpi close`` in its own OS process (spawn) against
the test database, so that two closes of one district's month really compete
(``bangfu.testing.races.competitor``: nothing Django at module level).

``meet`` is a barrier both processes reach at ``where``: "start" (before the command) or
"create" (inside the write transaction, after the locked read found no report and just before
the insert: PostgreSQL only, where both can be inside).
"""

from __future__ import annotations

import io

from bangfu.testing.races import WAIT_SECONDS, competitor


@competitor
def close_month(tag: str, district: str, month: str, where: str, meet) -> dict:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from bangfu.monitoring.models import MonthReport

    if where == "create":
        manager = MonthReport.objects
        real_create = manager.create

        def create_after_meeting(**fields):
            meet.wait(WAIT_SECONDS)
            return real_create(**fields)

        manager.create = create_after_meeting
    outcome: dict = {"tag": tag}
    out = io.StringIO()
    if where == "start":
        meet.wait(WAIT_SECONDS)
    try:
        call_command("kpi", "close", "--district", district, "--month", month, stdout=out)
        outcome["exit"] = 0
    except CommandError as exc:
        outcome["exit"] = exc.returncode
        outcome["error"] = str(exc)
    outcome["output"] = out.getvalue()
    return outcome
