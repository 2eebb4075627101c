"""The public desk's rate limits, counted by django-ratelimit in the shared database cache.

Per address (before the body is read, ``arrears.doors``): complaints and status look-ups.
After the form is read: complaints per phone, and failed status look-ups per address. Never
per case: a stranger trying phones on a worker's case number must not lock the worker out.
Keys hold a keyed hash (``pii_hash``), never a phone number.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage

from bangfu.core.edge import client_ip  # noqa: F401  (the officer views and API import it from here)
from bangfu.core.pii import pii_hash

# name -> (requests allowed, window in seconds); operators override in settings.BANGFU.
DEFAULT_LIMITS = {
    "complaint_ip": (10, 3600),  # complaints from one address per hour
    "complaint_phone": (3, 86400),  # complaints with one phone per day
    "status_ip": (30, 600),  # status look-ups from one address per 10 minutes
    "status_miss_ip": (10, 600),  # failed look-ups (no such number and phone) from one address
}


@dataclass(frozen=True)
class Limit:
    count: int
    window: int

    def as_rate(self) -> tuple[int, int]:
        return self.count, self.window


def limit_for(name: str) -> Limit:
    overrides = getattr(settings, "BANGFU", {}).get("ARREARS_RATE_LIMITS", {})
    count, window = overrides.get(name, DEFAULT_LIMITS[name])
    return Limit(int(count), int(window))


def rate_of(name: str):
    """The rate of limit ``name`` as a door wants it (read when the request comes)."""
    return lambda: limit_for(name).as_rate()


def _usage(request, name: str, *, value: str | None = None, increment: bool):
    """Counted per ``value``, or per client address when there is none."""
    key = "ip" if value is None else (lambda group, req: value)
    return get_usage(request, group=f"arrears.{name}", key=key,
                     rate=lambda group, req: limit_for(name).as_rate(), increment=increment)


def phone_hit(request, phone: str) -> bool:
    """Count one complaint with ``phone``; False when over the limit."""
    usage = _usage(request, "complaint_phone", value=pii_hash(phone), increment=True)
    return usage is None or not usage["should_limit"]


def status_misses_left(request) -> bool:
    """True while this address may still try a number and phone that match nothing."""
    usage = _usage(request, "status_miss_ip", increment=False)
    return usage is None or usage["count"] < usage["limit"]


def status_miss(request) -> None:
    """Count one failed look-up from this address."""
    _usage(request, "status_miss_ip", increment=True)
