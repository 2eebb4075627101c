"""Months as ``YYYY-MM`` strings (DESIGN.md section 4), and the date arithmetic around them.

Django-free, so the batch engine uses the same functions as the apps. A string in the
canonical form sorts like the month it names, so ``first <= month <= last`` works as is.

    parse_month("2024-09")          -> (2024, 9); anything else raises MonthError (in Chinese)
    shift_month("2024-01", -1)      -> "2023-12"
    month_range("2024-11", "2025-01") -> ["2024-11", "2024-12", "2025-01"]
    months_ending("2024-09", 3)     -> ["2024-07", "2024-08", "2024-09"]
    year_to_date("2024-03")         -> ["2024-01", "2024-02", "2024-03"]
    month_label("2024-09")          -> "2024年9月"
"""

from __future__ import annotations

import calendar
import datetime as dt
import re


def gettext_noop(text: str) -> str:
    """Marks a msgid for the translators' catalogue without importing Django."""
    return text


MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
# What the API accepts: years 1900-2099, so that a year 0 or 9999 (whose next month is year
# 10000) is a 422 and never a 500 further down.
API_MONTH_PATTERN = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"
ERR_MONTH = gettext_noop("“{value}”不是有效的月份，应为 YYYY-MM，例如 2024-09")
# The label of a month; Django callers pass ``gettext(MONTH_LABEL)`` for the active language.
MONTH_LABEL = gettext_noop("{year}年{month}月")


class MonthError(ValueError):
    """A value that is not a ``YYYY-MM`` month; the message is Chinese."""


def parse_month(month: str) -> tuple[int, int]:
    """(year, month) of a ``YYYY-MM`` string."""
    match = MONTH_RE.match(month if isinstance(month, str) else "")
    if not match:
        raise MonthError(ERR_MONTH.format(value=month))
    return int(match.group(1)), int(match.group(2))


def is_month(value: object) -> bool:
    return isinstance(value, str) and MONTH_RE.match(value) is not None


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def shift_month(month: str, months: int) -> str:
    """The month ``months`` later (earlier when negative)."""
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` inclusive, oldest first (empty when first > last)."""
    parse_month(first)
    parse_month(last)
    out = []
    month = first
    while month <= last:
        out.append(month)
        month = shift_month(month, 1)
    return out


def months_ending(last: str, count: int) -> list[str]:
    """The ``count`` months ending with ``last``, oldest first."""
    if count < 1:
        return []
    return month_range(shift_month(last, -(count - 1)), last)


def year_to_date(month: str) -> list[str]:
    """January to ``month`` of ``month``'s year."""
    year, _mon = parse_month(month)
    return month_range(f"{year:04d}-01", month)


def year_of(month: str) -> int:
    return parse_month(month)[0]


def first_day(month: str) -> dt.date:
    year, mon = parse_month(month)
    return dt.date(year, mon, 1)


def last_day(month: str) -> dt.date:
    year, mon = parse_month(month)
    return dt.date(year, mon, calendar.monthrange(year, mon)[1])


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier; 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def month_label(month: str, template: str = MONTH_LABEL) -> str:
    """``2024-09`` -> ``2024年9月`` (``template`` has ``{year}`` and ``{month}``); a value that
    is not a month is shown as it is."""
    if not is_month(month):
        return month or ""
    year, mon = parse_month(month)
    return template.format(year=year, month=mon)
