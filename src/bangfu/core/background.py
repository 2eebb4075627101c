"""Long work started from a page, run in the background with a progress bar (后台任务).

An app describes each kind of work once, as a ``BackgroundWork`` in ``BACKGROUND_WORK`` of its
``hooks.py`` (a policy run, a KPI fill, a matching run …). A page starts it with
``start_from_page``; the work then runs as the configured runner says:

* ``task`` (default) - a django-tasks task, run by ``bangfu task_worker`` (``bangfu serve`` starts it);
* ``thread`` - a thread of the web process (a demo without a worker);
* ``inline`` - in the request (tests; ``BANGFU_BACKGROUND_RUNNER=inline``).

Chosen by ``settings.BANGFU["BACKGROUND_RUNNER"]`` or the ``BANGFU_BACKGROUND_RUNNER`` variable.
A work that finished within the request (inline) sends the user straight to its result with its
message; otherwise to the task's page, whose bar follows the work until it says it is done. The
user finds every task again under 后台任务, with its result or its error, in Chinese.

The work runs as the user who started it (their capabilities and area), checked again when it
starts. While it runs its progress goes to a small JSON file (on SQLite a long write holds the
lock the row would need); the row has the start, the end and the result.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from bangfu.core.actors import Actor, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.filemodes import replace_file
from bangfu.core.hooks import BACKGROUND_WORK
from bangfu.core.models import BackgroundTask

logger = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage label, done, total)

ERR_UNKNOWN = gettext_noop("未知的后台任务类型“{kind}”")
ERR_CRASHED = gettext_noop("后台任务发生系统错误，请稍后重试或联系管理员")
ERR_USER_GONE = gettext_noop("提交任务的账号已停用，任务未执行")
STAGE_QUEUED = gettext_noop("排队中")
STAGE_STARTED = gettext_noop("开始执行")
ERR_NOT_STALLED = gettext_noop("任务仍在正常执行或已结束，无需重新开始")
# A running task whose progress file has not moved for this long has lost its worker (kill -9,
# a restart of the server): its page says so and offers to start it again.
STALLED_AFTER = timedelta(minutes=10)
QUEUED_STALLED_AFTER = timedelta(minutes=2)


class WorkError(Exception):
    """A work's refusal or failure told to the user as it is (a Chinese sentence)."""


@dataclass(frozen=True)
class BackgroundWork:
    """One kind of long work. ``run(actor=, params=, progress=)`` does it and returns a
    ``WorkResult``; it raises ``WorkError`` with a Chinese sentence when it cannot."""

    kind: str
    label: Any  # lazy Chinese text, e.g. 政策试算
    run: Callable[..., WorkResult]
    capability: Capability | None = None


@dataclass
class WorkResult:
    message: str = ""  # what the user is told when it is done
    url: str = ""  # where its result is (a run's page, …)
    data: dict = field(default_factory=dict)  # small JSON kept with the task
    file: bytes | None = None  # a file to download (an export), kept encrypted at rest
    filename: str = ""  # its name, e.g. 人员花名册.xlsx


def export_rows_threshold() -> int:
    """Exports with more rows than this run in the background (参数设置 EXPORT_BACKGROUND_ROWS)."""
    from bangfu.core import parameters

    return int(parameters.get("EXPORT_BACKGROUND_ROWS", 5_000))


def work_of(kind: str) -> BackgroundWork:
    work = BACKGROUND_WORK.get(kind)
    if work is None:
        raise WorkError(_(ERR_UNKNOWN).format(kind=kind))
    return work


def _runner() -> str:
    return str(getattr(settings, "BANGFU", {}).get("BACKGROUND_RUNNER")
               or os.environ.get("BANGFU_BACKGROUND_RUNNER", "task"))


def progress_path(task_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "background" / f"{task_id}.json"


def file_path(task_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "background" / "files" / f"{task_id}.bin"


def _store_file(task_id: int, content: bytes) -> None:
    from bangfu.core.filecrypt import file_encrypt

    replace_file(file_path(task_id), file_encrypt(content))


def task_file(row: BackgroundTask) -> bytes | None:
    """The clear bytes of a finished task's file, or None (no file, or it was removed)."""
    from bangfu.core.filecrypt import file_decrypt

    try:
        return file_decrypt(file_path(row.pk).read_bytes())
    except OSError:
        return None


# ---- services


def background_start(*, actor: Actor, kind: str, params: dict, area_code: str = "",
                     runner: str | None = None) -> BackgroundTask:
    """Queue ``kind`` with ``params`` (JSON) for ``actor`` and start it as the runner says."""
    work = work_of(kind)
    if work.capability is not None:
        require(actor, work.capability)
    with transaction.atomic():
        row = BackgroundTask.objects.create(
            kind=kind, params=params, user=actor_user(actor), area_code=area_code or actor.area_code,
            language=translation.get_language() or settings.LANGUAGE_CODE)
        audit_record(actor=actor, action="background.start", obj=row, area_code=row.area_code,
                     detail={"kind": kind, "task": row.pk})
    return _dispatch(row, runner)


def _dispatch(row: BackgroundTask, runner: str | None) -> BackgroundTask:
    """Run a queued task as the runner says: now (inline), in a thread, or by the task worker."""
    runner = runner or _runner()
    if runner == "inline":
        return background_execute(row.pk)
    if runner == "thread":
        threading.Thread(target=_in_thread, args=(row.pk,), daemon=True, name=f"background-{row.pk}").start()
    else:
        background_task_run.enqueue(row.pk)
    row.refresh_from_db()
    return row


def _in_thread(task_id: int) -> None:
    try:
        background_execute(task_id)
    finally:
        close_old_connections()


@task()
def background_task_run(task_id: int) -> dict:
    """The django-tasks task: run the background task, return its status."""
    row = background_execute(task_id)
    return {"status": row.status}


class _FileProgress:
    """Writes (stage, done, total) to the task's progress file, at most twice a second."""

    def __init__(self, task_id: int):
        self.path = progress_path(task_id)
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and 0 < done < total:
            return
        self.last = now
        replace_file(self.path, json.dumps({"stage": str(stage), "done": done, "total": total},
                                           ensure_ascii=False).encode())

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def background_execute(task_id: int) -> BackgroundTask:
    """Run task ``task_id`` now (once: a task already started is left) and store its result."""
    claimed = BackgroundTask.objects.filter(pk=task_id, status=BackgroundTask.Status.QUEUED).update(
        status=BackgroundTask.Status.RUNNING, started_at=timezone.now())
    row = BackgroundTask.objects.select_related("user").get(pk=task_id)
    if not claimed:  # compare-and-set: another worker has it, or it has finished
        return row
    progress = _FileProgress(row.pk)
    progress(_(STAGE_STARTED), 0, 0)
    with translation.override(row.language or settings.LANGUAGE_CODE):
        try:
            actor = row.user
            if actor is None or not actor.is_active:
                raise WorkError(_(ERR_USER_GONE))
            work = work_of(row.kind)
            if work.capability is not None:
                require(actor, work.capability)  # the capability may have been taken away meanwhile
            outcome = work.run(actor=actor, params=row.params, progress=progress)
        except (WorkError, PermissionDenied) as exc:  # Forbidden included
            ours = _finish(row, BackgroundTask.Status.FAILED, message=str(exc) or _(ERR_CRASHED))
        except Exception:  # noqa: BLE001 - the user gets a sentence, the log the traceback
            logger.exception("background task %s (%s) failed", row.pk, row.kind)
            ours = _finish(row, BackgroundTask.Status.FAILED, message=_(ERR_CRASHED))
        else:
            result = {"url": outcome.url, **outcome.data}
            ours = _claimed_by(row).exists()  # a run given up for lost leaves the new run's file alone
            if outcome.file is not None and ours:
                _store_file(row.pk, outcome.file)
                result.update(url=reverse("core:task_download", args=[row.pk]), filename=outcome.filename)
            ours = ours and _finish(row, BackgroundTask.Status.DONE, message=outcome.message, result=result)
    if ours:
        progress.clear()
    return row


def _claimed_by(row: BackgroundTask):
    """The rows of the task still running as the run that claimed it (``row.started_at``)."""
    return BackgroundTask.objects.filter(pk=row.pk, status=BackgroundTask.Status.RUNNING, started_at=row.started_at)


def _finish(row: BackgroundTask, status: str, *, message: str, result: dict | None = None) -> bool:
    """Record the outcome, compare-and-set on the run that claimed the task: a worker that was
    given up for lost (the task restarted meanwhile) never overwrites the new run's state.
    True when the outcome was recorded."""
    recorded = _claimed_by(row).update(status=status, message=str(message), result=result or {},
                                       finished_at=timezone.now())
    row.refresh_from_db()
    return bool(recorded)


def task_stalled(row: BackgroundTask, *, now=None) -> str:
    """``"queued"``: no worker picked the task up; ``"running"``: no progress for
    ``STALLED_AFTER`` (its worker died); else ``""``."""
    now = now or timezone.now()
    if row.status == BackgroundTask.Status.QUEUED and now - row.created_at > QUEUED_STALLED_AFTER:
        return "queued"
    if row.status == BackgroundTask.Status.RUNNING:
        last = row.started_at or row.created_at
        try:
            mtime = progress_path(row.pk).stat().st_mtime
            last = max(last, datetime.fromtimestamp(mtime, tz=dt_timezone.utc))
        except OSError:
            pass
        if now - last > STALLED_AFTER:
            return "running"
    return ""


def background_restart(*, actor: Actor, task_id: int, runner: str | None = None) -> BackgroundTask:
    """Start a stalled task of ``actor``'s again (its worker died). Decided by compare-and-set
    on the run it replaces, so two restarts at once queue it once."""
    row = tasks_of(actor).filter(pk=task_id).first()
    if row is None:
        raise WorkError(_(ERR_NOT_STALLED))
    if not task_stalled(row):
        raise WorkError(_(ERR_NOT_STALLED))
    with transaction.atomic():
        # created_at moves too: it is the compare-and-set's token for a task that never started
        # (status and started_at stay the same), and a re-queued task waits from now
        moved = BackgroundTask.objects.filter(pk=row.pk, status=row.status, started_at=row.started_at,
                                              created_at=row.created_at).update(
            status=BackgroundTask.Status.QUEUED, started_at=None, created_at=timezone.now())
        if not moved:
            raise WorkError(_(ERR_NOT_STALLED))
        audit_record(actor=actor, action="background.restart", obj=row, area_code=row.area_code,
                     detail={"kind": row.kind, "task": row.pk, "was": row.status})
    progress_path(row.pk).unlink(missing_ok=True)
    return _dispatch(row, runner)


# ---- reads


def task_progress(row: BackgroundTask) -> dict:
    """``{"stage", "done", "total", "percent"}`` of a task (percent None: not countable yet)."""
    if row.status == BackgroundTask.Status.DONE:
        return {"stage": _("完成"), "done": 1, "total": 1, "percent": 100}
    if row.status == BackgroundTask.Status.FAILED:
        return {"stage": _("失败"), "done": 0, "total": 0, "percent": None}
    if row.status == BackgroundTask.Status.QUEUED:
        return {"stage": _(STAGE_QUEUED), "done": 0, "total": 0, "percent": 0}
    try:
        state = json.loads(progress_path(row.pk).read_text())
    except (OSError, ValueError):
        state = {"stage": _(STAGE_STARTED), "done": 0, "total": 0}
    total, done = int(state.get("total") or 0), int(state.get("done") or 0)
    percent = min(99, int(done * 100 / total)) if total else None
    return {"stage": state.get("stage", ""), "done": done, "total": total, "percent": percent}


def tasks_of(user) -> Any:
    """The user's own tasks (a task shows what its author may see, nobody else's)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return BackgroundTask.objects.none()
    return BackgroundTask.objects.filter(user=user)
