"""core.locks: telling lock errors apart, retrying them, and trying a write without waiting."""

from __future__ import annotations

import os
import sqlite3

import pytest
from django.db import OperationalError, connection, transaction

from bangfu.core.locks import is_lock_error, no_lock_wait, retry_while_locked
from bangfu.core.models import Notice


class FakePgError(Exception):
    sqlstate = "55P03"


def pg_lock_error() -> OperationalError:
    exc = OperationalError("canceling statement due to lock timeout")
    exc.__cause__ = FakePgError()
    return exc


def test_sqlite_busy_and_postgres_lock_not_available_are_lock_errors():
    assert is_lock_error(OperationalError("database is locked"))
    assert is_lock_error(pg_lock_error())
    assert not is_lock_error(OperationalError("no such table: x"))
    assert not is_lock_error(ValueError("database is locked"))


def test_a_locked_call_is_retried_until_it_succeeds():
    attempts, retries = [], []

    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert retry_while_locked(flaky, wait_seconds=30, on_retry=retries.append) == "done"
    assert len(attempts) == 3 and len(retries) == 2


def test_an_error_that_is_not_a_lock_is_not_retried():
    attempts = []

    def broken():
        attempts.append(1)
        raise OperationalError("no such table: accounts_apitoken")

    with pytest.raises(OperationalError, match="no such table"):
        retry_while_locked(broken, wait_seconds=30)
    assert len(attempts) == 1


def test_retrying_gives_up_after_the_wait():
    attempts = []

    def always_locked():
        attempts.append(1)
        raise OperationalError("database is locked")

    with pytest.raises(OperationalError, match="locked"):
        retry_while_locked(always_locked, wait_seconds=1)
    assert 1 < len(attempts) < 10


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite busy timeout")
@pytest.mark.django_db(transaction=True)
def test_without_lock_wait_a_write_fails_at_once_and_the_busy_timeout_comes_back():
    def busy_timeout() -> int:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            return cursor.fetchone()[0]

    configured = busy_timeout()
    holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError) as caught, no_lock_wait():
            assert busy_timeout() == 0
            with transaction.atomic():
                Notice.objects.create(title="不应写入")
        assert is_lock_error(caught.value)
        assert busy_timeout() == configured > 0
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert not Notice.objects.filter(title="不应写入").exists()


@pytest.mark.skipif(connection.vendor != "sqlite" or "BANGFU_SQLITE_BUSY_TIMEOUT_MS" in os.environ,
                    reason="the default SQLite options")
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode_and_writers_wait_five_seconds_at_most():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 5000
