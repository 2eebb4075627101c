"""Who may work on a case: an officer who can see it and either handles arrears by role or
is linked to the office in charge."""

from __future__ import annotations

from bangfu.arrears.models import ArrearsCase, member_office_id
from bangfu.core.capabilities import Capability

CAPABILITY_HANDLE = Capability.HANDLE_ARREARS


def can_handle_any(user) -> bool:
    """May this user work on arrears cases at all (role capability or an office link)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.has_capability(CAPABILITY_HANDLE) or member_office_id(user) is not None


def can_handle(user, case: ArrearsCase) -> bool:
    if not can_handle_any(user):
        return False
    return ArrearsCase.objects.restrict(user).filter(pk=case.pk).exists()
