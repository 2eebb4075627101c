"""API tokens: expiry, revocation, and a last use that is recorded without making reads wait."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import ApiToken
from bangfu.accounts.tokens import (
    ERR_TOKEN_ALREADY_REVOKED, ERR_TOKEN_DAYS, token_create, token_revoke, user_for_token,
)
from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.registry.tests.factories import FENGDU, PersonFactory

PERSONS = "/api/v1/registry/persons"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN")


def writes(captured) -> list[str]:
    """The statements that write (or open a write transaction) among the captured ones."""
    return [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]


def token_of(key: str) -> ApiToken:
    return ApiToken.objects.get(prefix=key[:8])


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


@pytest.mark.django_db
def test_a_new_token_is_valid_for_ninety_days_and_its_creation_is_audited(officer):
    before = timezone.now()
    key = token_create(user=officer, name="对接", actor=SYSTEM)
    token = token_of(key)
    assert before + dt.timedelta(days=90) <= token.expires_at <= timezone.now() + dt.timedelta(days=90)
    audit = AuditLog.objects.get(action="token.create")
    assert audit.object_id == str(token.pk) and audit.actor_name == "system"
    assert audit.detail["prefix"] == key[:8] and audit.detail["days"] == 90
    assert key not in str(audit.detail)


@pytest.mark.django_db
def test_the_default_lifetime_is_a_setting(officer, settings):
    settings.BANGFU = {**settings.BANGFU, "API_TOKEN_DAYS": 7}
    token = token_of(token_create(user=officer))
    assert token.expires_at - token.created_at < dt.timedelta(days=7, minutes=1)


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, -1, 3651])
def test_a_lifetime_outside_one_day_to_ten_years_is_refused(officer, days):
    with pytest.raises(ValueError, match=ERR_TOKEN_DAYS):
        token_create(user=officer, days=days)
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_an_expired_token_gets_401(client, officer):
    key = token_create(user=officer, days=1)
    assert client.get(PERSONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(PERSONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert user_for_token(key) is None


@pytest.mark.django_db
def test_a_revoked_token_gets_401_and_the_revocation_is_audited(client, officer, make_user):
    key = token_create(user=officer)
    admin = make_user(username="admin1")
    assert client.get(PERSONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
    token_revoke(token=token_of(key), actor=admin)
    assert client.get(PERSONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    token = token_of(key)
    assert token.revoked and token.revoked_at is not None and token.state() == "revoked"
    audit = AuditLog.objects.get(action="token.revoke")
    assert audit.actor == admin and audit.object_id == str(token.pk) and audit.area_code == FENGDU


@pytest.mark.django_db
def test_revoking_a_revoked_token_is_an_error_and_writes_no_second_audit_row(officer):
    token = token_of(token_create(user=officer))
    token_revoke(token=token, actor=officer)
    with pytest.raises(ValueError, match=ERR_TOKEN_ALREADY_REVOKED):
        token_revoke(token=token, actor=officer)
    assert AuditLog.objects.filter(action="token.revoke").count() == 1


@pytest.mark.django_db
def test_a_token_of_a_deactivated_user_gets_401(client, officer):
    key = token_create(user=officer)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert client.get(PERSONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


@pytest.mark.django_db
def test_the_last_use_is_recorded_at_most_once_per_interval(officer):
    key = token_create(user=officer)
    assert token_of(key).last_used_at is None
    user_for_token(key)
    first = token_of(key).last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as captured:
        assert user_for_token(key) == officer
    assert writes(captured) == [] and token_of(key).last_used_at == first
    # Five minutes later (the default interval) the next use is recorded again.
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=5, seconds=1))
    user_for_token(key)
    assert token_of(key).last_used_at > first


@pytest.mark.django_db
def test_the_interval_between_recorded_uses_is_a_setting(officer, settings):
    settings.BANGFU = {**settings.BANGFU, "API_TOKEN_TOUCH_SECONDS": 3600}
    key = token_create(user=officer)
    user_for_token(key)
    recorded = token_of(key).last_used_at
    ApiToken.objects.update(last_used_at=recorded - dt.timedelta(minutes=30))
    user_for_token(key)
    assert token_of(key).last_used_at == recorded - dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_plain_api_reads_write_nothing_with_a_session_or_a_recently_used_token(client, officer):
    person = PersonFactory()
    key = token_create(user=officer)
    user_for_token(key)  # the first use is recorded; the reads below are within the interval
    client.force_login(officer)
    paths = [PERSONS, f"{PERSONS}/{person.pk}", reverse("registry:person_list"),
             reverse("registry:person_detail", args=[person.pk])]
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        assert writes(captured) == [], (path, writes(captured))
    token_client = client.__class__()
    for path in paths[:2]:
        with CaptureQueriesContext(connection) as captured:
            assert token_client.get(path, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200
        assert writes(captured) == [], (path, writes(captured))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite write lock")
@pytest.mark.django_db(transaction=True)
def test_a_due_last_use_is_skipped_while_another_connection_holds_the_write_lock(officer):
    key = token_create(user=officer)
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            busy_before = cursor.fetchone()[0]
        assert user_for_token(key) == officer
        assert token_of(key).last_used_at is None
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == busy_before > 0  # restored after the no-wait try
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    user_for_token(key)
    assert token_of(key).last_used_at is not None


@pytest.mark.django_db
def test_a_bad_token_is_refused_even_beside_a_valid_session(client, officer, make_user):
    other = make_user(username="someone_else")
    key = token_create(user=other)
    token_revoke(token=token_of(key), actor=other)
    client.force_login(officer)
    assert client.get(PERSONS).status_code == 200
    assert client.get(PERSONS, HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    assert client.get(PERSONS, HTTP_AUTHORIZATION="Token not-a-key").status_code == 401
