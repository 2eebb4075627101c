"""Reads of monitoring, restricted to the user's area. The dashboard reads only KPI tables.

An area the user may not see is a 404 (``Http404``), never a 403. The city user sees every
area including the three zones (一区两群); a district user their district and its townships.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from bangfu.core import reference
from bangfu.core.months import months_ending, shift_month
from bangfu.core.scoping import CITY_CODE, area_contains
from bangfu.engine.kpi import ratios
from bangfu.monitoring import completeness
from bangfu.monitoring.choices import FillStateChoice, MonthReportState
from bangfu.monitoring.completeness import MonthStatus, ReportBook
from bangfu.monitoring.figures import figures_json, figures_of
from bangfu.monitoring.models import EmploymentMonth, KpiArea, KpiBreakdown, KpiFillState
from bangfu.registry.choices import RegionGroup

TREND_MONTHS = 24
SUMMARY_DIMENSIONS = ("place_class", "channel", "region_group", "cooperation_region")


# ---- areas -------------------------------------------------------------------------------------------
def area_level(code: str) -> str:
    if code == CITY_CODE:
        return "city"
    if code in RegionGroup.values:
        return "region_group"
    return "district" if len(code) == 6 else "township"


def area_path(code: str) -> list[str]:
    """Codes from the city down to ``code``: 50 → zone → district → township."""
    if code == CITY_CODE:
        return [CITY_CODE]
    if code in RegionGroup.values:
        return [CITY_CODE, code]
    district = code[:6]
    zone = reference.divisions().get(district, {}).get("region_group", "")
    path = [CITY_CODE] + ([zone] if zone else []) + [district]
    return path + ([code] if len(code) == 9 else [])


def user_area(user) -> str:
    return getattr(user, "area_code", "") or ""


def user_may_see(user, code: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    area = user_area(user)
    if area == CITY_CODE:
        return True
    return bool(area) and area_contains(area, code)


def area_check(*, user, code: str) -> str:
    """``code`` if the user may see it (and it is an area bangfu knows), else 404."""
    if not reference.is_area(code) or not user_may_see(user, code):
        raise Http404("area")
    return code


def visible_path(*, user, code: str) -> list[str]:
    """The drill-down breadcrumb the user may walk (a district user starts at the district)."""
    return [c for c in area_path(code) if user_may_see(user, c)]


# ---- KPI rows ------------------------------------------------------------------------------------------
def kpi_months(*, user=None) -> list[str]:
    """Months that have KPI rows, newest first: also while a refill is running or due (each
    month is rewritten in one transaction, so its rows are always complete)."""
    return list(KpiFillState.objects.filter(area_rows__gt=0).order_by("-month")
                .values_list("month", flat=True))


def dashboard_version() -> tuple:
    """Changes whenever the fill writes a month (it stamps ``started_at``), an import marks one
    stale (one DONE fewer), a monthly report is closed or re-opened, or the day changes
    (deadlines pass at midnight, Chongqing time). The key of the cached dashboards and their
    pages, read on each request: one raw statement (ORM aggregates cost more to compile than
    to run)."""
    from django.db import connection

    from bangfu.monitoring.clock import programme_today
    from bangfu.monitoring.models import MonthReport

    fill, report = KpiFillState._meta.db_table, MonthReport._meta.db_table
    sql = (
        f"SELECT (SELECT MAX(started_at) FROM {fill}), (SELECT MAX(finished_at) FROM {fill}), "
        f"(SELECT COUNT(*) FROM {fill}), (SELECT COUNT(*) FROM {fill} WHERE state = %s), "
        f"(SELECT SUM(area_rows) FROM {fill}), (SELECT MAX(updated_at) FROM {report}), "
        f"(SELECT COUNT(*) FROM {report}), (SELECT COUNT(*) FROM {report} WHERE state = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [FillStateChoice.DONE.value, MonthReportState.CLOSED.value])
        row = cursor.fetchone()
    return (programme_today(), *row)


def kpi_default_month(*, user, code: str) -> str | None:
    """The month shown when none is asked for: the latest complete month of ``code``
    (``completeness.default_month``)."""
    area_check(user=user, code=code)
    return completeness.default_month(code=code, months=kpi_months(user=user))


def kpi_default_month_unrestricted(*, code: str) -> str | None:
    """For the command line."""
    return completeness.default_month(code=code, months=kpi_months())


def month_status(*, user, month: str, code: str) -> MonthStatus:
    """Which districts of ``code`` have reported ``month``."""
    area_check(user=user, code=code)
    return completeness.month_status(month=month, code=code)



def kpi_stale_months() -> list[str]:
    return list(KpiFillState.objects.exclude(state=FillStateChoice.DONE).order_by("month")
                .values_list("month", flat=True))


def kpi_area_get(*, user, month: str, code: str) -> KpiArea | None:
    """The KPI row of an area in a month; None when the month has no data (not zeros)."""
    area_check(user=user, code=code)
    return KpiArea.objects.filter(month=month, area_code=code).first()


def kpi_trend(*, user, code: str, last: str, months: int = TREND_MONTHS) -> list[dict]:
    """One entry per month of the window ending at ``last``; months without data have None."""
    area_check(user=user, code=code)
    return kpi_trend_unrestricted(code=code, last=last, months=months)


def kpi_trend_unrestricted(*, code: str, last: str, months: int = TREND_MONTHS) -> list[dict]:
    """For the command line (an operator with the database sees every area)."""
    window = months_ending(last, months)
    rows = {r.month: r for r in KpiArea.objects.filter(area_code=code, month__in=window)}
    book = ReportBook(window + [shift_month(m, -12) for m in window])
    out = []
    for month in window:
        row = rows.get(month)
        out.append({
            "month": month,
            "employment_scale": row.employment_scale if row and row.employment_scale else None,
            "workers": row.workers if row else None,
            "employed_ytd": row.employed_ytd if row else None,
            "yoy": book.honest_ratios(_row_dict(row), month=month, code=code)["yoy"] if row else None,
            "complete": book.complete(month, code),
        })
    return out


def kpi_children(*, user, month: str, code: str) -> QuerySet[KpiArea]:
    """The next level down (zones of the city, districts of a zone, townships of a district),
    largest employment scale first."""
    area_check(user=user, code=code)
    return KpiArea.objects.restrict(user).filter(month=month, parent_code=code).order_by(
        "-employment_scale", "area_code")


def kpi_districts(*, user, month: str, code: str) -> QuerySet[KpiArea]:
    """Districts inside the city or a zone (the district bars); a district's townships."""
    area_check(user=user, code=code)
    return _districts(KpiArea.objects.restrict(user), month=month, code=code)


def kpi_districts_unrestricted(*, month: str, code: str) -> QuerySet[KpiArea]:
    """For the command line (an operator with the database sees every area)."""
    return _districts(KpiArea.objects.all(), month=month, code=code)


def _districts(qs: QuerySet[KpiArea], *, month: str, code: str) -> QuerySet[KpiArea]:
    qs = qs.filter(month=month)
    level = area_level(code)
    if level == "city":
        qs = qs.filter(area_level="district")
    elif level == "region_group":
        qs = qs.filter(area_level="district", parent_code=code)
    else:
        qs = qs.filter(parent_code=code)
    return qs.order_by("-employment_scale", "area_code")


def kpi_breakdowns(*, user, month: str, code: str) -> dict[str, dict[str, int]]:
    """{dimension: {key: employment scale}} of one area and month, largest first."""
    area_check(user=user, code=code)
    out: dict[str, dict[str, int]] = {}
    rows = KpiBreakdown.objects.filter(month=month, area_code=code).order_by(
        "dimension", "-employment_scale", "key").values_list("dimension", "key", "employment_scale")
    for dimension, key, value in rows:
        out.setdefault(dimension, {})[key] = value
    return out


def _row_dict(row: KpiArea | None) -> dict:
    if row is None:
        return {}
    return {f: getattr(row, f) for f in (
        "employment_scale", "workers", "target", "scale_last_year", "scale_last_month",
        "wage_income_fen", "total_income_fen")}


@dataclass(frozen=True)
class KpiSummary:
    month: str
    area: str
    row: KpiArea | None
    breakdowns: dict[str, dict[str, int]]
    book: ReportBook
    figures: dict = field(default_factory=dict)  # the programmes' figures (monitoring.figures)

    @property
    def has_data(self) -> bool:
        return self.row is not None and self.row.employment_scale > 0

    @property
    def status(self) -> MonthStatus:
        return self.book.status(self.month, self.area)

    @property
    def ratios(self) -> dict:
        """Year on year and month on month only between complete months."""
        return self.book.honest_ratios(_row_dict(self.row), month=self.month, code=self.area) if self.row \
            else dict.fromkeys(("target_completion", "yoy", "mom", "wage_income_share", "employment_rate"))

    def why_not_compared(self, months_back: int) -> str:
        return self.book.why_not_compared(self.month, self.area, months_back)

    def to_json(self) -> dict:
        """The object of ``bangfu kpi show --json`` (ratios as fractions: 1.09, not 109)."""
        row = self.row if self.has_data else None
        r = self.ratios if row else dict.fromkeys(("target_completion", "yoy", "wage_income_share"))
        return {
            "month": self.month,
            "area": self.area,
            "workers": row.workers if row else None,
            "employment_scale": row.employment_scale if row else None,
            "employed_ytd": row.employed_ytd if row else None,
            "target": row.target if row else None,
            "target_completion": r["target_completion"],
            "yoy": r["yoy"],
            "wage_income_share": r["wage_income_share"],
            "by_place_class": self.breakdowns.get("place_class", {}) if row else {},
            "by_channel": self.breakdowns.get("channel", {}) if row else {},
            "by_region_group": self.breakdowns.get("region_group", {}) if row else {},
            "by_cooperation_region": self.breakdowns.get("cooperation_region", {}) if row else {},
            **figures_json(self.figures),
            **self.status.to_json(),
        }


def kpi_summary(*, user, month: str, code: str = CITY_CODE) -> KpiSummary:
    area_check(user=user, code=code)
    return kpi_summary_unrestricted(month=month, code=code)


def kpi_summary_unrestricted(*, month: str, code: str = CITY_CODE) -> KpiSummary:
    """For the command line (an operator with the database sees every area)."""
    row = KpiArea.objects.filter(month=month, area_code=code).first()
    breakdowns: dict[str, dict[str, int]] = {}
    for dimension, key, value in KpiBreakdown.objects.filter(month=month, area_code=code).order_by(
            "dimension", "-employment_scale", "key").values_list("dimension", "key", "employment_scale"):
        breakdowns.setdefault(dimension, {})[key] = value
    book = ReportBook([month, shift_month(month, -1), shift_month(month, -12)])
    return KpiSummary(month=month, area=code, row=row, breakdowns=breakdowns, book=book,
                      figures=figures_of(month=month, code=code))


# ---- facts of one person (the person page) ----------------------------------------------------------
def person_employment(*, user, person) -> QuerySet[EmploymentMonth]:
    return EmploymentMonth.objects.restrict(user).filter(person=person).order_by("-month")
