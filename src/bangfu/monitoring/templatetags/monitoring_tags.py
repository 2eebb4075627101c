"""Template helpers of the monitoring pages."""

from django import template

register = template.Library()


@register.simple_tag
def kpi_table(table, month):
    """A dashboard table (``dashboard.Table``) rendered in Python: see ``Table.html``."""
    return table.html(month)
