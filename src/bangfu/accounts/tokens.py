"""API tokens: random keys of which only an HMAC is kept; they expire and can be revoked.

A token's last use is bookkeeping, so recording it must never make a read wait for the
database's write lock (issue 9, finding 4: every call wrote it, and reads queued 30 s behind
a bank return). It is written at most every ``BANGFU["API_TOKEN_TOUCH_SECONDS"]`` (5 min):

* a recent ``last_used_at`` on the row just read means no write at all (nearly every call);
* when due, one conditional ``UPDATE ... WHERE last_used_at < threshold`` in its own short
  transaction, tried without waiting (SQLite: busy timeout 0; PostgreSQL: ``SKIP LOCKED``).
  If another writer holds the lock, the touch is skipped and the next call tries again.

Deferring the write until after the response would still hold the worker for the busy
timeout, and a second connection would cost a connect per touch; a no-wait attempt costs
microseconds either way and is correct on both databases.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from bangfu.accounts.models import ApiToken, User
from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.core.locks import is_lock_error, no_lock_wait
from bangfu.core.pii import pii_hash

logger = logging.getLogger(__name__)

DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3650
DEFAULT_TOUCH_SECONDS = 300

ERR_TOKEN_DAYS = gettext_noop("令牌有效天数须在 1 到 3650 之间")
ERR_TOKEN_ALREADY_REVOKED = gettext_noop("令牌已吊销")


def _param(name: str, default: int) -> int:
    return int(getattr(settings, "BANGFU", {}).get(name, default))


def token_days_default() -> int:
    return _param("API_TOKEN_DAYS", DEFAULT_TOKEN_DAYS)


def touch_interval() -> dt.timedelta:
    return dt.timedelta(seconds=_param("API_TOKEN_TOUCH_SECONDS", DEFAULT_TOUCH_SECONDS))


def new_key() -> str:
    """A random key whose prefix does not start with "-": ``bangfu token revoke PREFIX`` would read
    such a prefix as an option."""
    while True:
        key = secrets.token_urlsafe(32)
        if not key.startswith("-"):
            return key


@transaction.atomic
def token_create(*, user: User, name: str = "", days: int | None = None, actor: Actor | None = None) -> str:
    """Create a token for ``user`` valid ``days`` days and return the key (shown once, never stored).

    ``actor`` defaults to ``user``: people create their own tokens."""
    days = token_days_default() if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(ERR_TOKEN_DAYS)
    key = new_key()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=pii_hash(key), prefix=key[:8],
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    audit_record(actor=actor or user, action="token.create", obj=token, area_code=user.area_code,
                 detail={"prefix": token.prefix, "name": name, "days": days,
                         "expires_at": token.expires_at.isoformat(timespec="seconds")})
    return key


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: Actor) -> ApiToken:
    """Revoke ``token``: from now on it gets 401. Revoking twice is an error."""
    locked = ApiToken.objects.select_for_update().select_related("user").get(pk=token.pk)
    if locked.revoked:
        raise ValueError(ERR_TOKEN_ALREADY_REVOKED)
    locked.revoked = True
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked", "revoked_at"])
    audit_record(actor=actor, action="token.revoke", obj=locked, area_code=locked.user.area_code,
                 detail={"prefix": locked.prefix, "user": locked.user.username})
    return locked


def user_for_token(key: str) -> User | None:
    """The active user of an unexpired, unrevoked token; ``None`` otherwise (401)."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=pii_hash(key), revoked=False, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    threshold = now - touch_interval()
    if token.last_used_at is None or token.last_used_at < threshold:
        _touch(token, now=now, threshold=threshold)
    return token.user


def _touch(token: ApiToken, *, now: dt.datetime, threshold: dt.datetime) -> None:
    """Record the use if nobody else did since ``threshold``, without waiting for any lock."""
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=threshold)
    try:
        with no_lock_wait(), transaction.atomic():
            lockable = (ApiToken.objects.filter(stale, pk=token.pk)
                        .select_for_update(skip_locked=True).values("pk"))
            ApiToken.objects.filter(stale, pk__in=lockable).update(last_used_at=now)
    except OperationalError as exc:
        if not is_lock_error(exc):
            raise
        # Busy: skipped, not failed; the next call after the writer commits records it.
        logger.debug("api token %s: last use not recorded, database busy", token.prefix)
