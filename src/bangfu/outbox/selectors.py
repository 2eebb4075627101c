"""Reads of the outbox, restricted to the user's area."""

from __future__ import annotations

from django.db.models import QuerySet

from bangfu.outbox.models import OutboxMessage


def outbox_list(*, user, kind: str = "", status: str = "") -> QuerySet[OutboxMessage]:
    qs = OutboxMessage.objects.restrict(user).select_related("person")
    if kind:
        qs = qs.filter(kind__startswith=kind)
    if status:
        qs = qs.filter(status=status)
    return qs
