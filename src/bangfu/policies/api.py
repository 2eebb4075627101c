"""Subsidies API at /api/v1/policies/: the feature catalogue, policies, runs (preview/commit),
entitlements (area-restricted), explanations and the paid figures for the dashboard."""


import datetime as dt
from typing import Literal

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from bangfu.core.pagination import ApiPagination
from bangfu.core.reference import area_name
from bangfu.engine import features as ft
from bangfu.policies import choices as c
from bangfu.policies import selectors
from bangfu.policies.services import policy_run, run_json

router = Router(tags=["policies"])

StatusValue = Literal[tuple(c.EntitlementStatus.values)]  # type: ignore[valid-type]
EngineValue = Literal[tuple(c.Engine.values)]  # type: ignore[valid-type]
KindValue = Literal[tuple(c.BeneficiaryKind.values)]  # type: ignore[valid-type]


class FeatureOut(Schema):
    kind: str
    name: str
    signature: str
    type: str
    label: str
    description: str
    example: str


class PolicyOut(Schema):
    code: str
    name: str
    legal_basis: str
    beneficiary_kind: str
    version: int
    condition: str
    amount: str
    budget_yuan: float | None
    note: str
    active: bool


class RunIn(Schema):
    period: str = Field(..., pattern=r"^\d{4}$", description="年度，如 2024")
    engine: EngineValue | None = Field(None, description="计算引擎（默认为系统设置的引擎）")
    commit: bool = Field(False, description="写入待遇（重复运行不会重复写入）")
    area: str | None = Field(None, pattern=r"^50(\d{4}|\d{7})?$", description="区域代码，默认本人辖区")


class DistrictOut(Schema):
    district_code: str
    district: str
    count: int
    total_yuan: float


class RunOut(Schema):
    run: int
    policy: str
    version: int
    period: str
    area: str
    engine: str
    mode: str
    status: str
    eligible: int
    total_yuan: float
    created: int
    already_existed: int
    by_district: list[DistrictOut]
    messages: list[str]
    seconds: float
    error: str


class EntitlementOut(Schema):
    id: int
    policy: str
    period: str
    beneficiary_kind: str
    beneficiary_id: int
    beneficiary_name: str
    district_code: str
    township_code: str
    amount_yuan: float
    status: str
    created_at: dt.datetime
    decision_reason: str

    @staticmethod
    def resolve_policy(obj) -> str:
        return obj["policy"] if isinstance(obj, dict) else obj.policy.code

    @staticmethod
    def resolve_amount_yuan(obj) -> float:
        return obj["amount_yuan"] if isinstance(obj, dict) else obj.amount_fen / 100


class EntitlementFilterIn(Schema):
    policy: str | None = Field(None, max_length=50)
    period: str | None = Field(None, pattern=r"^\d{4}$")
    status: StatusValue | None = None
    township: str | None = Field(None, pattern=r"^50\d{7}$")


class FigureRow(Schema):
    key: str
    name: str = ""
    times: int
    yuan: float


class FiguresOut(Schema):
    year: int
    times: int
    yuan: float
    by_policy: list[FigureRow]
    by_district: list[FigureRow]
    by_month: list[FigureRow]


def _policy_out(p) -> dict:
    v = p.current_version
    return {"code": p.code, "name": v.name, "legal_basis": v.legal_basis, "beneficiary_kind": v.beneficiary_kind,
            "version": v.number, "condition": v.condition, "amount": v.amount,
            "budget_yuan": v.budget_fen / 100 if v.budget_fen is not None else None, "note": v.note, "active": p.active}


def _entitlement_out(e) -> dict:
    return {"id": e.pk, "policy": e.policy.code, "period": e.period, "beneficiary_kind": e.beneficiary_kind,
            "beneficiary_id": e.beneficiary_id, "beneficiary_name": e.beneficiary_name,
            "district_code": e.district_code, "township_code": e.township_code, "amount_yuan": e.amount_fen / 100,
            "status": e.status, "created_at": e.created_at, "decision_reason": e.decision_reason}


@router.get("/features", response=list[FeatureOut], summary="特征目录")
def feature_list(request: HttpRequest, kind: KindValue | None = None):
    return [{"kind": f.kind, "name": f.name, "signature": f.signature, "type": f.type, "label": f.label,
             "description": f.description, "example": f.example} for f in ft.CATALOGUE if not kind or f.kind == kind]


@router.get("/policies", response=list[PolicyOut], summary="补贴政策")
def policy_list(request: HttpRequest):
    return [_policy_out(p) for p in selectors.policy_list() if p.current_version]


@router.get("/policies/{code}", response=PolicyOut, summary="一项政策（现行版本）")
def policy_detail(request: HttpRequest, code: str):
    policy = selectors.policy_get(code=code)
    if policy.current_version is None:
        raise Http404
    return _policy_out(policy)


@router.post("/policies/{code}/runs", response={200: RunOut, 400: dict, 403: dict}, summary="试算或生成待遇")
def run_create(request: HttpRequest, code: str, payload: RunIn):
    policy = selectors.policy_get(code=code)
    run = policy_run(policy=policy, period=payload.period, actor=request.user, commit=payload.commit,
                     engine=payload.engine, area_code=payload.area or request.user.area_code)
    return Status(200, run_json(run))


@router.get("/runs/{run_id}", response=RunOut, summary="运行结果")
def run_detail(request: HttpRequest, run_id: int):
    return run_json(selectors.run_get(user=request.user, pk=run_id))


@router.get("/entitlements", response=list[EntitlementOut], summary="补贴待遇（本辖区）")
@paginate(ApiPagination)
def entitlement_list(request: HttpRequest, filters: Query[EntitlementFilterIn]):
    return selectors.entitlement_list(user=request.user, data=filters.dict(), strict=True).order_by("id")


@router.get("/entitlements/{entitlement_id}", response=EntitlementOut, summary="一条补贴待遇")
def entitlement_detail(request: HttpRequest, entitlement_id: int):
    return _entitlement_out(selectors.entitlement_get(user=request.user, pk=entitlement_id))


@router.get("/explain/{kind}/{beneficiary_id}", summary="为什么符合或不符合（逐项条件）")
def explain(request: HttpRequest, kind: KindValue, beneficiary_id: int, policy: str, period: str = Query(..., pattern=r"^\d{4}$")):
    p = get_object_or_404(selectors.policy_list(), code=policy)
    _b, exp, entitlement = selectors.explanation(user=request.user, policy=p, period=period, kind=kind, pk=beneficiary_id)
    data = exp.to_json()
    data["entitlement"] = _entitlement_out(entitlement) if entitlement else None
    return data


@router.get("/figures", response=FiguresOut, summary="发放统计：按政策、区县、月份")
def figures(request: HttpRequest, year: int | None = Query(None, ge=2000, le=2100)):
    data = selectors.paid_figures(user=request.user, year=year)
    return {
        "year": data["year"], "times": data["total"]["times"], "yuan": data["total"]["fen"] / 100,
        "by_policy": [{"key": r["code"], "name": r["name"] or "", "times": r["times"], "yuan": r["fen"] / 100} for r in data["by_policy"]],
        "by_district": [{"key": r["district_code"], "name": area_name(r["district_code"]), "times": r["times"],
                         "yuan": r["fen"] / 100} for r in data["by_district"]],
        "by_month": [{"key": r["month"], "times": r["times"], "yuan": r["fen"] / 100} for r in data["by_month"]],
    }
