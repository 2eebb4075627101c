"""Monitoring's long work (``BACKGROUND_WORK`` in ``monitoring/hooks.py``): 重新计算 on the
dashboard recomputes the stale KPI months in the background, its progress on a bar."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.background import WorkError, WorkResult

FILL_WORK = "kpi_fill"
STAGES = {"compute": gettext_noop("计算指标"), "write": gettext_noop("写入指标表")}


def kpi_fill_work(*, actor, params: dict, progress) -> WorkResult:
    from bangfu.monitoring.services import FillError, kpi_fill

    def stage_progress(stage: str, done: int, total: int) -> None:
        progress(_(STAGES.get(stage, stage)), done, total)

    try:
        report = kpi_fill(actor=actor, progress=stage_progress)
    except FillError as exc:
        raise WorkError(str(exc)) from None
    message = (_("已重新计算 %(n)s 个月的指标") % {"n": len(report.months)} if report.months
               else _("各月指标都是最新的，无需重新计算"))
    return WorkResult(message=message, url=params.get("next") or "", data={"months": report.months})
