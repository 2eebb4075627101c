"""KPI API at /api/v1/kpi/: the pre-aggregated KPI tables and the briefing, area-restricted.

An area outside the caller's area is a 404 like an unknown one. Ratios are fractions
(1.09, not 109); a month without data gives nulls, never zeros.
"""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from bangfu import codes
from bangfu.core.months import API_MONTH_PATTERN
from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE
from bangfu.engine.kpi import ratios
from bangfu.monitoring import briefing, selectors

router = Router(tags=["monitoring"])

AREA = rf"^(50|50\d{{4}}|50\d{{7}}|{'|'.join(codes.REGION_GROUP.values)})$"


class MonthArea(Schema):
    month: str = Field(..., pattern=API_MONTH_PATTERN, description="月份 YYYY-MM")
    area: str = Field(CITY_CODE, pattern=AREA, description="区域：50 重庆市、一区两群、区县或乡镇代码")


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


class TrendPoint(Schema):
    month: str
    employment_scale: int | None
    workers: int | None
    employed_ytd: int | None
    yoy: float | None


class Briefing(Schema):
    month: str
    area: str
    area_name: str
    has_data: bool
    paragraphs: list[str]


def _area_row(row) -> dict:
    values = {f: getattr(row, f) for f in (
        "month", "area_code", "area_level", "parent_code", "workers", "employment_scale",
        "employed_ytd", "scale_last_year", "scale_last_month", "target", "income_year",
        "wage_income_fen", "total_income_fen")}
    r = ratios(values)
    values.update(area_name=area_name(row.area_code), target_completion=r["target_completion"],
                  yoy=r["yoy"], mom=r["mom"], wage_income_share=r["wage_income_share"])
    return values


@router.get("/months", response=list[str], summary="已计算指标的月份（新到旧）")
def months(request):
    return selectors.kpi_months(user=request.user)


@router.get("/summary", response=Summary, summary="某月某区域的主要指标和分组（同 bangfu kpi show --json）")
def summary(request, q: Query[MonthArea]):
    return selectors.kpi_summary(user=request.user, month=q.month, code=q.area).to_json()


@router.get("/area", response=AreaRow | None, summary="某月某区域的指标行（无数据为 null）")
def area(request, q: Query[MonthArea]):
    row = selectors.kpi_area_get(user=request.user, month=q.month, code=q.area)
    return _area_row(row) if row else None


@router.get("/children", response=list[AreaRow], summary="下一级区域（全市→一区两群→区县→乡镇）")
def children(request, q: Query[MonthArea]):
    return [_area_row(r) for r in selectors.kpi_children(user=request.user, month=q.month, code=q.area)]


@router.get("/breakdowns", response=dict[str, dict[str, int]],
            summary="务工规模分组：务工地点、就业渠道、一区两群、劳务协作地区、跨区域流向")
def breakdowns(request, q: Query[MonthArea]):
    return selectors.kpi_breakdowns(user=request.user, month=q.month, code=q.area)


@router.get("/trend", response=list[TrendPoint], summary="截至某月的近24个月务工规模")
def trend(request, q: Query[MonthArea]):
    return selectors.kpi_trend(user=request.user, code=q.area, last=q.month)


@router.get("/briefing", response=Briefing, summary="月度简报段落（中文）")
def briefing_text(request, q: Query[MonthArea]):
    brief = briefing.briefing_for(month=q.month, code=q.area, user=request.user)
    return {"month": q.month, "area": q.area, "area_name": brief.area_name,
            "has_data": brief.has_data, "paragraphs": briefing.paragraphs(brief)}
