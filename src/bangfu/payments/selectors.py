"""Reads of payments, always restricted to the user's area (outside it: 404)."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from bangfu.payments import choices as c
from bangfu.payments.claims import claim_types
from bangfu.payments.models import Payment, PaymentBatch


def batch_list(*, user, claim_type: str = "", scope: str = "", status: str = "") -> QuerySet[PaymentBatch]:
    qs = PaymentBatch.objects.restrict(user).select_related("created_by")
    if claim_type:
        qs = qs.filter(claim_type=claim_type)
    if scope:
        qs = qs.filter(scope=scope)
    if status:
        qs = qs.filter(status=status)
    return qs


def batch_get(*, user, pk: int) -> PaymentBatch:
    return get_object_or_404(batch_list(user=user), pk=pk)


def batch_payments(*, user, batch: PaymentBatch, status: str = "") -> QuerySet[Payment]:
    qs = Payment.objects.restrict(user).filter(batch=batch)
    return qs.filter(status=status) if status else qs


def payment_list(*, user, claim_type: str = "", scope: str = "") -> QuerySet[Payment]:
    """Payments of the user's area (of one claim type, and one batch scope)."""
    qs = Payment.objects.restrict(user)
    if claim_type:
        qs = qs.filter(claim_type=claim_type)
    if scope:
        qs = qs.filter(batch__scope=scope)
    return qs


def failed_payments(*, user) -> QuerySet[Payment]:
    """Failed or reversed bank payments whose claim still waits for a corrected account and a
    re-batch (its own state is still "failed")."""
    waiting = [Q(claim_type=code, claim_id__in=kind.model._default_manager.filter(
                   **{kind.status_field: kind.failed}).values("pk"))
               for code, kind in claim_types().items()]
    if not waiting:
        return Payment.objects.none()
    return (Payment.objects.restrict(user).filter(reduce(or_, waiting), status__in=c.PAYMENT_FAILED_STATUSES)
            .select_related("batch", "payee_person", "payee_person__payee_account", "payee_employer")
            .order_by("township_code", "-settled_at"))


def claim_label(code: str) -> str:
    """The Chinese name of a claim type (its code when no app contributes it any more)."""
    kind = claim_types().get(code)
    return str(kind.label) if kind is not None else code
