"""Migration 0003: a filled database keeps every user's rights when roles become data."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bangfu.core.capabilities import Capability
from bangfu.core.scoping import area_q

BEFORE = [("accounts", "0002_apitoken_expiry")]
AFTER = [("accounts", "0003_access_roles")]

# The rights of the five roles before the migration (accounts.choices.ROLE_CAPABILITIES as it was),
# written out here so that a change of the seed or of the live table cannot hide a lost right.
BEFORE_RIGHTS = {
    "city_admin": set(Capability.values) - {"registry.view"},
    "district_officer": {"pii.view_full", "registry.import", "registry.edit", "policies.approve",
                         "monitoring.import", "jobs.manage", "jobs.service", "arrears.handle"},
    "township_officer": {"pii.view_full", "registry.import", "registry.edit", "monitoring.import",
                         "jobs.service"},
    "broker": {"jobs.service"},
    "auditor": {"audit.view"},
}
USERS = [("city_admin", "50"), ("district_officer", "500230"), ("township_officer", "500230001"),
         ("broker", "500230"), ("broker", "500230001"), ("auditor", "50"), ("auditor", "500101")]


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_every_user_keeps_their_capabilities_and_their_area(back_to_latest):
    from bangfu.accounts.models import User
    from bangfu.registry.models import Household, Person

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_user = executor.loader.project_state(BEFORE).apps.get_model("accounts", "User")
    for i, (role, area) in enumerate(USERS):
        old_user.objects.create(username=f"before_roles_{i}", role=role, area_code=area)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    for i, (role, area) in enumerate(USERS):
        user = User.objects.get(username=f"before_roles_{i}")
        had = BEFORE_RIGHTS[role] | {"registry.view"}  # everyone read the registry before it was named
        has = {cap.value for cap in Capability if user.has_capability(cap)}
        assert has == had, (role, has ^ had)
        for model in (Person, Household):  # the rows they see: their area and below, as before
            assert str(model.objects.restrict(user).query) == str(model.objects.filter(
                area_q(model, area)).query), (role, area)
