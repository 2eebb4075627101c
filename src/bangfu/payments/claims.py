"""Payable claims: what ``payments`` pays, whichever app the claim comes from.

A *claim* is one row of some app's model that owes money to one payee: a policy entitlement
today, a welfare-post month or a training allowance tomorrow. The app describes its model once
with a ``ClaimType`` and lists it in its ``hooks.py``::

    # bangfu/policies/hooks.py
    PAYABLE_CLAIMS = [EntitlementClaims()]

and ``payments`` finds it there through ``bangfu.core.hooks`` (it never imports the app). A
claim type tells payments

* which claims of a *scope* (e.g. one policy and year, ``transport_subsidy/2024``) an actor may
  pay now (``claimable``), and what each one is: amount, payee (a person, paid into their payee
  account, an employer, paid into its corporate account, or a payee whose account the claim type
  gives itself, such as a helper's) and area (``lines``);
* its own state values (``ready``, ``paying``, ``paid``, ``failed``), so that every payment event
  moves the claim by compare-and-set in the same transaction (``on_payment_event``);
* the purpose written in the bank file, and optionally the texts to send once paid.

``Payment.claim_type`` stores ``ClaimType.code``: it must never change once payments exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

from bangfu.core.actors import Actor
from bangfu.core.hooks import ListHook

# What happened to a claim's payment (the argument of ``ClaimType.on_payment_event``).
BATCHED = "batched"      # taken into a batch (from ready; a re-batch from failed)
PAID = "paid"            # the bank's return says paid
FAILED = "failed"        # the bank's return says failed
REVERSED = "reversed"    # a paid payment came back (退汇)
CANCELLED = "cancelled"  # its batch was withdrawn before it reached the bank
EVENTS = (BATCHED, PAID, FAILED, REVERSED, CANCELLED)


@dataclass(frozen=True)
class ClaimLine:
    """One claim as payments needs it: what to pay, to whom, and whose area it is in."""

    claim_id: int
    amount_fen: int
    district_code: str
    township_code: str = ""
    person_id: int | None = None    # paid into this person's payee account, or
    employer_id: int | None = None  # into this employer's corporate account, or
    # into an account the claim type names itself (a helper's own account, 帮扶人员奖补): the
    # payee's name, bank, account (the plain digits, only in memory), its hash and when it was set
    payee_name: str = ""
    bank_name: str = ""
    account: str = ""
    account_hash: str = ""
    account_updated_at: Any = None


class ClaimType:
    """Describes one payable model to ``payments``; subclass it and list an instance in
    ``<app>/hooks.py`` as ``PAYABLE_CLAIMS``."""

    code: str = ""                 # stored in Payment.claim_type
    label: Any = ""                # Chinese, shown beside each payment
    batch_url_name = ""            # the app's page where batches of these claims are made
    # Counts in 政策兑现资金 / 惠及人次 (``policy_paid_yuan_ytd``): subsidies and allowances do;
    # pay for work done (公益性岗位补贴) is reported by its own app's figure instead.
    policy_funds = True
    model: type[models.Model]      # the payable model; its pk is Payment.claim_id
    status_field = "status"
    amount_field = "amount_fen"
    # The claim's own values of the four states payments moves it between.
    ready = "approved"
    paying = "paying"
    paid = "paid"
    failed = "failed"

    def claimable(self, *, actor: Actor, scope: str, rebatch: bool) -> models.QuerySet:
        """Claims of ``scope`` in the actor's area waiting to be paid (``rebatch``: waiting to be
        paid again after a failure). Payments locks them and checks their state again."""
        raise NotImplementedError

    def lines(self, claims: Sequence[models.Model]) -> list[ClaimLine]:
        """What payments needs of each claim (in the same order)."""
        raise NotImplementedError

    def purpose(self, scope: str) -> str:
        """The "用途" of the bank file and the batch pages, e.g. "交通补贴（2024年）"."""
        return str(self.label)

    def paid_notices(self, *, batch, payments: Sequence[Any]) -> dict[int, Any]:
        """{payment id: ``outbox.services.SealedMessage``} to queue when these lines are paid.
        Called before the write lock; none by default."""
        return {}

    def transitions(self, *, rebatch: bool) -> dict[str, tuple[str, str]]:
        """event -> (expected state, new state) of the claim."""
        origin = self.failed if rebatch else self.ready
        return {
            BATCHED: (origin, self.paying),
            PAID: (self.paying, self.paid),
            FAILED: (self.paying, self.failed),
            REVERSED: (self.paid, self.failed),
            CANCELLED: (self.paying, origin),
        }

    def on_payment_event(self, *, event: str, claim_ids: Sequence[int], rebatch: bool = False) -> int:
        """Move the claims for ``event`` by compare-and-set; returns how many moved. Payments
        treats any other count than ``len(claim_ids)`` as a concurrent change and rolls back."""
        expected, new = self.transitions(rebatch=rebatch)[event]
        return compare_and_set(self.model, self.status_field, claim_ids, expected=expected, new=new)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code}>"


def compare_and_set(model: type[models.Model], field: str, ids: Sequence[int], *, expected: str, new: str) -> int:
    """``UPDATE … SET field = new WHERE field = expected AND pk IN ids`` in chunks; rows changed.

    Plain SQL: tens of thousands of claims move at once in a bank return, and SQLite allows
    about 32,000 parameters per statement."""
    meta = model._meta
    qn = connection.ops.quote_name
    column = qn(meta.get_field(field).column)
    changed = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            chunk = list(ids[start:start + 5000])
            cursor.execute(f"UPDATE {qn(meta.db_table)} SET {column} = %s WHERE {column} = %s "
                           f"AND {qn(meta.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                           [new, expected, *chunk])
            changed += cursor.rowcount
    return changed


# Every app's ``PAYABLE_CLAIMS`` (``bangfu/<app>/hooks.py``), unique by code.
PAYABLE_CLAIMS = ListHook("PAYABLE_CLAIMS", key=lambda kind: kind.code)


def claim_types() -> dict[str, ClaimType]:
    """code -> claim type, from every installed app (a code given twice is an error)."""
    return {kind.code: kind for kind in PAYABLE_CLAIMS.items()}


def claim_type(code: str) -> ClaimType:
    try:
        return claim_types()[code]
    except KeyError:
        raise ImproperlyConfigured(f"no app contributes the claim type {code!r} (PAYABLE_CLAIMS)") from None
