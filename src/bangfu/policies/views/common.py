"""Helpers shared by the subsidies pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator


def page_of(request, qs, size: int | None = None):
    size = size or int(settings.BANGFU.get("PAGE_SIZE", 50))
    return Paginator(qs, size).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def require(request, capability: str) -> None:
    if not request.user.has_capability(capability):
        raise PermissionDenied


def can_approve(user) -> bool:
    return user.has_capability("policies.approve") and len(user.area_code) != 9


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
