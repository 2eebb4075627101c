"""API tokens: random keys of which only an HMAC is kept."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import ApiToken, User
from bangfu.core.audit import audit_record
from bangfu.core.pii import pii_hash


@transaction.atomic
def token_create(*, user: User, name: str = "", actor=None) -> str:
    """Create a token for ``user`` and return the key (shown once, never stored)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=pii_hash(key), prefix=key[:8])
    audit_record(actor=actor or user, action="token.create", obj=token, area_code=user.area_code,
                 detail={"prefix": token.prefix})
    return key


def user_for_token(key: str) -> User | None:
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=pii_hash(key), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user
