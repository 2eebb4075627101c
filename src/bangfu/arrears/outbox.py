"""A minimal outbox for short messages (SMS-style) to workers.

Stand-in until the shared outbox of the policies app (``bangfu.policies.outbox``) exists; the
interface is the same kind: ``send_message(phone=..., text=..., purpose=..., ref=...)`` hands
the message to a backend after the transaction commits (a rolled-back change sends nothing).
The backend is ``settings.BANGFU["ARREARS_OUTBOX_BACKEND"]`` (a dotted path), by default
``LoggingBackend``, which writes the masked number and the text to the ``bangfu.outbox`` log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from bangfu.core.pii import mask_phone

logger = logging.getLogger("bangfu.outbox")

DEFAULT_BACKEND = "bangfu.arrears.outbox.LoggingBackend"


@dataclass(frozen=True)
class Message:
    phone: str
    text: str
    purpose: str  # e.g. "arrears.accepted"
    ref: str = ""  # e.g. the case number


class LoggingBackend:
    """Writes each message to the log (phone masked): enough for a demo or an SMS gateway tail."""

    def send(self, message: Message) -> None:
        logger.info("sms to=%s purpose=%s ref=%s text=%s", mask_phone(message.phone),
                    message.purpose, message.ref, message.text)


class MemoryBackend:
    """Keeps messages in a list: for tests (``MemoryBackend.sent``)."""

    sent: list[Message] = []

    def send(self, message: Message) -> None:
        MemoryBackend.sent.append(message)


@lru_cache(maxsize=4)
def _backend(path: str):
    return import_string(path)()


def backend():
    path = getattr(settings, "BANGFU", {}).get("ARREARS_OUTBOX_BACKEND", DEFAULT_BACKEND)
    return _backend(path)


def send_message(*, phone: str, text: str, purpose: str, ref: str = "") -> None:
    """Queue a message; it leaves when the surrounding transaction commits."""
    if not phone:
        return
    message = Message(phone=phone, text=text, purpose=purpose, ref=ref)
    transaction.on_commit(lambda: backend().send(message))
