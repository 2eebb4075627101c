"""What the outbox contributes to core (``bangfu.core.hooks``): sending the queued messages."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bangfu.core.schedule import Cadence, Job


def send_outbox(now: dt.datetime) -> dict:
    from bangfu.outbox.services import outbox_send_pending

    return outbox_send_pending()


SCHEDULED_JOBS = [
    Job("outbox_send", _("短信发送"), Cadence.every(10), send_outbox,
        _("发送待发送的短信通知（失败自动重试）")),
]
