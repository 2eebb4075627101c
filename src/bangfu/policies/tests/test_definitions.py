"""Policies as versioned data: created and changed through services, CEL checked on save."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied

from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.engine.policy.definition import DefinitionError
from bangfu.policies.models import Policy, PolicyVersion
from bangfu.policies.services import (
    example_definitions, policy_create, policy_load_examples, policy_version_create,
)

pytestmark = pytest.mark.django_db


def transport():
    return next(d for d in example_definitions() if d.code == "transport_subsidy")


def test_loading_the_examples_creates_eight_policies_and_a_second_load_changes_nothing():
    # Two of them are shipped by the insurance app (bangfu/insurance/policies), one by the network
    # app (bangfu/network/policies).
    assert policy_load_examples(actor=SYSTEM) == {
        "employer_insurance_subsidy": "created", "pension_premium_on_behalf": "created",
        "transport_subsidy": "created", "workshop_award": "created", "job_retention_refund": "created",
        "workshop_build_grant_recognition": "created", "workshop_build_grant_operation": "created",
        "broker_outflow_award": "created"}
    assert set(policy_load_examples(actor=SYSTEM).values()) == {"unchanged"}
    assert PolicyVersion.objects.count() == 8


def test_a_change_is_saved_as_a_new_version_in_force_and_the_old_one_is_kept(make_user):
    admin = make_user(role="city_admin")
    policy = policy_create(definition=transport(), actor=admin)
    v2 = policy_version_create(policy=policy, definition=replace(transport(), amount="worked_outside_city ? 300 : 80"),
                               actor=admin, change_reason="提高标准")
    policy.refresh_from_db()
    assert policy.current_version == v2 and v2.number == 2
    assert PolicyVersion.objects.get(policy=policy, number=1).amount.startswith("worked_outside_city ? 200")
    assert AuditLog.objects.filter(action="policy.version_create", object_id=str(policy.pk)).exists()


def test_a_policy_with_bad_cel_is_refused_with_the_position_and_nothing_is_saved(make_user):
    bad = replace(transport(), condition="age >= 16 && months_worked(\"overseas\") > 0")
    with pytest.raises(DefinitionError) as info:
        policy_create(definition=bad, actor=make_user(role="city_admin"))
    error = info.value.errors[0]
    assert (error.field_name, error.line, error.column) == ("condition", 1, 14)
    assert "overseas" in error.message
    assert not Policy.objects.exists()


def test_only_a_policy_maker_may_save_policies(make_user):
    with pytest.raises(PermissionDenied):
        policy_create(definition=transport(), actor=make_user(role="district_officer", area_code="500230"))


def test_saving_an_unchanged_version_is_refused():
    policy = policy_create(definition=transport(), actor=SYSTEM)
    with pytest.raises(DefinitionError):
        policy_version_create(policy=policy, definition=transport(), actor=SYSTEM)
