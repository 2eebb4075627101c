"""Rendered pages remembered per process, for the pages many officers open at once.

The dashboard is the page the whole bureau opens at nine; building and rendering it costs
about 16 ms of CPU, so on two cores the server would answer about 100 a second. A page here is
rendered once per *key* (what the page depends on: the data versions the caller names, the
user, the language and the full path) and the same text is sent again until the key changes
or ``ttl`` seconds pass, whichever is first.

What differs between two requests of one user is put back on every answer:

- the CSRF token: the page is rendered with a placeholder where ``{{ csrf_token }}`` and
  ``{% csrf_token %}`` go, and each answer carries a fresh token of the request;
- flash messages: a request with messages waiting is rendered afresh (and not remembered).

Only successful GET answers are remembered. A refusal (404, 403) is never served from here:
the caller checks the area before asking.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.translation import get_language

# A token-shaped placeholder unlikely to occur in any page: the value is random per process.
CSRF_PLACEHOLDER = "csrf" + secrets.token_hex(30)
MAX_PAGES = 512  # per process; a dashboard page is about 40 kB
DEFAULT_TTL = 60.0


class PageCache:
    def __init__(self, max_pages: int = MAX_PAGES):
        self.max_pages = max_pages
        self._pages: OrderedDict[tuple, tuple[float, str, str]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()

    def get(self, key: tuple) -> tuple[str, str] | None:
        now = time.monotonic()
        with self._lock:
            found = self._pages.get(key)
            if found is None:
                return None
            expires, content_type, text = found
            if expires < now:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return content_type, text

    def put(self, key: tuple, content_type: str, text: str, ttl: float) -> None:
        with self._lock:
            self._pages[key] = (time.monotonic() + ttl, content_type, text)
            self._pages.move_to_end(key)
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)


pages = PageCache()


def _messages_waiting(request) -> bool:
    """Flash messages are stored in a cookie, or in the session when the cookie overflows."""
    if "messages" in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get("_messages"))


def user_key(user) -> tuple:
    """What of the user shapes a page: who, their role and area (the menu and the data scope)."""
    return (user.pk, getattr(user, "role", ""), getattr(user, "area_code", ""), user.is_active,
            user.is_superuser)


def cached_render(request, template: str, *, key: Hashable, context: Callable[[], dict],
                  ttl: float = DEFAULT_TTL, cache: PageCache = pages) -> HttpResponse:
    """Render ``template`` with ``context()``, or send the text remembered under ``key``.

    ``key`` must name everything the page shows besides the user, language and path (which
    are added here), typically the versions of the tables it reads. ``context`` is only called
    on a miss.
    """
    if request.method != "GET" or _messages_waiting(request):
        return HttpResponse(render_to_string(template, context(), request))
    full_key = (template, key, user_key(request.user), get_language(), request.get_full_path())
    found = cache.get(full_key)
    if found is not None:
        cache.hits += 1
        content_type, text = found
    else:
        cache.misses += 1
        ctx = context()
        ctx["csrf_token"] = CSRF_PLACEHOLDER  # the view's context wins over the processors'
        text = render_to_string(template, ctx, request)
        content_type = "text/html; charset=utf-8"
        cache.put(full_key, content_type, text, ttl)
    response = HttpResponse(text.replace(CSRF_PLACEHOLDER, get_token(request)), content_type=content_type)
    response["Cache-Control"] = "private, no-cache"
    return response
