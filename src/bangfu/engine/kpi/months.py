"""The dates that the KPI definitions hang on (DESIGN.md section 5); months are ``bangfu.core.months``."""

from __future__ import annotations

import datetime as dt

from bangfu import codes
from bangfu.core.months import last_day, parse_month


def worker_birth_window(month: str) -> tuple[dt.date, dt.date]:
    """(oldest, youngest) birth dates, inclusive, of a person aged 16..65 on the month's last day."""
    return codes.worker_birth_window(last_day(month))


def income_year(month: str) -> int:
    """The income year a month reports: its own year in December, else the previous year
    (a year's household incomes are only complete once the year is over)."""
    year, mon = parse_month(month)
    return year if mon == 12 else year - 1
