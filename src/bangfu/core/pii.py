"""Personal data at rest: Fernet encryption, an HMAC lookup hash, and masking for display.

Both keys derive from ``settings.PII_KEY`` so one secret (``BANGFU_PII_KEY``) is all an
operator keeps; losing it makes the encrypted columns unreadable, which is the point.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
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


# How much of an ID number a screen may keep (GB 11643: 6-digit division, 8-digit birth date,
# 3-digit sequence whose parity is the sex, 1 check character).
#
# A user without ``pii.view_full`` sees, of one person, together: the masked number, the
# district and township, the sex and the age reached this year (``registry.models.age_in_year``,
# the birth year in effect) -- never the birth date (pages, API, exports and search results
# alike; the date is shown only with the audited full view). Whoever wants to rebuild the
# number must then try every number that fits:
#
#   division        known (the mask keeps it, and the district is on screen anyway)
#   birth date      any of the 365 or 366 days of the birth year
#   sequence        500 of 000-999 (the sex fixes the parity)
#   check char      computed from the 17 digits: it rules nothing out
#
# so 365 x 500 = 182,500 numbers pass the checksum (183,000 in a leap year). Each character of
# the tail that a mask kept would divide that by 10 or 11, and the birth date would bring it
# to 500: the former mask (first three, last four, with the birth date on the same page) left
# exactly one. ``registry/tests/test_id_candidates.py`` counts the numbers from what a broker
# and a district officer actually receive.
#
# The age is the year's age, not the age in whole years (周岁), because a 周岁 changes on the
# birthday: a user who read a page every day would learn the birthday and be left with 500.
# The year's age changes for everyone on 1 January. Exact ages stay inside the batch engine
# (eligibility) and in a job-match veto reason ("年龄 N 岁不在招聘范围"), which says only that a
# worker is outside a posting's range. The mask keeps no tail at all (with the check character
# kept, any window under 22 days would leave fewer than 1,000), and a search by full ID
# number, the one way to test a guess, is audited and capped per user and day
# (registry/pii_services.py).
ID_MASK_KEEP = 6


def mask_id_number(value: str | None) -> str:
    """``500230************``: the division code only; birth date, sequence and check hidden."""
    if not value:
        return ""
    if len(value) < 15:  # not an ID number at all: hide everything
        return "*" * len(value)
    return value[:ID_MASK_KEEP] + "*" * (len(value) - ID_MASK_KEEP)


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


BANK_ACCOUNT_RE = re.compile(r"^\d{8,32}$")  # a bank card or corporate account number


def bank_account_normalise(value: str | None) -> str:
    """The digits as typed, without spaces and dashes (check them with ``BANK_ACCOUNT_RE``)."""
    return re.sub(r"[\s-]", "", value or "")


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
