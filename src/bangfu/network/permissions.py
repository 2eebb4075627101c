"""Who may do what in the network, in the existing capabilities (``core.actors.require``):
district and city officers keep the directory, the workshops and the helpers' register
(``MANAGE_JOBS``); helpers and officers record services (``RECORD_SERVICES``)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, Forbidden, is_system
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import area_contains

CAPABILITY_MANAGE = Capability.MANAGE_JOBS
CAPABILITY_SERVE = Capability.RECORD_SERVICES
ERR_OUTSIDE = gettext_noop("该记录不在您的管辖范围内")


def require_area(actor: Actor, area_code: str) -> None:
    """A user writes only inside their own area; system actors anywhere."""
    if is_system(actor):
        return
    if not area_contains(actor.area_code, area_code):
        raise Forbidden(_(ERR_OUTSIDE))
