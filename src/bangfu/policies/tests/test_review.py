"""Review of entitlements by a district role: approve in bulk, reject with a reason, revert."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.core.models import AuditLog
from bangfu.policies.models import Entitlement
from bangfu.policies.services import entitlement_approve, entitlement_reject, entitlement_revert
from bangfu.policies.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, entitlement_for
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


@pytest.fixture
def people():
    return [PersonFactory() for _ in range(5)]


def test_a_district_officer_approves_in_bulk_and_one_audit_row_records_it(people, officer):
    ents = [entitlement_for(p) for p in people]
    n = entitlement_approve(actor=officer, ids=[e.pk for e in ents])
    assert n == 5
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"approved"}
    log = AuditLog.objects.get(action="entitlement.approve")
    assert log.detail["count"] == 5 and log.detail["total_fen"] == 100_000


def test_rejecting_needs_a_reason_and_keeps_it(people, officer):
    e = entitlement_for(people[0])
    with pytest.raises(ValidationError):
        entitlement_reject(actor=officer, ids=[e.pk], reason="  ")
    entitlement_reject(actor=officer, ids=[e.pk], reason="已外出务工满一年，不在本县")
    e.refresh_from_db()
    assert (e.status, e.decision_reason, e.decided_by) == ("rejected", "已外出务工满一年，不在本县", officer)


def test_a_wrong_decision_can_be_reverted_with_a_reason(people, officer):
    e = entitlement_for(people[0])
    entitlement_reject(actor=officer, ids=[e.pk], reason="误判")
    entitlement_revert(actor=officer, ids=[e.pk], reason="复核后符合条件")
    e.refresh_from_db()
    assert e.status == "pending"


def test_a_township_officer_cannot_approve(people, make_user):
    e = entitlement_for(people[0])
    with pytest.raises(PermissionDenied):
        entitlement_approve(actor=make_user(role="township_officer", area_code=FENGDU_TOWNSHIP), ids=[e.pk])


def test_an_officer_cannot_approve_another_districts_entitlements(make_user):
    e = entitlement_for(PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP))
    with pytest.raises(ValidationError):
        entitlement_approve(actor=make_user(role="district_officer", area_code=FENGDU), ids=[e.pk])
    e.refresh_from_db()
    assert e.status == "pending"
