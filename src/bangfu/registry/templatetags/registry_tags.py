"""Template filters of the registry pages."""

from django import template

from bangfu.core.money import format_yuan
from bangfu.registry.filters import division_name as _division_name

register = template.Library()


@register.filter
def division_name(code: str) -> str:
    """``500230`` -> ``丰都县`` (from the packaged reference data, no query)."""
    return _division_name(code)


@register.filter
def yuan(fen) -> str:
    """Integer fen -> yuan with thousands separators; empty for no value."""
    return "" if fen in (None, "") else format_yuan(int(fen))
