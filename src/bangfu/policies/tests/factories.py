"""Factories and small worlds for the subsidies tests."""

from __future__ import annotations

from bangfu.core.actors import SYSTEM
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.payments.tests.factories import PayeeAccountFactory, bank_return
from bangfu.policies.models import Entitlement, Policy, PolicyRun
from bangfu.policies.services import example_definitions, policy_create
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

__all__ = ["FENGDU", "FENGDU_TOWNSHIP", "PayeeAccountFactory", "WANZHOU", "WANZHOU_TOWNSHIP", "bank_return"]


def example_policy(code: str = "transport_subsidy") -> Policy:
    """One of the shipped example policies, created through the service."""
    existing = Policy.objects.filter(code=code).first()
    if existing:
        return existing
    definition = next(d for d in example_definitions() if d.code == code)
    return policy_create(definition=definition, actor=SYSTEM)


def traveller(*, district: str = FENGDU, township: str = FENGDU_TOWNSHIP, place: str = "out_of_city",
              month: str = "2024-05", account: bool = True, **person):
    """A person who worked outside the home county in ``month`` (transport subsidy material)."""
    p = PersonFactory(district_code=district, township_code=township, **person)
    EmploymentMonthFactory(person=p, month=month, place_class=place,
                           destination_code="4403" if place in ("out_of_city",) else (
                               "500101" if place == "in_city" and district != "500101" else (
                                   "500230" if place == "in_city" else "")))
    if account:
        PayeeAccountFactory(person=p)
    return p


def entitlement_for(person, *, policy: Policy | None = None, period: str = "2024", amount_fen: int = 20000,
                    status: str = "pending") -> Entitlement:
    """An entitlement written directly (for review and payment tests that need no run)."""
    policy = policy or example_policy()
    run = PolicyRun.objects.create(policy=policy, version=policy.current_version, period=period,
                                   area_code="50", mode="commit", status="done")
    return Entitlement.objects.create(
        policy=policy, version=policy.current_version, run=run, period=period, beneficiary_kind="person",
        beneficiary_id=person.pk, person=person, district_code=person.district_code,
        township_code=person.township_code, amount_fen=amount_fen, status=status,
        facts={"category": person.category, "age": 39, "has_labour_ability": True, "worked_outside_county": True,
               "worked_outside_city": amount_fen == 20000},
    )
