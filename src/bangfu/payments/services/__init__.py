"""Writes of payments; each function runs in one transaction and writes its audit row."""

from bangfu.payments.services.accounts import (
    ACCOUNT_RE, Payee, account_clean, employer_account_set, normalise_account, payee_account_set, payees_for,
)
from bangfu.payments.services.batches import (
    BatchResult, Check, batch_checksum, check_payer, payment_batch_cancel, payment_batch_create,
    payment_batch_export, payment_batch_reconcile,
)
from bangfu.payments.services.settlement import (
    BankResult, BankReturnRefused, paid_notices_prepare, payment_results_apply, payment_reverse,
)

__all__ = [
    "ACCOUNT_RE", "BankResult", "BankReturnRefused", "BatchResult", "Check", "Payee", "account_clean",
    "batch_checksum", "check_payer", "employer_account_set", "normalise_account", "paid_notices_prepare",
    "payee_account_set", "payees_for", "payment_batch_cancel", "payment_batch_create", "payment_batch_export",
    "payment_batch_reconcile", "payment_results_apply", "payment_reverse",
]
