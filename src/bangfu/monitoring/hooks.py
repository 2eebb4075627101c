"""What 务工监测 contributes to core (``bangfu.core.hooks``): the nightly KPI fill."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bangfu.core.schedule import Cadence, Job


def fill_kpis(now: dt.datetime) -> dict:
    from bangfu.monitoring.services import kpi_fill

    return kpi_fill(actor="system").to_json()  # resumable: months already DONE are skipped


SCHEDULED_JOBS = [
    Job("kpi_fill", _("务工监测指标计算"), Cadence.daily(2, 0), fill_kpis,
        _("计算尚未完成的月份的务工监测指标")),
]
