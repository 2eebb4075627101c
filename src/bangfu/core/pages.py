"""Page gates shared by the programmes' views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext

from bangfu.core.actors import require
from bangfu.core.capabilities import Capability


def capability_page(capability: Capability, message: str) -> Callable:
    """A decorator for a programme's pages: signed in (else the login page) and holding
    ``capability`` (else 403 with ``message``, a msgid translated when refused)."""
    def decorate(view):
        @wraps(view)
        def gated(request, *args, **kwargs):
            require(request.user, capability, gettext(message))
            return view(request, *args, **kwargs)

        return login_required(gated)

    return decorate
