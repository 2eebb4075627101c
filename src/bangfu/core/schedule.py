"""定时任务: bangfu's periodic work as data, when each task is due, and running it.

``bangfu serve`` runs ``bangfu scheduler loop`` (``scheduled_runs_loop``), which looks for due
tasks every minute; without it, a cron line calls ``bangfu scheduler run-due``. Each task whose latest
scheduled slot is later than its last run (``ScheduledRun.started_at``) runs and is recorded.
A failed run also counts as the slot's run: it is retried at the next slot, or by hand with
``bangfu scheduler run CODE`` / the page's 立即执行. Times are local (settings.TIME_ZONE).

The tasks are the apps' own: each lists its ``Job``s in ``SCHEDULED_JOBS`` of
``bangfu/<app>/hooks.py``; a job's function runs as the system actor and returns its summary.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from dataclasses import dataclass
from typing import Any, Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.actors import SCHEDULER, Actor, actor_name, is_system
from bangfu.core.audit import audit_record
from bangfu.core.hooks import SCHEDULED_JOBS
from bangfu.core.models import ScheduledRun

logger = logging.getLogger(__name__)

DAILY, WEEKLY, INTERVAL = "daily", "weekly", "interval"
WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
ERROR_MAX_CHARS = 4000
HISTORY_LIMIT = 50


@dataclass(frozen=True)
class Cadence:
    """When a task runs: daily at ``at``, weekly on ``weekday`` (0 = Monday) at ``at``, or every
    ``minutes`` minutes (slots counted from local midnight)."""

    kind: str
    at: dt.time | None = None
    weekday: int | None = None
    minutes: int | None = None

    @classmethod
    def daily(cls, hour: int, minute: int = 0) -> Cadence:
        return cls(DAILY, at=dt.time(hour, minute))

    @classmethod
    def weekly(cls, weekday: int, hour: int, minute: int = 0) -> Cadence:
        return cls(WEEKLY, at=dt.time(hour, minute), weekday=weekday)

    @classmethod
    def every(cls, minutes: int) -> Cadence:
        if not 0 < minutes <= 24 * 60:
            raise ValueError("minutes must be within a day")
        return cls(INTERVAL, minutes=minutes)

    def sort_key(self) -> tuple:
        """Frequent tasks first, then by the time of day (weekly ones last)."""
        rank = {INTERVAL: 0, DAILY: 1, WEEKLY: 2}[self.kind]
        return (rank, self.weekday or 0, self.at or dt.time(0), self.minutes or 0)

    def label(self) -> str:
        if self.kind == INTERVAL:
            return str(_("每 %(minutes)s 分钟") % {"minutes": self.minutes})
        time = f"{self.at:%H:%M}"
        if self.kind == WEEKLY:
            return str(_("每%(weekday)s %(time)s") % {"weekday": WEEKDAYS[self.weekday], "time": time})
        return str(_("每天 %(time)s") % {"time": time})

    def _slot(self, day: dt.date, minute_of_day: int = 0) -> dt.datetime:
        at = self.at if self.kind != INTERVAL else dt.time(minute_of_day // 60, minute_of_day % 60)
        return timezone.make_aware(dt.datetime.combine(day, at))

    def last_slot(self, now: dt.datetime) -> dt.datetime:
        """The latest scheduled moment at or before ``now``."""
        local = timezone.localtime(now)
        day = local.date()
        if self.kind == INTERVAL:
            minute = (local.hour * 60 + local.minute) // self.minutes * self.minutes
            return self._slot(day, minute)
        if self.kind == WEEKLY:
            day -= dt.timedelta(days=(day.weekday() - self.weekday) % 7)
        slot = self._slot(day)
        if slot > now:
            slot = self._slot(day - dt.timedelta(days=7 if self.kind == WEEKLY else 1))
        return slot

    def next_slot(self, after: dt.datetime) -> dt.datetime:
        """The first scheduled moment strictly after ``after``."""
        slot = self.last_slot(after)
        local = timezone.localtime(slot)
        if self.kind == INTERVAL:
            minute = local.hour * 60 + local.minute + self.minutes
            day = local.date()
            if minute >= 24 * 60:  # the slots restart at midnight
                return self._slot(day + dt.timedelta(days=1))
            return self._slot(day, minute)
        return self._slot(local.date() + dt.timedelta(days=7 if self.kind == WEEKLY else 1))


@dataclass(frozen=True)
class Job:
    code: str
    name: Any  # lazy Chinese text
    cadence: Cadence
    func: Callable[[dt.datetime], Any]  # takes the run's start time; returns its summary
    description: Any = ""

    def is_due(self, *, last_started: dt.datetime | None, now: dt.datetime) -> bool:
        """Due when a scheduled slot has passed since the last run (never run: due now)."""
        return last_started is None or self.cadence.last_slot(now) > last_started

    def next_due(self, *, last_started: dt.datetime | None, now: dt.datetime) -> dt.datetime:
        """When the task runs next (``now`` when it is already due)."""
        if self.is_due(last_started=last_started, now=now):
            return now
        return self.cadence.next_slot(last_started if last_started > now else now)


# ---------------------------------------------------------------- the tasks


def jobs() -> list[Job]:
    """Every app's ``SCHEDULED_JOBS`` (``bangfu/<app>/hooks.py``), in the order they run in a day."""
    return SCHEDULED_JOBS.items()


def get_job(code: str) -> Job | None:
    return next((job for job in jobs() if job.code == code), None)


# ---------------------------------------------------------------- selectors


def last_runs() -> dict[str, ScheduledRun]:
    """The latest run of each task code."""
    runs: dict[str, ScheduledRun] = {}
    for job in jobs():
        run = ScheduledRun.objects.filter(task=job.code).order_by("-started_at", "-id").first()
        if run is not None:
            runs[job.code] = run
    return runs


def run_history(*, task: str | None = None, limit: int = HISTORY_LIMIT) -> list[ScheduledRun]:
    qs = ScheduledRun.objects.all()
    if task:
        qs = qs.filter(task=task)
    return list(qs.order_by("-started_at", "-id")[:limit])


def schedule_rows(*, now: dt.datetime | None = None) -> list[dict]:
    now = now or timezone.now()
    runs = last_runs()
    rows = []
    for job in jobs():
        last = runs.get(job.code)
        started = last.started_at if last else None
        rows.append({
            "job": job, "last": last, "due": job.is_due(last_started=started, now=now),
            "next_due": job.next_due(last_started=started, now=now),
        })
    return rows


def due_jobs(*, now: dt.datetime | None = None) -> list[Job]:
    now = now or timezone.now()
    runs = last_runs()
    return [job for job in jobs()
            if job.is_due(last_started=runs[job.code].started_at if job.code in runs else None, now=now)]


# ---------------------------------------------------------------- services


def _json_safe(value: Any) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        value = {"result": value}
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, default=str))


def scheduled_run_execute(*, job: Job, actor: Actor = SCHEDULER, now: dt.datetime | None = None,
                          ip_address: str | None = None) -> ScheduledRun:
    """Run ``job`` now and record it; an exception is recorded as a failed run, never raised.

    The task runs outside any transaction of ours (each task commits its own work). A run started
    by a person (``actor`` a user) is also written to the audit log.
    """
    started = now or timezone.now()
    by_person = not is_system(actor)
    run = ScheduledRun.objects.create(
        task=job.code, started_at=started, status=ScheduledRun.Status.RUNNING,
        triggered_by=actor_name(actor),
    )
    try:
        summary = _json_safe(job.func(started))
    except Exception as exc:  # noqa: BLE001 - one failing task must not stop the others
        logger.warning("scheduled task %s failed: %s", job.code, type(exc).__name__)
        run.status = ScheduledRun.Status.FAILED
        run.error = f"{type(exc).__name__}: {exc}"[:ERROR_MAX_CHARS]
    else:
        run.status = ScheduledRun.Status.OK
        run.summary = summary
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save(update_fields=["status", "summary", "error", "finished_at"])
        if by_person:
            audit_record(actor=actor, action="scheduled_run.run", obj=run, ip_address=ip_address,
                         detail={"task": job.code, "status": run.status})
    return run


def scheduled_runs_due(*, now: dt.datetime | None = None) -> list[ScheduledRun]:
    """Run every due task, one after another, by the system; returns their runs."""
    now = now or timezone.now()
    return [scheduled_run_execute(job=job, actor=SCHEDULER) for job in due_jobs(now=now)]


def scheduled_runs_loop(*, interval: float, stop: threading.Event,
                        report: Callable[[list[ScheduledRun]], None] | None = None) -> None:
    """Run the due tasks every ``interval`` seconds until ``stop`` is set.

    A task that is running when ``stop`` is set finishes first (each task commits its own work).
    A failure to reach the database is logged and tried again at the next tick, never fatal.
    """
    from django.db import close_old_connections

    while not stop.is_set():
        close_old_connections()  # a long-lived process: drop a connection the server closed
        try:
            runs = scheduled_runs_due()
        except Exception as exc:  # noqa: BLE001 - the loop outlives a database restart
            logger.warning("scheduler tick failed: %s", type(exc).__name__)
        else:
            if report and runs:
                report(runs)
        stop.wait(interval)
