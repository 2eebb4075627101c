"""Writes of the subsidies app; each function runs in one transaction and writes its audit row
(policy runs write their entitlements in one transaction after the engine has read; see runs)."""

from bangfu.policies.services.approvals import entitlement_approve, entitlement_reject, entitlement_revert
from bangfu.policies.services.definitions import (
    example_definitions, policy_create, policy_load, policy_load_examples, policy_set_active,
    policy_version_create,
)
from bangfu.policies.services.payments import (
    enterprise_bank_account_set, payee_account_set, payment_batch_create, payment_batch_export,
    payment_batch_reconcile,
)
from bangfu.policies.services.runs import PolicyRunError, policy_run, run_json
from bangfu.policies.services.settlement import BankResult, BankReturnRefused, payment_results_apply, payment_reverse

__all__ = [
    "BankResult", "BankReturnRefused", "PolicyRunError", "enterprise_bank_account_set", "entitlement_approve",
    "entitlement_reject", "entitlement_revert", "example_definitions", "payee_account_set", "payment_batch_create",
    "payment_batch_export", "payment_batch_reconcile", "payment_results_apply", "payment_reverse", "policy_create",
    "policy_load", "policy_load_examples", "policy_run", "policy_set_active", "policy_version_create", "run_json",
]
