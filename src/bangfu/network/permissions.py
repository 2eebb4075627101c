"""Who may do what in the network, in the existing capabilities (``core.actors.require``):
district and city officers keep the directory, the workshops and the helpers' register
(``MANAGE_JOBS``); helpers and officers record services (``RECORD_SERVICES``). A write stays in
the writer's area (``core.actors.require_area``)."""

from __future__ import annotations

from bangfu.core.actors import require_area  # noqa: F401 - the network's services import it from here
from bangfu.core.capabilities import Capability

CAPABILITY_MANAGE = Capability.MANAGE_JOBS
CAPABILITY_SERVE = Capability.RECORD_SERVICES
