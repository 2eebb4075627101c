"""The public edge: what a request may cost before bangfu reads its body.

Two checks run before any middleware or view touches ``request.POST``/``FILES`` (the CSRF
middleware reads the form, and an upload is spooled to disk as it is read):

* the size cap: a ``Content-Length`` over ``BANGFU["MAX_BODY_BYTES"]``, or over a public
  door's own smaller cap, is refused 413 from the header alone;
* the public doors' per-address limits (django-ratelimit on the shared database cache, so
  they hold across web processes and restarts): over the limit, the door's own refusal (429).

An app declares its doors in ``bangfu/<app>/doors.py`` as ``DOORS``, a list of ``Door``;
core imports no app by name. The proxy in front (nginx ``client_max_body_size``, gunicorn)
should mirror ``MAX_BODY_BYTES`` so that oversized bodies never reach Django at all.
"""

from __future__ import annotations

import importlib
import ipaddress
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.apps import apps
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_ratelimit.core import is_ratelimited

ERR_TOO_LARGE = gettext_noop("提交的内容超过 %(limit)s MB，请减少或压缩附件后重试")
DEFAULT_MAX_BODY_BYTES = 42 * 1024 * 1024


@dataclass(frozen=True)
class Door:
    """A URL anyone may POST to without an account."""

    view_name: str  # as resolved: "arrears:complaint", "api:public_complaint"
    group: str  # the counter; doors naming the same group share it
    rate: Callable[[], tuple[int, int]]  # (requests, seconds), read per request: settings may change
    refuse: Callable[[HttpRequest], HttpResponse]  # the answer over the limit (a 429)
    max_body: Callable[[], int] | None = None  # a cap below MAX_BODY_BYTES, in bytes
    methods: tuple[str, ...] = ("POST",)


@lru_cache(maxsize=1)
def doors() -> dict[str, Door]:
    found: dict[str, Door] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("bangfu."):
            continue
        name = f"{config.name}.doors"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but imports something missing: a real bug
                raise
            continue
        found.update({door.view_name: door for door in module.DOORS})
    return found


def max_body_bytes() -> int:
    return int(getattr(settings, "BANGFU", {}).get("MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))


def declared_length(request: HttpRequest) -> int:
    """The body size the client announces (Django reads no more than this, and nothing if invalid)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a proxy, set BANGFU['TRUSTED_PROXY_HEADER'] (e.g.
    HTTP_X_REAL_IP) to the header your proxy sets; a client-sent header is never trusted otherwise.

    Always an IP address (django-ratelimit groups IPv6 by /64): anything else counts as 0.0.0.0.
    """
    header = getattr(settings, "BANGFU", {}).get("TRUSTED_PROXY_HEADER")
    candidates = []
    if header and request.META.get(header):
        candidates.append(request.META[header].split(",")[0].strip())
    candidates.append(request.META.get("REMOTE_ADDR", "") or "")
    for value in candidates:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            continue
    return "0.0.0.0"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".removesuffix(".0")


def body_too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _(ERR_TOO_LARGE) % {"limit": _megabytes(limit)}
    if request.path_info.startswith("/api/") or request.content_type == "application/json":
        return HttpResponse(json.dumps({"detail": message}, ensure_ascii=False), status=413,
                            content_type="application/json")
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class PublicEdgeMiddleware:
    """First in MIDDLEWARE: the global size cap; before CSRF: the doors' caps and limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = max_body_bytes()
        if declared_length(request) > limit:
            return body_too_large(request, limit)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        door = doors().get(match.view_name) if match else None
        if door is None or request.method not in door.methods:
            return None
        cap = door.max_body() if door.max_body else None
        if cap is not None and declared_length(request) > cap:
            return body_too_large(request, cap)
        # key "ip" is client_ip above (settings.RATELIMIT_IP_META_KEY): no body is read.
        if is_ratelimited(request, group=door.group, key="ip", rate=lambda group, req: door.rate(),
                          method=list(door.methods), increment=True):
            return door.refuse(request)
        return None
