"""A small fixed-window rate limiter on Django's cache, for the public doors.

The default cache (local memory) counts per process: enough for one server process; with
several processes configure a shared cache (database or Redis) in CACHES and the limits hold
across them. Keys hold a hash, never a phone number.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

# name -> (requests allowed, window in seconds); operators override in settings.BANGFU.
DEFAULT_LIMITS = {
    "complaint_ip": (10, 3600),  # complaints from one address per hour
    "complaint_phone": (3, 86400),  # complaints with one phone per day
    "status_ip": (30, 600),  # status look-ups from one address per 10 minutes
    "status_case": (10, 600),  # wrong phones tried on one case number per 10 minutes
}


@dataclass(frozen=True)
class Limit:
    count: int
    window: int


def limit_for(name: str) -> Limit:
    overrides = getattr(settings, "BANGFU", {}).get("ARREARS_RATE_LIMITS", {})
    count, window = overrides.get(name, DEFAULT_LIMITS[name])
    return Limit(int(count), int(window))


def _key(name: str, subject: str, window: int) -> str:
    digest = hashlib.sha256(f"{name}:{subject}".encode()).hexdigest()[:32]
    return f"arrears:rl:{name}:{digest}:{int(time.time() // window)}"


def hit(name: str, subject: str) -> bool:
    """Count one request of ``subject`` under limit ``name``; False when over the limit."""
    if not subject:
        return True
    limit = limit_for(name)
    key = _key(name, subject, limit.window)
    # add() is atomic: only the first request of a window creates the counter.
    if cache.add(key, 1, timeout=limit.window + 5):
        return limit.count >= 1
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=limit.window + 5)
        value = 1
    return value <= limit.count


def peek(name: str, subject: str) -> bool:
    """True while ``subject`` is still under limit ``name`` (does not count)."""
    if not subject:
        return True
    limit = limit_for(name)
    return (cache.get(_key(name, subject, limit.window)) or 0) < limit.count


def client_ip(request) -> str:
    """The client's address. Behind a proxy, set BANGFU['TRUSTED_PROXY_HEADER'] (e.g.
    HTTP_X_REAL_IP) to the header your proxy sets; a client-sent header is never trusted otherwise."""
    header = getattr(settings, "BANGFU", {}).get("TRUSTED_PROXY_HEADER")
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
