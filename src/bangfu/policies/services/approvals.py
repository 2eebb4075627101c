"""Review of entitlements by a district role: approve in bulk, reject with a reason, revert."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, Forbidden, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import area_level
from bangfu.policies import choices as c
from bangfu.policies.models import Entitlement

CAPABILITY_APPROVE = Capability.APPROVE_PAYMENTS
ERR_NO_APPROVE = gettext_noop("审核补贴需要区县或市级经办人员的审核权限")
ERR_REASON_REQUIRED = gettext_noop("请填写驳回或撤回的原因")
ERR_NOTHING_SELECTED = gettext_noop("没有选中可操作的待遇")
S = c.EntitlementStatus


def _check_approver(actor: Actor) -> None:
    """Approval is a district (or city) role: the capability and an area above township level."""
    require(actor, CAPABILITY_APPROVE, _(ERR_NO_APPROVE))
    if area_level(actor.area_code) == "township":
        raise Forbidden(_(ERR_NO_APPROVE))



def _selection(actor: Actor, ids: Iterable[int] | None, queryset: QuerySet | None) -> QuerySet:
    qs = Entitlement.objects.restrict(actor)
    if queryset is not None:
        qs = qs.filter(pk__in=queryset.values("pk"))
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs


def _decide(*, actor: Actor, ids, queryset, from_statuses, to_status, action, reason="") -> int:
    _check_approver(actor)
    qs = _selection(actor, ids, queryset).filter(status__in=from_statuses)
    # Lock the rows being decided (a no-op on SQLite, whose writes are serialised anyway).
    qs = qs.select_for_update()
    picked = list(qs.values_list("pk", flat=True))
    if not picked:
        raise ValidationError(_(ERR_NOTHING_SELECTED))
    total = Entitlement.objects.filter(pk__in=picked).aggregate(s=Sum("amount_fen"))["s"] or 0
    policies = sorted(set(Entitlement.objects.filter(pk__in=picked).values_list("policy__code", flat=True)))
    count = 0
    for start in range(0, len(picked), 5000):  # SQLite allows ~32k parameters per statement
        count += Entitlement.objects.filter(pk__in=picked[start:start + 5000], status__in=from_statuses).update(
            status=to_status, decided_by=actor_user(actor),
 decided_at=timezone.now(), decision_reason=reason[:300],
        )
    audit_record(actor=actor, action=action, area_code=actor.area_code,
                 detail={"count": count, "total_fen": total, "policies": policies,
                         "first_id": min(picked), "last_id": max(picked), "reason": reason[:200]})
    return count


@transaction.atomic
def entitlement_approve(*, actor: Actor, ids: Iterable[int] | None = None, queryset: QuerySet | None = None) -> int:
    """Approve the selected pending entitlements of the actor's area; returns how many."""
    return _decide(actor=actor, ids=ids, queryset=queryset, from_statuses=[S.PENDING], to_status=S.APPROVED,
                   action="entitlement.approve")


@transaction.atomic
def entitlement_reject(*, actor: Actor, reason: str, ids: Iterable[int] | None = None,
                       queryset: QuerySet | None = None) -> int:
    """Reject the selected pending (or approved, not yet batched) entitlements, with a reason."""
    if not (reason or "").strip():
        raise ValidationError(_(ERR_REASON_REQUIRED))
    return _decide(actor=actor, ids=ids, queryset=queryset, from_statuses=[S.PENDING, S.APPROVED],
                   to_status=S.REJECTED, action="entitlement.reject", reason=reason.strip())


@transaction.atomic
def entitlement_revert(*, actor: Actor, reason: str, ids: Iterable[int] | None = None,
                       queryset: QuerySet | None = None) -> int:
    """Put approved (not yet batched) or rejected entitlements back to review, with a reason."""
    if not (reason or "").strip():
        raise ValidationError(_(ERR_REASON_REQUIRED))
    return _decide(actor=actor, ids=ids, queryset=queryset, from_statuses=[S.APPROVED, S.REJECTED],
                   to_status=S.PENDING, action="entitlement.revert", reason=reason.strip())
