"""Placement months as payable claims (``bangfu.payments.claims``).

A batch pays the approved post pay of one month (scope ``"YYYY-MM"``) in the officer's area,
into each person's payee account, through the same pipeline as the subsidies: bank file, bank
return, re-batch of the failed lines, reconciliation.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.months import is_month, month_label
from bangfu.payments.claims import ClaimLine, ClaimType
from bangfu.posts import choices as c
from bangfu.posts.models import PostPay

CLAIM_TYPE = "welfare_post_pay"
PURPOSE = gettext_noop("公益性岗位补贴（{month}）")
ERR_SCOPE = gettext_noop("支付范围应为年月（YYYY-MM）：{scope}")
S = c.PayStatus


class PostPayClaims(ClaimType):
    code = CLAIM_TYPE
    label = gettext_lazy("公益性岗位补贴")
    batch_url_name = "posts:pay"
    policy_funds = False  # monthly pay for work: welfare_post_paid_yuan_ytd, not 政策兑现资金
    model = PostPay
    ready = S.APPROVED.value
    paying = S.PAYING.value
    paid = S.PAID.value
    failed = S.FAILED.value

    def claimable(self, *, actor: Actor, scope: str, rebatch: bool):
        if not is_month(scope):
            raise ValidationError(_(ERR_SCOPE).format(scope=scope))
        return (PostPay.objects.restrict(actor)
                .filter(month=scope, status=self.failed if rebatch else self.ready)
                .order_by("district_code", "township_code", "id"))

    def lines(self, claims: Sequence[PostPay]) -> list[ClaimLine]:
        return [ClaimLine(claim_id=p.pk, amount_fen=p.amount_fen, district_code=p.district_code,
                          township_code=p.township_code, person_id=p.person_id) for p in claims]

    def purpose(self, scope: str) -> str:
        return _(PURPOSE).format(month=month_label(scope) if is_month(scope) else scope)
