"""The outbox: text messages (SMS-style, Chinese) written in the same transaction as the event
they report, and sent afterwards by a pluggable sender.

Any app may use it (payments for "您已免申领取", jobs for pushes, arrears for case updates)::

    from bangfu.outbox.services import outbox_enqueue
    outbox_enqueue(kind="arrears.accepted", body="…", phone=case.phone, area_code=case.district_code,
                   dedup_key=f"arrears.accepted:{case.pk}")

``bangfu outbox send`` (or ``outbox_send_pending()``) hands pending messages to the sender named
by ``settings.BANGFU["OUTBOX_SENDER"]`` (a dotted path; default ``LoggingSender``, which writes
the text to the ``bangfu.outbox`` log with the phone masked). A real SMS gateway implements
``Sender.send`` and raises ``SendError`` for a message it could not deliver.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from bangfu.core.pii import mask_phone, pii_encrypt, pii_hash
from bangfu.outbox import choices as c
from bangfu.outbox.models import OutboxMessage

logger = logging.getLogger("bangfu.outbox")
MAX_ATTEMPTS = 5


class SendError(RuntimeError):
    """The sender could not deliver this message (it will be retried up to MAX_ATTEMPTS)."""


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


class LoggingSender:
    """Development and demo backend: 'sends' by logging (phone masked, never in full)."""

    def send(self, message: OutboxMessage) -> None:
        if not message.phone:
            raise SendError("无手机号码")
        logger.info("outbox %s #%s to %s: %s", message.kind, message.pk, mask_phone(message.phone), message.body)


class MemorySender:
    """Keeps what it sent (tests)."""

    def __init__(self):
        self.sent: list[OutboxMessage] = []

    def send(self, message: OutboxMessage) -> None:
        if not message.phone:
            raise SendError("无手机号码")
        self.sent.append(message)


def get_sender() -> Sender:
    path = getattr(settings, "BANGFU", {}).get("OUTBOX_SENDER", "bangfu.outbox.services.LoggingSender")
    return import_string(path)()


def outbox_enqueue(*, kind: str, body: str, dedup_key: str, person=None, phone: str = "",
                   area_code: str = "") -> OutboxMessage:
    """Queue a message inside the caller's transaction; the same ``dedup_key`` is queued once."""
    phone = phone or (getattr(person, "phone", "") if person is not None else "")
    message, _created = OutboxMessage.objects.get_or_create(
        dedup_key=dedup_key[:120],
        defaults={
            "kind": kind, "body": body, "person": person, "phone": phone,
            "phone_hash": pii_hash(phone) if phone else "", "area_code": area_code,
        },
    )
    return message


def outbox_enqueue_many(*, kind: str, items: list[tuple[str, str, object]]) -> dict[str, int]:
    """Queue many messages at once inside the caller's transaction: (dedup key, body, person) ->
    {dedup key: message id}. The rows ``outbox_enqueue`` writes one by one (a key already queued
    is kept), in bulk: a city-wide job push queues tens of thousands of texts."""
    rows = [OutboxMessage(kind=kind, body=body, person=person, phone=person.phone or "",
                          phone_hash=pii_hash(person.phone) if person.phone else "",
                          area_code=person.township_code or person.district_code, dedup_key=key[:120])
            for key, body, person in items]
    OutboxMessage.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    keys = [key[:120] for key, _body, _person in items]
    out: dict[str, int] = {}
    for start in range(0, len(keys), 5000):
        out.update(OutboxMessage.objects.filter(dedup_key__in=keys[start:start + 5000])
                   .values_list("dedup_key", "pk"))
    return out


@dataclass(frozen=True)
class SealedMessage:
    """A message made ready before the write transaction: its phone already encrypted."""

    kind: str
    body: str
    dedup_key: str
    person_id: int | None
    phone_token: str
    phone_hash: str
    area_code: str


def outbox_seal(*, kind: str, body: str, dedup_key: str, person=None, phone: str = "",
                area_code: str = "") -> SealedMessage:
    """Prepare a message for ``outbox_enqueue_sealed``, encrypting the phone now."""
    phone = phone or (getattr(person, "phone", "") if person is not None else "")
    return SealedMessage(kind=kind, body=body, dedup_key=dedup_key[:120], person_id=getattr(person, "pk", None),
                         phone_token=pii_encrypt(phone) if phone else "", phone_hash=pii_hash(phone) if phone else "",
                         area_code=area_code)


def outbox_enqueue_sealed(messages: Iterable[SealedMessage]) -> None:
    """Queue many prepared messages inside the caller's transaction, in one bulk statement; a
    ``dedup_key`` already queued is skipped, as with ``outbox_enqueue``."""
    messages = list(messages)
    if not messages:
        return
    meta = OutboxMessage._meta
    qn = connection.ops.quote_name
    names = ("kind", "person", "phone", "phone_hash", "area_code", "body", "dedup_key", "status", "attempts",
             "last_error", "created_at")
    columns = ", ".join(qn(meta.get_field(n).column) for n in names)
    # Plain SQL: the phone is already a Fernet token, which the model field would encrypt again.
    sql = (f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(names))}) "
           f"ON CONFLICT ({qn(meta.get_field('dedup_key').column)}) DO NOTHING")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(m.kind, m.person_id, m.phone_token, m.phone_hash, m.area_code, m.body, m.dedup_key,
                                  c.OutboxStatus.PENDING.value, 0, "", now) for m in messages])


def outbox_send_pending(*, limit: int = 500, sender: Sender | None = None) -> dict[str, int]:
    """Send up to ``limit`` pending messages, oldest first; each one's outcome saved on its own."""
    sender = sender or get_sender()
    counts = {"sent": 0, "failed": 0, "retry": 0}
    ids = list(OutboxMessage.objects.filter(status=c.OutboxStatus.PENDING)
               .order_by("created_at", "id").values_list("pk", flat=True)[:limit])
    for pk in ids:
        with transaction.atomic():
            message = OutboxMessage.objects.select_for_update().filter(pk=pk, status=c.OutboxStatus.PENDING).first()
            if message is None:  # sent meanwhile by another sender process
                continue
            message.attempts += 1
            try:
                sender.send(message)
            except SendError as exc:
                message.last_error = str(exc)[:300]
                if message.attempts >= MAX_ATTEMPTS or not message.phone:
                    message.status = c.OutboxStatus.FAILED
                    counts["failed"] += 1
                else:
                    counts["retry"] += 1
            else:
                message.status = c.OutboxStatus.SENT
                message.sent_at = timezone.now()
                counts["sent"] += 1
            message.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return counts
