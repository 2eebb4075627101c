"""Entitlements as payable claims (``bangfu.payments.claims``): the first claim type.

A batch pays the approved entitlements of one policy and year (scope ``"<code>/<year>"``) in the
officer's area; a person is paid into their payee account, an enterprise into its corporate
account, a workshop into the account of the employer that runs it, a helper (the broker award)
into the helper's own account. Once paid, the person is
told by text "您已免申领取…" (no application was ever made).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.money import format_yuan
from bangfu.network.models import Helper, Workshop
from bangfu.outbox.services import SealedMessage, outbox_seal
from bangfu.payments.claims import ClaimLine, ClaimType
from bangfu.policies import choices as c
from bangfu.policies.models import Entitlement, Policy
from bangfu.registry.models import Person

CLAIM_TYPE = "entitlement"
SMS_KIND = "policies.paid"
SMS_PAID = gettext_noop("【帮扶】{name}您好，您已免申领取{policy}（{period}年）{amount}元，已发放至您尾号{last4}的银行账户，无需申请。如有疑问请联系当地人社部门。")
PURPOSE = gettext_noop("{policy}（{period}年）")
ERR_NO_POLICY = gettext_noop("政策“{code}”不存在")
S = c.EntitlementStatus


def scope_of(policy: Policy, period: str) -> str:
    return f"{policy.code}/{period}"


def scope_parts(scope: str) -> tuple[str, str]:
    """(policy code, period) of a batch scope."""
    code, _sep, period = scope.partition("/")
    return code, period


def _chunks(items: list, size: int = 5000):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class EntitlementClaims(ClaimType):
    code = CLAIM_TYPE
    label = gettext_lazy("补贴待遇")
    batch_url_name = "policies:batches"
    model = Entitlement
    ready = S.APPROVED.value
    paying = S.PAYING.value
    paid = S.PAID.value
    failed = S.FAILED.value

    def claimable(self, *, actor: Actor, scope: str, rebatch: bool):
        code, period = scope_parts(scope)
        policy = Policy.objects.filter(code=code).first()
        if policy is None:
            raise ValidationError(_(ERR_NO_POLICY).format(code=code))
        return (Entitlement.objects.restrict(actor).filter(policy=policy, period=period,
                                                            status=self.failed if rebatch else self.ready)
                .order_by("district_code", "township_code", "id"))

    def lines(self, claims: Sequence[Entitlement]) -> list[ClaimLine]:
        workshop_ids = sorted({e.workshop_id for e in claims if e.workshop_id})
        operators = dict(Workshop.objects.filter(pk__in=workshop_ids).values_list("pk", "employer_id"))
        helper_ids = sorted({e.helper_id for e in claims if e.helper_id})
        helpers = Helper.objects.in_bulk(helper_ids)
        lines = []
        for e in claims:
            helper = helpers.get(e.helper_id) if e.helper_id else None
            if helper is not None:  # a helper is paid into their own account (none: not payable yet)
                lines.append(ClaimLine(claim_id=e.pk, amount_fen=e.amount_fen, district_code=e.district_code,
                                       township_code=e.township_code, payee_name=helper.name,
                                       bank_name=helper.bank_name, account=helper.bank_account,
                                       account_hash=helper.bank_account_hash, account_updated_at=helper.updated_at))
                continue
            lines.append(ClaimLine(claim_id=e.pk, amount_fen=e.amount_fen, district_code=e.district_code,
                                   township_code=e.township_code, person_id=e.person_id,
                                   employer_id=e.employer_id or operators.get(e.workshop_id)))
        return lines

    def purpose(self, scope: str) -> str:
        code, period = scope_parts(scope)
        policy = Policy.objects.select_related("current_version").filter(code=code).first()
        return _(PURPOSE).format(policy=policy.name if policy else code, period=period)

    def paid_notices(self, *, batch, payments) -> dict[int, SealedMessage]:
        """"您已免申领取…" for each line paid to a person (an enterprise gets no text)."""
        persons: dict[int, Person] = {}
        for chunk in _chunks(sorted({p.payee_person_id for p in payments if p.payee_person_id})):
            persons.update({p.pk: p for p in Person.objects.filter(pk__in=chunk)
                            .only("id", "name", "phone", "township_code")})
        code, period = scope_parts(batch.scope)
        policy = Policy.objects.select_related("current_version").filter(code=code).first()
        policy_name = policy.name if policy else code
        out: dict[int, SealedMessage] = {}
        for p in payments:
            person = persons.get(p.payee_person_id)
            if person is None:
                continue
            body = _(SMS_PAID).format(name=person.name, policy=policy_name, period=period,
                                      amount=format_yuan(p.amount_fen), last4=p.account[-4:])
            out[p.pk] = outbox_seal(kind=SMS_KIND, body=body, person=person, area_code=person.township_code,
                                    dedup_key=f"{SMS_KIND}:{p.claim_id}")
        return out
