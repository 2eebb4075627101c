"""Template filters of the arrears pages: money, Chinese dates, the deadline clock."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.translation import gettext as _

from bangfu.core import months
from bangfu.core.money import format_yuan

register = template.Library()


@register.filter
def fen_yuan(fen) -> str:
    return "" if fen in (None, "") else format_yuan(int(fen))


@register.filter
def cn_date(day) -> str:
    """2026-10-09 -> 2026年10月9日."""
    if not day:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    return f"{day.year}年{day.month}月{day.day}日"


@register.filter
def cn_month(month: str) -> str:
    """'2026-03' -> 2026年3月."""
    return months.month_label(month, _(months.MONTH_LABEL))


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def days1(value) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.inclusion_tag("arrears/_clock.html")
def clock_badge(clock, long=False):
    """The clock: working days left to accept or to finish; red when overdue, orange when close."""
    if clock is None:
        return {"clock": None}
    if clock.overdue:
        tone = "red"
        text = _("已超期 %(n)d 个工作日") % {"n": max(clock.days_over, 1)} if clock.days_over else _("已超期")
    elif clock.days_left == 0:
        tone, text = "red", _("今天到期")
    else:
        tone = "orange" if clock.days_left <= (2 if clock.stage == "accept" else 10) else "green"
        text = _("剩 %(n)d 个工作日") % {"n": clock.days_left}
    stage = _("受理") if clock.stage == "accept" else _("办结")
    return {"clock": clock, "tone": tone, "text": text, "stage": stage, "long": long}
