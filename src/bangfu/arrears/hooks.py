"""What 根治欠薪 contributes to core (``bangfu.core.hooks``): the overdue escalation task."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.schedule import Cadence, Job


def escalate_overdue(now: dt.datetime) -> dict:
    from bangfu.arrears.services import case_escalate_overdue

    return {"escalated": case_escalate_overdue(today=timezone.localdate(now), actor="system")}


SCHEDULED_JOBS = [
    Job("arrears_escalate", _("欠薪超期督办"), Cadence.daily(1, 0), escalate_overdue,
        _("超过受理或办结期限的欠薪案件升级为市级督办")),
]
