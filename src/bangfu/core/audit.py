"""Writing audit rows. Services call ``audit_record`` inside their own transaction."""

from __future__ import annotations

from django.db import models

from bangfu.core.actors import Actor, actor_name, actor_user
from bangfu.core.models import AuditLog


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj: models.Model | None = None,
    area_code: str = "",
    detail: dict | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Record that ``actor`` did ``action`` (on ``obj``). Never put PII in ``detail``."""
    if not isinstance(actor, Actor):  # a stray None or "system" string from an old caller
        raise TypeError(f"audit_record needs an Actor, not {actor!r}")
    if obj is not None and not area_code:
        area_code = getattr(obj, "area_code", "") or ""
    return AuditLog.objects.create(
        actor=actor_user(actor),
        actor_name=actor_name(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        area_code=area_code or "",
        detail=detail or {},
        ip_address=ip_address,
    )
