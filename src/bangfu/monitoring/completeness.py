"""How complete a month is: which districts have closed (报送) it, and what may be said of it.

A district's month is complete when the district has closed it. The city's or a zone's month
is complete when all its districts (from the division table) have closed it, or once the
deadline has passed: ``BANGFU["MONTH_CLOSE_DEADLINE_DAY"]`` (the 10th by default) of the next
month, Chongqing time, after which the month counts as complete with the missing districts
named. A township's month is its district's.

What follows from it:

* pages and the briefing default to the latest complete month of the area shown;
* year-on-year and month-on-month figures are never computed from a partial month: they are
  shown as "—" with the reason. A partial month against a complete one compares the districts
  that reported with all of them (one district's January read as "同比下降95.3%"), and borrowing
  the latest complete month's figure would put another month's number under this month's title.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core import parameters, reference
from bangfu.core.months import parse_month, shift_month
from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE
from bangfu.engine.kpi import ratios
from bangfu.monitoring.choices import MonthReportState
from bangfu.monitoring.clock import programme_today
from bangfu.monitoring.models import MonthReport
from bangfu.registry.choices import RegionGroup

DEFAULT_DEADLINE_DAY = 10
REPORTED = gettext_noop("{reported}/{total} 个区县已报送")
REPORTED_ONE = gettext_noop("{district}已报送")
MISSING_ONE = gettext_noop("{district}未报送")
WHY_NO_YOY = gettext_noop("本月尚未报送完毕（{reported}），暂不计算同比")
WHY_NO_YOY_BEFORE = gettext_noop("上年同月数据不完整，不计算同比")
WHY_NO_MOM = gettext_noop("本月尚未报送完毕（{reported}），暂不计算环比")
WHY_NO_MOM_BEFORE = gettext_noop("上月尚未报送完毕，暂不计算环比")

def area_districts(code: str) -> tuple[str, ...]:
    """The districts whose reports make ``code``'s month complete, in the division table's order."""
    divisions = reference.divisions()
    if code == CITY_CODE:
        return tuple(sorted(c for c, row in divisions.items() if row["parent_code"] == CITY_CODE))
    if code in RegionGroup.values:
        return tuple(sorted(c for c, row in divisions.items()
                            if row["parent_code"] == CITY_CODE and row["region_group"] == code))
    district = code[:6]
    return (district,) if district in divisions else ()


def deadline_day() -> int:
    day = int(parameters.get("MONTH_CLOSE_DEADLINE_DAY", DEFAULT_DEADLINE_DAY))  # 参数设置, else settings
    return min(max(day, 1), 28)


def month_deadline(month: str) -> dt.date:
    """The last day on which districts report ``month``: the deadline day of the next month."""
    year, mon = parse_month(shift_month(month, 1))
    return dt.date(year, mon, min(deadline_day(), calendar.monthrange(year, mon)[1]))


@dataclass(frozen=True)
class MonthStatus:
    """The reports of one month for one area."""

    month: str
    area: str
    districts: tuple[str, ...]
    reported: frozenset[str]
    deadline: dt.date
    deadline_passed: bool

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(d for d in self.districts if d not in self.reported)

    @property
    def districts_total(self) -> int:
        return len(self.districts)

    @property
    def districts_reported(self) -> int:
        return self.districts_total - len(self.missing)

    @property
    def all_reported(self) -> bool:
        return not self.missing

    @property
    def complete(self) -> bool:
        return self.all_reported or self.deadline_passed

    @property
    def missing_names(self) -> list[str]:
        return [area_name(d) for d in self.missing]

    @property
    def deadline_label(self) -> str:
        return _("{year}年{month}月{day}日").format(year=self.deadline.year, month=self.deadline.month,
                                                 day=self.deadline.day)

    @property
    def reported_label(self) -> str:
        """12/38 个区县已报送"""
        return _(REPORTED).format(reported=self.districts_reported, total=self.districts_total)

    @property
    def progress_label(self) -> str:
        """``reported_label`` of a city or zone; 丰都县未报送 / 丰都县已报送 of a district or township."""
        if self.districts_total != 1:
            return self.reported_label
        name = area_name(self.districts[0])
        return _(REPORTED_ONE if self.all_reported else MISSING_ONE).format(district=name)

    def to_json(self) -> dict:
        """The keys added to ``bangfu kpi show --json`` and the API summary."""
        return {
            "complete": self.complete,
            "districts_reported": self.districts_reported,
            "districts_total": self.districts_total,
            "missing": [{"code": d, "name": area_name(d)} for d in self.missing],
        }


class ReportBook:
    """Which districts closed which months, read once for the months asked for.

    A month that was not asked for is read when first needed (one query for it).
    """

    def __init__(self, months: Iterable[str] = (), *, today: dt.date | None = None):
        self.today = today or programme_today()
        self._closed: dict[str, frozenset[str]] = {}
        self.load(months)

    def load(self, months: Iterable[str]) -> None:
        wanted = {m for m in months if m not in self._closed}
        if not wanted:
            return
        found: dict[str, set[str]] = {m: set() for m in wanted}
        rows = MonthReport.objects.filter(month__in=wanted, state=MonthReportState.CLOSED).values_list(
            "month", "district_code")
        for month, district in rows:
            found[month].add(district)
        self._closed.update({m: frozenset(d) for m, d in found.items()})

    def status(self, month: str, code: str) -> MonthStatus:
        self.load([month])
        deadline = month_deadline(month)
        return MonthStatus(month=month, area=code, districts=area_districts(code), reported=self._closed[month],
                           deadline=deadline, deadline_passed=self.today > deadline)

    def complete(self, month: str, code: str) -> bool:
        return self.status(month, code).complete

    def comparable(self, month: str, code: str, months_back: int) -> bool:
        """Both ``month`` and the month ``months_back`` before it are complete for ``code``."""
        return self.complete(month, code) and self.complete(shift_month(month, -months_back), code)

    def honest_ratios(self, values: dict, *, month: str, code: str) -> dict:
        """``engine.kpi.ratios`` without the year-on-year and month-on-month figures that would
        come from a partial month."""
        out = ratios(values)
        if out["yoy"] is not None and not self.comparable(month, code, 12):
            out["yoy"] = None
        if out["mom"] is not None and not self.comparable(month, code, 1):
            out["mom"] = None
        return out

    def why_not_compared(self, month: str, code: str, months_back: int) -> str:
        """Why the year on year (12) or month on month (1) of ``month`` is not shown; "" if it is."""
        status = self.status(month, code)
        if not status.complete:
            template = WHY_NO_YOY if months_back == 12 else WHY_NO_MOM
            return _(template).format(reported=status.progress_label)
        if not self.complete(shift_month(month, -months_back), code):
            return _(WHY_NO_YOY_BEFORE if months_back == 12 else WHY_NO_MOM_BEFORE)
        return ""


def month_status(*, month: str, code: str, today: dt.date | None = None) -> MonthStatus:
    return ReportBook([month], today=today).status(month, code)


def latest_complete_month(*, code: str, months: Iterable[str], today: dt.date | None = None) -> str | None:
    """The newest of ``months`` that is complete for ``code``."""
    months = sorted(set(months), reverse=True)
    book = ReportBook(months, today=today)
    return next((m for m in months if book.complete(m, code)), None)


def default_month(*, code: str, months: Iterable[str], today: dt.date | None = None) -> str | None:
    """The month a page shows when none is asked for: the latest complete month of the area;
    the latest month with data (shown as partial) when none is complete yet."""
    months = sorted(set(months), reverse=True)
    return latest_complete_month(code=code, months=months, today=today) or (months[0] if months else None)


def months_to_report(*, district: str, months: Iterable[str], today: dt.date | None = None) -> list[str]:
    """Months with data that ``district`` has not closed and whose deadline has not passed, newest first."""
    months = sorted(set(months), reverse=True)
    book = ReportBook(months, today=today)
    return [m for m in months if not book.status(m, district).complete]
