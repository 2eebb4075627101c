"""The worker of the background race test: ``background_execute`` of one task in its own OS
process (spawn) against the test database, so that two workers picking up one task really
compete (``bangfu.testing.races.competitor``: nothing Django at module level)."""

from __future__ import annotations

import os

from bangfu.testing.races import WAIT_SECONDS, competitor


def ran_file(folder: str) -> str:
    return os.path.join(folder, "ran.txt")


@competitor
def execute(task_id: int, folder: str, tag: str, meet) -> dict:
    from bangfu.core import background as bg
    from bangfu.core.hooks import BACKGROUND_WORK

    def noting_work(*, actor, params, progress):
        with open(ran_file(folder), "a", encoding="utf-8") as fh:  # the side effect counted
            fh.write(tag + "\n")
        return bg.WorkResult(message=f"run by {tag}")

    with BACKGROUND_WORK.override([bg.BackgroundWork("note", "记一笔", noting_work)]):
        meet.wait(WAIT_SECONDS)
        row = bg.background_execute(task_id)
    return {"tag": tag, "status": row.status}
