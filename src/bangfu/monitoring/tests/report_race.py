"""The worker of the report race test: ``bangfu kpi close`` in its own OS process (spawn) against
the test database, so that two closes of one district's month really compete.

Nothing here imports Django at module level: the child sets Django up and points its
connection at the test database. ``meet`` is a barrier both processes reach at ``where``:
"start" (before the command) or "create" (inside the write transaction, after the locked read
found no report and just before the insert: PostgreSQL only, where both can be inside).
"""

from __future__ import annotations

import io
import os
import traceback

WAIT_SECONDS = 120


def close_month(db_name: str, tag: str, district: str, month: str, where: str, meet, queue) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import connections

    from bangfu.monitoring.models import MonthReport

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name
    if where == "create":
        manager = MonthReport.objects
        real_create = manager.create

        def create_after_meeting(**fields):
            meet.wait(WAIT_SECONDS)
            return real_create(**fields)

        manager.create = create_after_meeting
    outcome: dict = {"tag": tag}
    out = io.StringIO()
    try:
        if where == "start":
            meet.wait(WAIT_SECONDS)
        call_command("kpi", "close", "--district", district, "--month", month, stdout=out)
        outcome["exit"] = 0
    except CommandError as exc:
        outcome["exit"] = exc.returncode
        outcome["error"] = str(exc)
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    outcome["output"] = out.getvalue()
    connections.close_all()
    queue.put(outcome)
