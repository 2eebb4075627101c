"""Deadlines of a case on the official working-day calendar (chinese-calendar, make-up days included).

Labour-inspection practice: decide within 5 working days whether a complaint is accepted,
finish within 60 working days of acceptance, extendable once by 30. Counting starts on the
first working day after the day of receipt (or acceptance), which is what
``bangfu.core.workdays.add_working_days`` does. The numbers are parameters (参数设置) in
``settings.BANGFU``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from bangfu.core.workdays import add_working_days, working_days_between

DEFAULT_ACCEPT_DAYS = 5
DEFAULT_FINISH_DAYS = 60
DEFAULT_EXTENSION_DAYS = 30


def _param(name: str, default: int) -> int:
    return int(getattr(settings, "BANGFU", {}).get(name, default))


def accept_days() -> int:
    return _param("ARREARS_ACCEPT_WORKING_DAYS", DEFAULT_ACCEPT_DAYS)


def finish_days() -> int:
    return _param("ARREARS_FINISH_WORKING_DAYS", DEFAULT_FINISH_DAYS)


def extension_days() -> int:
    return _param("ARREARS_EXTENSION_WORKING_DAYS", DEFAULT_EXTENSION_DAYS)


def accept_due(received_on: dt.date) -> dt.date:
    """Last day to accept or reject: the 5th working day after the day of receipt."""
    return add_working_days(received_on, accept_days())


def finish_due(accepted_on: dt.date) -> dt.date:
    """Last day to finish: the 60th working day after the day of acceptance."""
    return add_working_days(accepted_on, finish_days())


def extended_due(current_due: dt.date) -> dt.date:
    """The finish deadline after the one extension: 30 more working days."""
    return add_working_days(current_due, extension_days())


@dataclass(frozen=True)
class Clock:
    """What the case's clock shows: which deadline runs, when, and working days left."""

    stage: str  # "accept" | "finish"
    due: dt.date
    days_left: int  # working days after today up to and including the due day; < 0 when overdue
    overdue: bool  # the due day has passed (on a weekend after it, days_left may still be 0)

    @property
    def days_over(self) -> int:
        return -self.days_left if self.days_left < 0 else 0


def clock_for(*, stage: str, due: dt.date | None, today: dt.date) -> Clock | None:
    if due is None:
        return None
    return Clock(stage=stage, due=due, days_left=working_days_between(today, due),
                 overdue=today > due)


def elapsed_working_days(start: dt.date, end: dt.date) -> int:
    """Working days from ``start`` (exclusive) to ``end`` (inclusive)."""
    return max(0, working_days_between(start, end))
