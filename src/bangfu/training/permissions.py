"""Who may keep training records, in the existing capabilities (``core.actors.require``): the
officers who keep the registry (``registry.edit``), within their area."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, Forbidden, require
from bangfu.core.capabilities import Capability
from bangfu.core.pages import capability_page
from bangfu.core.scoping import area_contains, area_level

CAPABILITY_EDIT = Capability.EDIT_REGISTRY
ERR_NO_EDIT = gettext_noop("您没有维护培训信息的权限")
ERR_COURSE_LEVEL = gettext_noop("培训项目由区县或市级经办人员登记")
ERR_OUTSIDE = gettext_noop("该记录不在您的管辖范围内")


def require_edit(actor: Actor, area_code: str) -> None:
    require(actor, CAPABILITY_EDIT, _(ERR_NO_EDIT))
    if not area_contains(actor.area_code, area_code):
        raise Forbidden(_(ERR_OUTSIDE))


def require_course_edit(actor: Actor, district_code: str) -> None:
    require(actor, CAPABILITY_EDIT, _(ERR_NO_EDIT))
    if area_level(actor.area_code) == "township":
        raise Forbidden(_(ERR_COURSE_LEVEL))
    if not area_contains(actor.area_code, district_code):
        raise Forbidden(_(ERR_OUTSIDE))


def require_training_reader(user) -> None:
    require(user, CAPABILITY_EDIT, _(ERR_NO_EDIT))


# A training page: signed in (else the login page), and an officer (else 403).
training_page = capability_page(CAPABILITY_EDIT, ERR_NO_EDIT)
