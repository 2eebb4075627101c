"""Working days on the official holiday calendar (chinese-calendar), make-up days included."""

from __future__ import annotations

import datetime as dt
import logging

import chinese_calendar

logger = logging.getLogger(__name__)


_years_without_calendar: set[int] = set()


def is_working_day(day: dt.date) -> bool:
    """True on a working day: weekdays that are not holidays, plus make-up Saturdays/Sundays."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # The library knows years up to its release; beyond that fall back to Monday-Friday
        # (and say so once per year, not once per day checked).
        if day.year not in _years_without_calendar:
            _years_without_calendar.add(day.year)
            logger.warning("holiday calendar has no data for %s; using Monday-Friday", day.year)
        return day.weekday() < 5


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after ``day``."""
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date that is the ``days``-th working day after ``start``.

    Counting starts on the first working day after ``start`` (the day of receipt does not
    count), so ``add_working_days(received, 5)`` is the last day to accept a complaint.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    day = start
    for _ in range(days):
        day = next_working_day(day)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days have passed from ``start`` to ``end``.

    Negative when ``end`` is before ``start``.
    """
    if end < start:
        return -working_days_between(end, start)
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
