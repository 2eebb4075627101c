"""Template filters of the outbox page."""

from django import template

register = template.Library()

STATUS_TAGS = {"pending": "orange", "sent": "green", "failed": "red"}


@register.filter
def outbox_status_tag(status: str) -> str:
    """CSS modifier of the ``tag`` showing a message's status."""
    return STATUS_TAGS.get(status, "")
