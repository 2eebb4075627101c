from django import template

from bangfu.core import reference

register = template.Library()


@register.filter
def trade_name(code: str) -> str:
    """The occupation's name from the shipped catalogue (the code when unknown)."""
    row = reference.occupations().get(code or "")
    return row["name"] if row else (code or "")


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, "")
