"""Template filters of the 渝职聘 pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bangfu.core import months
from bangfu.core import reference
from bangfu.core.money import format_yuan
from bangfu.jobs.models import POSTING_STATES

register = template.Library()

STATE_TAG = {"open": "green", "full": "orange", "expired": "grey", "closed": "grey", "upcoming": ""}


@register.filter
def occupation(code: str) -> str:
    row = reference.occupations().get(code or "")
    return row["name"] if row else (code or "")


@register.filter
def wage_range(posting) -> str:
    """``4,500–6,000`` (yuan) of a posting."""
    return f"{format_yuan(posting.wage_min_fen)}–{format_yuan(posting.wage_max_fen)}"


@register.filter
def state_tag(state: str):
    return format_html('<span class="tag {}">{}</span>', STATE_TAG.get(state, ""), POSTING_STATES.get(state, state))


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def score(value) -> str:
    return "" if value is None else f"{value:.3f}"


@register.filter
def month_label(month: str) -> str:
    """``2024-09`` -> ``2024年9月``."""
    return months.month_label(month, _(months.MONTH_LABEL))


@register.filter
def num(value) -> str:
    """Thousands separators whatever the locale: 4602 -> 4,602."""
    if value in (None, ""):
        return "0"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
