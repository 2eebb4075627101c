"""Template filters of the subsidies pages."""

from django import template
from django.utils.translation import gettext as _

from bangfu.core.money import format_yuan

register = template.Library()

STATUS_TAGS = {
    "pending": "orange", "approved": "", "rejected": "red", "paying": "purple", "paid": "green", "failed": "red",
    "reversed": "orange",
    "created": "grey", "exported": "", "settled": "orange", "reconciled": "green",
    "queued": "grey", "running": "orange", "done": "green", "sent": "green",
}


@register.filter
def status_tag(status: str) -> str:
    """CSS modifier of the ``tag`` showing a status."""
    return STATUS_TAGS.get(status, "")


@register.filter
def fen_yuan(fen) -> str:
    """Integer fen -> yuan with thousands separators (``—`` for none)."""
    if fen in (None, ""):
        return "—"
    return format_yuan(int(fen))


@register.filter
def yuan_float(value) -> str:
    if value in (None, ""):
        return "—"
    return format_yuan(round(float(value) * 100))


@register.filter
def translate_label(text: str) -> str:
    """Chinese labels of the engine's catalogue, translated at display time."""
    return _(text) if text else ""


@register.filter
def mark_class(holds) -> str:
    return "ok" if holds else ("no" if holds is False else "unknown")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
