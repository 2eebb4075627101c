"""Template filters of the registry pages."""

from django import template

from bangfu.core import reference
from bangfu.core.money import format_yuan
from bangfu.registry.choices import PlaceClass

register = template.Library()


@register.filter
def division_name(code: str) -> str:
    """``500230`` -> ``丰都县`` (from the packaged reference data, no query)."""
    return reference.area_name(code)


@register.filter
def yuan(fen) -> str:
    """Integer fen -> yuan with thousands separators; empty for no value."""
    return "" if fen in (None, "") else format_yuan(int(fen))


@register.filter
def occupation_names(codes: list[str]) -> str:
    """Occupation codes -> their names (unknown codes shown as they are), joined with 、."""
    table = reference.occupations()
    return "、".join(table[c]["name"] if c in table else c for c in codes)


@register.filter
def place_class_names(codes: list[str]) -> str:
    labels = dict(PlaceClass.choices)
    return "、".join(str(labels.get(c, c)) for c in codes)
