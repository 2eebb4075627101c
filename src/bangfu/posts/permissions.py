"""Who may do what with posts, in the existing capabilities (``core.actors.require``):
a township or district officer enters the village's request, reviews it and keeps attendance;
the county (district level) approves posts and places people; paying is ``payments``' gate."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, Forbidden, require, require_area
from bangfu.core.capabilities import Capability
from bangfu.core.pages import capability_page
from bangfu.core.scoping import area_level

CAPABILITY_EDIT = Capability.EDIT_REGISTRY      # request and review posts, record attendance
CAPABILITY_APPROVE = Capability.MANAGE_JOBS     # approve posts, place people, approve attendance, exits
ERR_NO_EDIT = gettext_noop("您没有维护公益性岗位的权限")
ERR_NO_APPROVE = gettext_noop("批准岗位、安置人员和审核考勤需要区县或市级经办人员的权限")


def require_edit(actor: Actor, area_code: str) -> None:
    require(actor, CAPABILITY_EDIT, _(ERR_NO_EDIT))
    require_area(actor, area_code)


def require_approve(actor: Actor, area_code: str) -> None:
    require(actor, CAPABILITY_APPROVE, _(ERR_NO_APPROVE))
    if area_level(actor.area_code) == "township":
        raise Forbidden(_(ERR_NO_APPROVE))
    require_area(actor, area_code)


def can_approve(user) -> bool:
    return user.has_capability(CAPABILITY_APPROVE) and area_level(user.area_code) != "township"


def require_posts_reader(user) -> None:
    """The posts pages and API are the officers' (who keep posts: ``registry.edit``); a broker
    or an auditor signed in gets 403, as for the other programmes' pages."""
    require(user, CAPABILITY_EDIT, _(ERR_NO_EDIT))


# A posts page: signed in (else the login page), and an officer (else 403).
posts_page = capability_page(CAPABILITY_EDIT, ERR_NO_EDIT)
