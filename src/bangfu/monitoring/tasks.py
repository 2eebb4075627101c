"""Background work of monitoring (django-tasks): refill the KPI months an import made stale."""

from __future__ import annotations

import logging

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def kpi_fill_task(first: str | None = None, last: str | None = None) -> dict:
    """Fill every month that is not DONE (stale, interrupted or new) on the default engine."""
    from bangfu.monitoring.services import FillError, kpi_fill

    try:
        return kpi_fill(actor="system", first=first, last=last).to_json()
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
