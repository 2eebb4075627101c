"""Migration 0002: tokens made before expiry existed get 90 days from the migration."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("accounts", "0001_initial")]
AFTER = [("accounts", "0002_apitoken_expiry")]


@pytest.fixture
def back_to_latest():
    """Leave the test database fully migrated for the tests after this one."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_tokens_expire_ninety_days_after_the_migration(back_to_latest):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    User = old_apps.get_model("accounts", "User")
    ApiToken = old_apps.get_model("accounts", "ApiToken")
    user = User.objects.create(username="before_expiry", area_code="50")
    ApiToken.objects.create(user=user, key_hash="h" * 64, prefix="oldtoken")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    started = timezone.now()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    token = new_apps.get_model("accounts", "ApiToken").objects.get(prefix="oldtoken")
    assert started + dt.timedelta(days=90) <= token.expires_at <= timezone.now() + dt.timedelta(days=90)
    assert token.revoked_at is None and not token.revoked
