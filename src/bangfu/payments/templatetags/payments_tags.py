"""Template filters of the payment pages."""

from django import template

from bangfu.core.money import format_yuan

register = template.Library()

STATUS_TAGS = {
    "pending": "orange", "paid": "green", "failed": "red", "reversed": "orange", "cancelled": "grey",
    "created": "grey", "exported": "", "settled": "orange", "reconciled": "green",
}


@register.filter
def status_tag(status: str) -> str:
    """CSS modifier of the ``tag`` showing a payment or batch status."""
    return STATUS_TAGS.get(status, "")


@register.filter
def fen_yuan(fen) -> str:
    """Integer fen -> yuan with thousands separators (``—`` for none)."""
    if fen in (None, ""):
        return "—"
    return format_yuan(int(fen))
