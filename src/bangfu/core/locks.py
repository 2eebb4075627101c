"""Living with the database's write lock: never wait for it on a read, retry it in the CLI.

SQLite (WAL) lets any number of readers run while one writer holds the lock, but a second
writer waits ``busy_timeout`` and then fails with "database is locked". A write that is only
bookkeeping (a token's last use) must not make a read wait, so it is tried with no wait at
all; an operator's command (``bangfu token create``) waits and retries instead of crashing.
PostgreSQL has no database-wide write lock; a row lock held by another transaction is the
equivalent, and ``SKIP LOCKED`` / ``lock_timeout`` are its no-wait forms.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import OperationalError, connection

T = TypeVar("T")

# SQLite's messages for SQLITE_BUSY / SQLITE_LOCKED; PostgreSQL's lock_not_available.
_LOCK_MESSAGES = ("database is locked", "database table is locked", "database is busy")
_PG_LOCK_NOT_AVAILABLE = "55P03"


def is_lock_error(exc: BaseException) -> bool:
    """Whether ``exc`` means another transaction holds a lock we asked for."""
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == _PG_LOCK_NOT_AVAILABLE:
        return True
    return any(message in str(exc).lower() for message in _LOCK_MESSAGES)


@contextmanager
def no_lock_wait() -> Iterator[None]:
    """Within the block, a write lock held elsewhere fails at once instead of being waited for.

    On SQLite the connection's busy timeout is set to 0 and restored afterwards; on
    PostgreSQL the caller uses ``select_for_update(skip_locked=True)`` for the rows it
    touches (a ``SET LOCAL`` here would outlive the block inside an outer transaction).
    """
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        previous = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA busy_timeout = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {previous:d}")


def retry_while_locked(
    func: Callable[[], T], *, wait_seconds: float,
    on_retry: Callable[[OperationalError], None] | None = None,
) -> T:
    """Call ``func`` until it does not fail on a lock, for at most ``wait_seconds``.

    Each attempt already waits the busy timeout inside the database; the pause between
    attempts only keeps a retry from spinning when the timeout is small.
    """
    deadline = time.monotonic() + wait_seconds
    pause = 0.2
    while True:
        try:
            return func()
        except OperationalError as exc:
            if not is_lock_error(exc) or time.monotonic() + pause >= deadline:
                raise
            if on_retry is not None:
                on_retry(exc)
        time.sleep(pause)
        pause = min(pause * 2, 2.0)
