"""Policies as data: CEL conditions and amounts compiled to Ibis, explained with celpy.

    policy = definition.from_yaml(text)              # validated on load (CelError with position)
    table = evaluate.eligible(engine, policy, "2024")  # Ibis: beneficiary_id, ..., amount_fen
    exp = explain_beneficiary(engine, policy, "2024", person_id)

Django-free (DESIGN.md §6).
"""

from __future__ import annotations

from bangfu.engine.policy.cel import CelError
from bangfu.engine.policy.definition import DefinitionError, PolicyDefinition, from_mapping, from_yaml
from bangfu.engine.policy.evaluate import eligible, feature_rows, summarise
from bangfu.engine.policy.explain import CelEvaluator, Explanation, explain_row


def explain_beneficiary(engine, policy: PolicyDefinition, period: str, beneficiary_id: int) -> Explanation:
    """Read one beneficiary's feature values set-based and explain the decision with celpy."""
    rows = feature_rows(engine, engine, policy, period, [beneficiary_id])
    return explain_row(policy, period, beneficiary_id, rows.get(int(beneficiary_id)))


__all__ = [
    "CelError", "CelEvaluator", "DefinitionError", "Explanation", "PolicyDefinition", "eligible",
    "explain_beneficiary", "explain_row", "feature_rows", "from_mapping", "from_yaml", "summarise",
]
