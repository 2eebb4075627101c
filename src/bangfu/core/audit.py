"""Writing audit rows. Services call ``audit_record`` inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from bangfu.core.models import AuditLog


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    area_code: str = "",
    detail: dict | None = None,
    ip_address: str | None = None,
) -> AuditLog:
    """Record that ``actor`` did ``action`` (on ``obj``). Never put PII in ``detail``."""
    user = actor if getattr(actor, "pk", None) else None
    name = getattr(actor, "username", "") or (actor if isinstance(actor, str) else "system")
    if obj is not None and not area_code:
        area_code = getattr(obj, "area_code", "") or ""
    return AuditLog.objects.create(
        actor=user,
        actor_name=name,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        area_code=area_code or "",
        detail=detail or {},
        ip_address=ip_address,
    )
