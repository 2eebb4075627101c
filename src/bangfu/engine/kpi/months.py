"""Months as 'YYYY-MM' strings and the dates that the KPI definitions hang on."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from bangfu.engine.schema import WORKER_MAX_AGE, WORKER_MIN_AGE

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def parse_month(month: str) -> tuple[int, int]:
    match = MONTH_RE.match(month or "")
    if not match:
        raise ValueError(f"not a month 'YYYY-MM': {month!r}")
    return int(match.group(1)), int(match.group(2))


def shift_month(month: str, months: int) -> str:
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive (empty when first > last)."""
    parse_month(first)
    parse_month(last)
    out = []
    month = first
    while month <= last:
        out.append(month)
        month = shift_month(month, 1)
    return out


def last_day(month: str) -> dt.date:
    year, mon = parse_month(month)
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def worker_birth_window(month: str) -> tuple[dt.date, dt.date]:
    """(oldest, youngest) birth dates, inclusive, of a person aged 16..65 on the month's last day."""
    day = last_day(month)
    youngest = _years_before(day, WORKER_MIN_AGE)
    oldest = _years_before(day, WORKER_MAX_AGE + 1) + dt.timedelta(days=1)
    return oldest, youngest


def income_year(month: str) -> int:
    """The income year a month reports: its own year in December, else the previous year
    (a year's household incomes are only complete once the year is over)."""
    year, mon = parse_month(month)
    return year if mon == 12 else year - 1


def year_of(month: str) -> int:
    return parse_month(month)[0]
