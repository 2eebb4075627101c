"""Workers of the payment race tests. Each runs in its own OS process (multiprocessing, spawn)
against the database the test created, so two writers really compete for it, as two operators
running ``bangfu import bank_return`` or ``bangfu policy batch`` at the same moment would.

Nothing here imports Django at module level: ``bangfu.testing.races.competitor`` sets Django
up in the child and points its connection at the test database. The steps let a test order the
two processes: meet at a barrier, or set and wait on events, at "start" and "checked" (after
the import's checks, before its write transaction) and "done".
"""

from __future__ import annotations

import io
import json

from bangfu.testing.races import WAIT_SECONDS, competitor


def _sync(steps) -> None:
    for op, obj in steps or ():
        if op == "barrier":
            obj.wait(WAIT_SECONDS)
        elif op == "set":
            obj.set()
        elif op == "wait" and not obj.wait(WAIT_SECONDS):
            raise RuntimeError("the other process never reached its step")


def _finish(tag: str, outcome: dict, steps) -> dict:
    from django.db import connections

    connections.close_all()
    _sync(steps.get("done"))
    return {"tag": tag, **outcome}


@competitor
def import_bank_return(tag: str, path: str, username: str, steps: dict) -> dict:
    """``bangfu import bank_return PATH --actor USERNAME --json``; its JSON result."""
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
    text = out.getvalue().strip()
    outcome["result"] = json.loads(text) if text else None
    return _finish(tag, outcome, steps)


@competitor
def batch_command(tag: str, args: list[str], steps: dict) -> dict:
    """``bangfu policy batch ARGS``; the printed lines or the refusal's message."""
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
    outcome["output"] = out.getvalue()
    return _finish(tag, outcome, steps)
