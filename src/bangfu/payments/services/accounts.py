"""Where money goes: a person's payee account (收款账户), and the account of each claim's payee
(a person's payee account, an employer's corporate account, or the account the claim names)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.pii import BANK_ACCOUNT_RE, bank_account_normalise, pii_hash
from bangfu.employers.models import Employer
from bangfu.payments.claims import ClaimLine
from bangfu.payments.models import PayeeAccount
from bangfu.registry.models import Person

CAPABILITY_EDIT = Capability.EDIT_REGISTRY
ERR_ACCOUNT = gettext_noop("银行账号应为 8 到 32 位数字")
ERR_BANK_NAME = gettext_noop("请填写开户银行")
ERR_NO_EDIT = gettext_noop("您没有维护收款账户的权限")
ERR_NO_EDIT_EMPLOYER = gettext_noop("您没有维护单位账户的权限")
ACCOUNT_RE = BANK_ACCOUNT_RE
normalise_account = bank_account_normalise


def account_clean(value: str) -> str:
    """The account's digits; raises ValidationError (field ``account``) unless 8 to 32 of them."""
    account = normalise_account(value)
    if not ACCOUNT_RE.match(account):
        raise ValidationError({"account": _(ERR_ACCOUNT)})
    return account


@transaction.atomic
def payee_account_set(*, actor: Actor, person: Person, bank_name: str, account: str) -> PayeeAccount:
    """Set (or correct) the account a person's payments are paid into."""
    require(actor, CAPABILITY_EDIT, _(ERR_NO_EDIT))
    account = account_clean(account)
    if not (bank_name or "").strip():
        raise ValidationError({"bank_name": _(ERR_BANK_NAME)})
    existing = PayeeAccount.objects.filter(person=person).first()
    digest = pii_hash(account)
    changed = existing is None or existing.account_hash != digest or existing.bank_name != bank_name.strip()
    if existing is None:
        existing = PayeeAccount(person=person)
    existing.bank_name = bank_name.strip()
    existing.account = account
    existing.account_hash = digest
    existing.updated_by = actor_user(actor)
    existing.save()
    if changed:
        audit_record(actor=actor, action="payee_account.set", obj=person,
                     detail={"bank_name": existing.bank_name, "account_last4": account[-4:]})
    return existing


@transaction.atomic
def employer_account_set(*, actor: Actor, employer: Employer, bank_name: str, account: str) -> Employer:
    """Set the corporate account an employer's payments (enterprise subsidies) are paid into."""
    require(actor, CAPABILITY_EDIT, _(ERR_NO_EDIT_EMPLOYER))
    account = account_clean(account)
    employer.bank_name = bank_name.strip()
    employer.bank_account = account
    employer.bank_account_hash = pii_hash(account)
    employer.save(update_fields=["bank_name", "bank_account", "bank_account_hash", "updated_at"])
    audit_record(actor=actor, action="employer.bank_account_set", obj=employer,
                 detail={"bank_name": employer.bank_name, "account_last4": account[-4:]})
    return employer


@dataclass
class Payee:
    name: str
    bank_name: str
    account: str
    account_hash: str
    updated_at: object = None
    person_id: int | None = None
    employer_id: int | None = None


def _chunked(ids: Iterable[int], size: int = 5000) -> Iterable[list[int]]:
    ids = sorted(set(ids))
    for start in range(0, len(ids), size):  # SQLite caps the parameters of one statement
        yield ids[start:start + size]


def payees_for(lines: list[ClaimLine]) -> dict[int, Payee]:
    """{claim id: payee} for the claims whose payee has an account to pay into."""
    accounts: dict[int, PayeeAccount] = {}
    for chunk in _chunked(x.person_id for x in lines if x.person_id):
        accounts.update({a.person_id: a for a in PayeeAccount.objects.filter(person_id__in=chunk).select_related("person")})
    employers: dict[int, Employer] = {}
    for chunk in _chunked(x.employer_id for x in lines if x.employer_id):
        employers.update(Employer.objects.in_bulk(chunk))
    out: dict[int, Payee] = {}
    for line in lines:
        if line.person_id:
            a = accounts.get(line.person_id)
            if a is not None:
                out[line.claim_id] = Payee(a.person.name, a.bank_name, a.account, a.account_hash, a.updated_at,
                                           person_id=line.person_id)
        elif line.employer_id:
            firm = employers.get(line.employer_id)
            if firm is not None and firm.bank_account:
                out[line.claim_id] = Payee(firm.name, firm.bank_name, firm.bank_account, firm.bank_account_hash,
                                           firm.updated_at, employer_id=firm.pk)
        elif line.account:
            out[line.claim_id] = Payee(line.payee_name, line.bank_name, line.account, line.account_hash,
                                       line.account_updated_at)
    return out
