"""Payments API at /api/v1/payments/: batches of any claim type and their lines (area-restricted;
accounts masked), and the failed payments waiting for a corrected account. Writes (batches,
bank files, returns, reversals) stay on the pages and the command line, where they are audited
with their files."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from bangfu.core.pagination import ApiPagination
from bangfu.payments import choices as c
from bangfu.payments import selectors

router = Router(tags=["payments"])
MAX_ID = 2**63 - 1

BatchStatusValue = Literal[tuple(c.BatchStatus.values)]  # type: ignore[valid-type]
PaymentStatusValue = Literal[tuple(c.PaymentStatus.values)]  # type: ignore[valid-type]


class BatchOut(Schema):
    id: int
    number: str
    claim_type: str
    scope: str
    purpose: str
    area_code: str
    status: str
    is_rebatch: bool
    line_count: int
    total_yuan: float
    paid_count: int
    paid_yuan: float
    failed_count: int
    failed_yuan: float
    checksum: str
    created_at: dt.datetime
    exported_at: dt.datetime | None
    settled_at: dt.datetime | None
    reconciled_at: dt.datetime | None

    @staticmethod
    def resolve_total_yuan(obj) -> float:
        return obj.total_fen / 100

    @staticmethod
    def resolve_paid_yuan(obj) -> float:
        return obj.paid_fen / 100

    @staticmethod
    def resolve_failed_yuan(obj) -> float:
        return obj.failed_fen / 100


class PaymentOut(Schema):
    id: int
    batch: str
    line_no: int
    claim_type: str
    claim_id: int
    payee_name: str
    bank_name: str
    account: str = Field(..., description="脱敏银行账号")
    amount_yuan: float
    status: str
    failure_reason: str
    bank_reference: str
    settled_at: dt.datetime | None
    reversed_at: dt.datetime | None
    reversal_reason: str
    district_code: str
    township_code: str

    @staticmethod
    def resolve_batch(obj) -> str:
        return obj.batch.number

    @staticmethod
    def resolve_account(obj) -> str:
        return obj.account_masked

    @staticmethod
    def resolve_amount_yuan(obj) -> float:
        return obj.amount_fen / 100


class BatchFilterIn(Schema):
    claim_type: str | None = Field(None, max_length=40, description="支付事项类型，如 entitlement")
    scope: str | None = Field(None, max_length=100, description="支付范围，如 transport_subsidy/2024")
    status: BatchStatusValue | None = None


class LineFilterIn(Schema):
    status: PaymentStatusValue | None = None


@router.get("/batches", response=list[BatchOut], summary="支付批次（本辖区）")
@paginate(ApiPagination)
def batch_list(request: HttpRequest, filters: Query[BatchFilterIn]):
    return selectors.batch_list(user=request.user, claim_type=filters.claim_type or "", scope=filters.scope or "",
                                status=filters.status or "").order_by("id")


@router.get("/batches/{batch_id}", response=BatchOut, summary="一个支付批次")
def batch_detail(request: HttpRequest, batch_id: int = Path(..., ge=1, le=MAX_ID)):
    return selectors.batch_get(user=request.user, pk=batch_id)


@router.get("/batches/{batch_id}/payments", response=list[PaymentOut], summary="批次明细（账号脱敏）")
@paginate(ApiPagination)
def batch_payments(request: HttpRequest, filters: Query[LineFilterIn], batch_id: int = Path(..., ge=1, le=MAX_ID)):
    batch = selectors.batch_get(user=request.user, pk=batch_id)
    return selectors.batch_payments(user=request.user, batch=batch, status=filters.status or "").select_related("batch")


@router.get("/failed", response=list[PaymentOut], summary="发放失败待更正账户")
@paginate(ApiPagination)
def failed_list(request: HttpRequest):
    return selectors.failed_payments(user=request.user)
