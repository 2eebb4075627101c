"""KPI API at /api/v1/kpi/: the pre-aggregated KPI tables, the briefing and the monthly reports
(报送), area-restricted.

An area outside the caller's area is a 404 like an unknown one. Ratios are fractions
(1.09, not 109); a month without data gives nulls, never zeros. Without ``month`` the latest
complete month of the area is meant; year on year and month on month are null for a partial
month. A ``month`` that is not ``YYYY-MM`` (2024-13, abc) is a 422.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from bangfu import codes
from bangfu.core.api_schemas import ErrorOut
from bangfu.core.months import API_MONTH_PATTERN
from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE
from bangfu.monitoring import briefing, selectors
from bangfu.monitoring.completeness import ReportBook
from bangfu.monitoring.services import MonthReportError, month_close, month_reopen

router = Router(tags=["monitoring"])
ERR_NO_MONTH = "还没有计算过任何月份的指标"

AREA = rf"^(50|50\d{{4}}|50\d{{7}}|{'|'.join(codes.REGION_GROUP.values)})$"


class MonthArea(Schema):
    month: str | None = Field(None, pattern=API_MONTH_PATTERN,
                              description="月份 YYYY-MM（默认：该区域最近一个数据完整的月份）")
    area: str = Field(CITY_CODE, pattern=AREA, description="区域：50 重庆市、一区两群、区县或乡镇代码")


class MissingDistrict(Schema):
    code: str
    name: str


class Summary(Schema):
    month: str
    area: str
    workers: int | None
    employment_scale: int | None
    employed_ytd: int | None
    target: int | None
    target_completion: float | None
    yoy: float | None
    wage_income_share: float | None
    by_place_class: dict[str, int]
    by_channel: dict[str, int]
    by_region_group: dict[str, int]
    by_cooperation_region: dict[str, int]
    complete: bool = Field(..., description="所有区县已报送，或已过报送截止日")
    districts_reported: int
    districts_total: int
    missing: list[MissingDistrict]


class MonthStatusOut(Schema):
    month: str
    area: str
    complete: bool
    districts_reported: int
    districts_total: int
    missing: list[MissingDistrict]
    deadline: dt.date = Field(..., description="报送截止日：过后未报送完毕的月份也计为完整")


class ReportIn(Schema):
    district: str = Field(..., pattern=r"^50\d{4}$", description="区县代码")
    month: str = Field(..., pattern=API_MONTH_PATTERN, description="月份 YYYY-MM")


class ReopenIn(ReportIn):
    reason: str = Field(..., min_length=1, max_length=300, description="退回原因")


class ReportOut(Schema):
    district: str
    month: str
    state: str
    closed_at: dt.datetime
    closed_by: str
    reopened_at: dt.datetime | None
    reopen_reason: str


class AreaRow(Schema):
    month: str
    area_code: str
    area_name: str
    area_level: str
    parent_code: str
    workers: int
    employment_scale: int
    employed_ytd: int
    scale_last_year: int | None
    scale_last_month: int | None
    target: int | None
    target_completion: float | None
    yoy: float | None
    mom: float | None
    income_year: int
    wage_income_share: float | None
    complete: bool


class TrendPoint(Schema):
    month: str
    employment_scale: int | None
    workers: int | None
    employed_ytd: int | None
    yoy: float | None
    complete: bool


class Briefing(Schema):
    month: str
    area: str
    area_name: str
    has_data: bool
    complete: bool
    paragraphs: list[str]


def _area_row(row, book: ReportBook) -> dict:
    values = {f: getattr(row, f) for f in (
        "month", "area_code", "area_level", "parent_code", "workers", "employment_scale",
        "employed_ytd", "scale_last_year", "scale_last_month", "target", "income_year",
        "wage_income_fen", "total_income_fen")}
    r = book.honest_ratios(values, month=row.month, code=row.area_code)
    values.update(area_name=area_name(row.area_code), target_completion=r["target_completion"],
                  yoy=r["yoy"], mom=r["mom"], wage_income_share=r["wage_income_share"],
                  complete=book.complete(row.month, row.area_code))
    return values


def _month(request: HttpRequest, q: MonthArea) -> str:
    """The month asked for, else the latest complete month of the area (404 when nothing is filled)."""
    month = q.month or selectors.kpi_default_month(user=request.user, code=q.area)
    if month is None:
        selectors.area_check(user=request.user, code=q.area)
        raise HttpError(404, ERR_NO_MONTH)
    return month


def _report_out(report) -> dict:
    return {"district": report.district_code, "month": report.month, "state": report.state,
            "closed_at": report.closed_at, "closed_by": report.closed_by_name,
            "reopened_at": report.reopened_at, "reopen_reason": report.reopen_reason}


@router.get("/months", response=list[str], summary="已计算指标的月份（新到旧）")
def months(request):
    return selectors.kpi_months(user=request.user)


@router.get("/summary", response=Summary, summary="某月某区域的主要指标和分组（同 bangfu kpi show --json）")
def summary(request, q: Query[MonthArea]):
    return selectors.kpi_summary(user=request.user, month=_month(request, q), code=q.area).to_json()


@router.get("/status", response=MonthStatusOut, summary="某月某区域的报送情况（已报送区县数、未报送区县）")
def status(request, q: Query[MonthArea]):
    month = _month(request, q)
    s = selectors.month_status(user=request.user, month=month, code=q.area)
    return {"month": month, "area": q.area, "deadline": s.deadline, **s.to_json()}


@router.get("/area", response=AreaRow | None, summary="某月某区域的指标行（无数据为 null）")
def area(request, q: Query[MonthArea]):
    month = _month(request, q)
    row = selectors.kpi_area_get(user=request.user, month=month, code=q.area)
    return _area_row(row, ReportBook([month])) if row else None


@router.get("/children", response=list[AreaRow], summary="下一级区域（全市→一区两群→区县→乡镇）")
def children(request, q: Query[MonthArea]):
    month = _month(request, q)
    book = ReportBook([month])
    return [_area_row(r, book) for r in selectors.kpi_children(user=request.user, month=month, code=q.area)]


@router.get("/breakdowns", response=dict[str, dict[str, int]],
            summary="务工规模分组：务工地点、就业渠道、一区两群、劳务协作地区、跨区域流向")
def breakdowns(request, q: Query[MonthArea]):
    return selectors.kpi_breakdowns(user=request.user, month=_month(request, q), code=q.area)


@router.get("/trend", response=list[TrendPoint], summary="截至某月的近24个月务工规模")
def trend(request, q: Query[MonthArea]):
    return selectors.kpi_trend(user=request.user, code=q.area, last=_month(request, q))


@router.get("/briefing", response=Briefing, summary="月度简报段落（中文）")
def briefing_text(request, q: Query[MonthArea]):
    month = _month(request, q)
    brief = briefing.briefing_for(month=month, code=q.area, user=request.user)
    return {"month": month, "area": q.area, "area_name": brief.area_name, "has_data": brief.has_data,
            "complete": brief.status.complete, "paragraphs": briefing.paragraphs(brief)}


@router.post("/reports/close", response={200: ReportOut, 403: ErrorOut, 422: ErrorOut},
             summary="区县报送某月数据（需务工监测导入权限，区县或市级）")
def report_close(request, body: ReportIn):
    selectors.area_check(user=request.user, code=body.district)
    try:
        return Status(200, _report_out(month_close(actor=request.user, district=body.district, month=body.month)))
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except MonthReportError as exc:
        return Status(422, {"detail": str(exc)})


@router.post("/reports/reopen", response={200: ReportOut, 403: ErrorOut, 422: ErrorOut},
             summary="市级退回区县已报送的月份（须填写原因）")
def report_reopen(request, body: ReopenIn):
    selectors.area_check(user=request.user, code=body.district)
    try:
        return Status(200, _report_out(month_reopen(actor=request.user, district=body.district, month=body.month,
                                                    reason=body.reason)))
    except PermissionDenied as exc:
        return Status(403, {"detail": str(exc)})
    except MonthReportError as exc:
        return Status(422, {"detail": str(exc)})
