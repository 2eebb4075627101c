"""Workers of the payment race tests. Each runs in its own OS process (multiprocessing, spawn)
against the database the test created, so two writers really compete for it, as two operators
running ``bangfu import bank_return`` or ``bangfu policy batch`` at the same moment would.

Nothing here imports Django at module level: the child process sets Django up itself and then
points its connection at the test database. The steps (``Step``) let a test order the two
processes: meet at a barrier, or set and wait on events, at "start" and "checked" (after the
import's checks, before its write transaction) and "done".
"""

from __future__ import annotations

import io
import json
import os
import traceback

WAIT_SECONDS = 120


def _setup(db_name: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name


def _sync(steps) -> None:
    for op, obj in steps or ():
        if op == "barrier":
            obj.wait(WAIT_SECONDS)
        elif op == "set":
            obj.set()
        elif op == "wait" and not obj.wait(WAIT_SECONDS):
            raise RuntimeError("the other process never reached its step")


def _finish(queue, tag: str, outcome: dict, steps) -> None:
    from django.db import connections

    connections.close_all()
    _sync(steps.get("done"))
    queue.put({"tag": tag, **outcome})


def import_bank_return(db_name: str, tag: str, path: str, username: str, steps: dict, queue) -> None:
    """``bangfu import bank_return PATH --actor USERNAME --json``; puts the JSON result on ``queue``."""
    _setup(db_name)
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from bangfu.payments.importers import BankReturnImporter

    real_check = BankReturnImporter.check

    def check_then_sync(self, rows, *, actor):
        errors = real_check(self, rows, actor=actor)
        _sync(steps.get("checked"))
        return errors

    BankReturnImporter.check = check_then_sync
    out = io.StringIO()
    outcome: dict = {}
    try:
        _sync(steps.get("start"))
        call_command("import", "bank_return", path, "--actor", username, "--json", stdout=out)
        outcome["exit"] = 0
    except CommandError as exc:
        outcome["exit"] = exc.returncode
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    text = out.getvalue().strip()
    outcome["result"] = json.loads(text) if text else None
    _finish(queue, tag, outcome, steps)


def batch_command(db_name: str, tag: str, args: list[str], steps: dict, queue) -> None:
    """``bangfu policy batch ARGS``; puts the printed lines or the refusal's message on ``queue``."""
    _setup(db_name)
    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = io.StringIO()
    outcome: dict = {}
    try:
        _sync(steps.get("start"))
        call_command("policy", "batch", *args, stdout=out)
        outcome["exit"] = 0
    except CommandError as exc:
        outcome["exit"] = exc.returncode
        outcome["error"] = str(exc)
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    outcome["output"] = out.getvalue()
    _finish(queue, tag, outcome, steps)
