"""Writes of the subsidies app; each function runs in one transaction and writes its audit row
(policy runs write their entitlements in one transaction after the engine has read; see runs).
Paying them is ``bangfu.payments``' work (``batches.entitlement_batch_create``)."""

from bangfu.policies.services.approvals import entitlement_approve, entitlement_reject, entitlement_revert
from bangfu.policies.services.batches import entitlement_batch_create
from bangfu.policies.services.definitions import (
    example_definitions, policy_create, policy_load, policy_load_examples, policy_set_active,
    policy_version_create,
)
from bangfu.policies.services.runs import PolicyRunError, policy_run, run_json

__all__ = [
    "PolicyRunError", "entitlement_approve", "entitlement_batch_create", "entitlement_reject", "entitlement_revert",
    "example_definitions", "policy_create", "policy_load", "policy_load_examples", "policy_run",
    "policy_set_active", "policy_version_create", "run_json",
]
