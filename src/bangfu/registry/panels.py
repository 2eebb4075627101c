"""What the registry shows on other pages (see bangfu.core.panels)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.core.capabilities import Capability
from bangfu.core.reference import area_name
from bangfu.registry.selectors import registry_counts


def home_stats(*, request) -> list[dict]:
    if not request.user.has_capability(Capability.VIEW_REGISTRY):  # an out-of-town office: nothing of the registry
        return []
    counts = registry_counts(user=request.user)
    area = area_name(request.user.area_code)
    people = reverse("registry:person_list")
    return [
        {"label": _("脱贫人口和监测对象"), "value": counts["persons"], "unit": pgettext("unit", "人"),
         "foot": area, "url": people, "order": 10},
        {"label": _("脱贫劳动力"), "value": counts["workers"], "unit": pgettext("unit", "人"),
         "foot": _("16–65 岁且有劳动能力"), "url": people + "?worker=yes", "order": 11,
         "accent": "green"},
        {"label": _("户数"), "value": counts["households"], "unit": pgettext("unit", "户"), "foot": area,
         "order": 12, "accent": "orange"},
    ]
