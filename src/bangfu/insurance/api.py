"""Social insurance API at /api/v1/insurance/: the coverage gaps (masked ID numbers), the premiums
paid on behalf (the policy's entitlements), platforms' declarations and injury cases. Every read
is restricted to the user's area; officers only (registry.edit)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from bangfu import codes
from bangfu.core.actors import require
from bangfu.core.capabilities import Capability
from bangfu.core.pagination import ApiPagination
from bangfu.insurance import selectors
from bangfu.insurance.services.errors import ERR_NO_EDIT

router = Router(tags=["insurance"])
ID = Path(..., ge=1, le=2**63 - 1)
Rule = Literal[codes.COVERAGE_RULE.values]  # type: ignore[valid-type]


def _reader(request) -> None:
    require(request.user, Capability.EDIT_REGISTRY, _(ERR_NO_EDIT))


class GapOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    id_number_masked: str = Field(..., alias="person.id_number_masked")
    district_code: str
    township_code: str
    year: int
    rule: Rule
    since: dt.date
    closed_on: dt.date | None


class GapFilterIn(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    rule: Rule | None = None


class OnBehalfOut(Schema):
    id: int
    person_id: int | None
    id_number_masked: str = Field(..., alias="person.id_number_masked")
    district_code: str
    township_code: str
    period: str
    amount_fen: int
    status: str


class DeclarationOut(Schema):
    id: int
    platform_id: int
    month: str
    orders: int
    insured_workers: int
    rate_fen: int
    premium_fen: int


class InjuryCaseOut(Schema):
    id: int
    platform_id: int
    worker_name: str
    id_number_masked: str
    injured_on: dt.date
    district_code: str
    stage: Literal[codes.INJURY_STAGE.values]  # type: ignore[valid-type]
    disability_grade: int | None
    benefit_fen: int


@router.get("/gaps", response=list[GapOut], summary="应保未保人员")
@paginate(ApiPagination)
def gap_list(request: HttpRequest, filters: Query[GapFilterIn]):
    _reader(request)
    return selectors.coverage_gap_list(user=request.user, year=filters.year, rule=filters.rule or "")


@router.get("/gaps/{gap_id}", response=GapOut, summary="一名应保未保人员")
def gap_detail(request: HttpRequest, gap_id: int = ID):
    _reader(request)
    return selectors.coverage_gap_get(user=request.user, pk=gap_id)


@router.get("/on-behalf", response=list[OnBehalfOut], summary="代缴城乡居民养老保险费名单")
@paginate(ApiPagination)
def on_behalf_list(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)):
    _reader(request)
    return selectors.on_behalf_list(user=request.user, year=year)


@router.get("/declarations", response=list[DeclarationOut], summary="平台订单申报")
@paginate(ApiPagination)
def declaration_list(request: HttpRequest, month: str = Query("", max_length=7)):
    _reader(request)
    return selectors.declaration_list(user=request.user, month=month)


@router.get("/injury-cases", response=list[InjuryCaseOut], summary="职业伤害案件")
@paginate(ApiPagination)
def injury_case_list(request: HttpRequest):
    _reader(request)
    return selectors.injury_case_list(user=request.user)


@router.get("/injury-cases/{case_id}", response=InjuryCaseOut, summary="一件职业伤害案件")
def injury_case_detail(request: HttpRequest, case_id: int = ID):
    _reader(request)
    return selectors.injury_case_get(user=request.user, pk=case_id)
