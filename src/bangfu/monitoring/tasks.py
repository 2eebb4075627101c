"""Background work of monitoring (django-tasks): refill the KPI months an import made stale."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

from bangfu.core.actors import SYSTEM, system_actor

logger = logging.getLogger(__name__)


@task()
def kpi_fill_task(first: str | None = None, last: str | None = None, actor: str = SYSTEM.name) -> dict:
    """Fill every month that is not DONE (stale, interrupted or new) on the default engine, as the
    system actor named ``actor``."""
    from bangfu.monitoring.services import FillError, kpi_fill

    try:
        return kpi_fill(actor=system_actor(actor), first=first, last=last).to_json()
    except FillError as exc:  # nothing to fill yet
        logger.info("kpi fill skipped: %s", exc)
        return {"months": [], "skipped": [], "error": str(exc)}


def kpi_fill_after_commit() -> None:
    """Enqueue a fill once the current transaction commits (the engine reads committed data)."""

    def enqueue() -> None:
        try:
            kpi_fill_task.enqueue()
        except Exception:  # noqa: BLE001 - a missing worker must not fail the import
            logger.exception("could not enqueue the KPI fill; run `bangfu kpi fill`")

    transaction.on_commit(enqueue)
