"""The worker of the background race test: ``background_execute`` of one task in its own OS
process (spawn) against the test database, so that two workers picking up one task really
compete. Nothing imports Django at module level: the child sets Django up itself."""

from __future__ import annotations

import os
import traceback

WAIT_SECONDS = 120


def ran_file(folder: str) -> str:
    return os.path.join(folder, "ran.txt")


def execute(db_name: str, task_id: int, folder: str, tag: str, meet, queue) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    from bangfu.core import background as bg
    from bangfu.core.hooks import BACKGROUND_WORK

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name

    def noting_work(*, actor, params, progress):
        with open(ran_file(folder), "a", encoding="utf-8") as fh:  # the side effect counted
            fh.write(tag + "\n")
        return bg.WorkResult(message=f"run by {tag}")

    outcome: dict = {"tag": tag}
    try:
        with BACKGROUND_WORK.override([bg.BackgroundWork("note", "记一笔", noting_work)]):
            meet.wait(WAIT_SECONDS)
            row = bg.background_execute(task_id)
        outcome["status"] = row.status
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    connections.close_all()
    queue.put(outcome)
