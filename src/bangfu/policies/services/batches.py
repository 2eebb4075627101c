"""Paying approved entitlements: a payment batch of one policy and year (``bangfu.payments``
does the paying; the entitlement is its claim, see ``policies.payables``)."""

from __future__ import annotations

from bangfu.core.actors import Actor
from bangfu.payments.services import BatchResult, payment_batch_create
from bangfu.policies.models import Policy
from bangfu.policies.payables import CLAIM_TYPE, scope_of


def entitlement_batch_create(*, actor: Actor, policy: Policy, period: str, rebatch: bool = False,
                             include_uncorrected: bool = False) -> BatchResult:
    """A payment batch of the approved (``rebatch``: failed) entitlements of ``policy`` and
    ``period`` in the actor's area; see ``payments.services.payment_batch_create``."""
    return payment_batch_create(actor=actor, claim_type=CLAIM_TYPE, scope=scope_of(policy, period),
                                rebatch=rebatch, include_uncorrected=include_uncorrected)
