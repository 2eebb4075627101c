"""Helpers shared by the subsidies pages."""

from __future__ import annotations

from bangfu.core.capabilities import Capability
from bangfu.core.pagination import page_of, query_without_page  # noqa: F401 - the pages import them from here


def can_approve(user) -> bool:
    return user.has_capability(Capability.APPROVE_PAYMENTS) and len(user.area_code) != 9


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR")
