"""Training's section of the person page: the person's courses, completion and certificates."""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.training.permissions import CAPABILITY_EDIT
from bangfu.training.selectors import person_enrolments


def person_panel(*, request, person) -> dict | None:
    if not request.user.has_capability(CAPABILITY_EDIT):
        return None
    enrolments = list(person_enrolments(user=request.user, person=person)[:10])
    if not enrolments:
        return None
    return {"title": _("技能培训"), "template": "training/_person_panel.html", "order": 65,
            "context": {"enrolments": enrolments}}
