"""Personal data at rest: Fernet encryption, an HMAC lookup hash, and masking for display.

Both keys derive from ``settings.PII_KEY`` so one secret (``BANGFU_PII_KEY``) is all an
operator keeps; losing it makes the encrypted columns unreadable, which is the point.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    root = hashlib.sha256(secret.encode()).digest()
    enc_key = hmac.new(root, b"bangfu-pii-encryption", hashlib.sha256).digest()
    mac_key = hmac.new(root, b"bangfu-pii-lookup", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(enc_key)), mac_key


def pii_encrypt(value: str) -> str:
    fernet, _ = _keys(settings.PII_KEY)
    return fernet.encrypt(value.encode()).decode()


def pii_decrypt(token: str) -> str:
    fernet, _ = _keys(settings.PII_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key or tampered row: never leak the token
        raise ValueError("PII token cannot be decrypted with the configured key") from exc


def pii_hash(value: str) -> str:
    """Keyed hash for exact lookup and de-duplication (normalised: upper case, no spaces)."""
    _, mac_key = _keys(settings.PII_KEY)
    normalised = value.strip().upper().replace(" ", "")
    return hmac.new(mac_key, normalised.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str | None) -> str:
    """``500***********123X``: first three and last four characters kept."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``138****5678``."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_bank_account(value: str | None) -> str:
    """``6222 **** **** 1234`` style: first four and last four digits kept."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


class EncryptedTextField(models.TextField):
    """A text column stored as a Fernet token; reads give back the plain value.

    The column cannot be searched; pair it with a ``*_hash`` column filled by ``pii_hash``.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return pii_decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return pii_encrypt(str(value))


class MaskedIdentityMixin:
    """Masked display of a model's ``id_number`` and ``phone`` (lists, exports, pages)."""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)
