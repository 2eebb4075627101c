"""The programme's clock: what "this month" is, read in Chongqing (Asia/Shanghai) whatever the
server's zone, so that "a future month" and a reporting deadline mean the same everywhere.

Months themselves (parse, shift, label) are ``bangfu.core.months``.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext_noop

from bangfu.core.months import month_of

PROGRAMME_TZ = ZoneInfo("Asia/Shanghai")
ERR_FUTURE_MONTH = gettext_noop("年月 {month} 晚于本月（{current}），不能登记未来月份的务工记录")


def programme_today(now: dt.datetime | None = None) -> dt.date:
    """Today in Chongqing."""
    return (now or timezone.now()).astimezone(PROGRAMME_TZ).date()


def current_month(now: dt.datetime | None = None) -> str:
    """This month in Chongqing: at 16:00 UTC on 30 November it is already December."""
    return month_of(programme_today(now))


def is_future_month(month: str, now: dt.datetime | None = None) -> bool:
    """A month after the current one (canonical ``YYYY-MM`` strings sort like months)."""
    return month > current_month(now)
