"""What payments contributes to core (``bangfu.core.hooks``): its code lists. (Payable claims
come *to* payments from the other apps' hooks: ``payments.claims.PAYABLE_CLAIMS``.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.hooks import CodeList
from bangfu.payments import choices as c

CODE_LISTS = [
    CodeList("payment_batch_status", _("支付批次状态"), c.BatchStatus, order=80),
    CodeList("payment_status", _("支付状态"), c.PaymentStatus, order=81),
]
