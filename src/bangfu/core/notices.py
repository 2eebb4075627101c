"""通知公告: notices written by the administrators, shown on the home page while they run.

A notice is addressed to an area (the city: every user); an administrator writes notices for their
own area and below. Every write is audited in the same transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bangfu.core.actors import Actor, Forbidden, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.models import Notice
from bangfu.core.scoping import CITY_CODE, area_contains

FIELDS = ("title", "body", "published", "publish_at", "expires_at", "area_code")


def notice_list(*, user) -> QuerySet[Notice]:
    """The notices an administrator may edit: those addressed to their area or below."""
    require(user, Capability.MANAGE_USERS)
    qs = Notice.objects.all()
    return qs if user.area_code == CITY_CODE else qs.filter(area_code__startswith=user.area_code)


def notice_get(*, user, pk: int) -> Notice:
    return notice_list(user=user).get(pk=pk)


def _check(notice: Notice, actor: Actor) -> None:
    if not area_contains(actor.area_code, notice.area_code):
        raise Forbidden(_("只能向本人管辖区域发布通知公告"))
    if notice.expires_at and notice.expires_at <= notice.publish_at:
        raise ValidationError({"expires_at": _("截止时间须晚于发布时间")})
    notice.full_clean(exclude=["author"])


def _detail(notice: Notice) -> dict:
    return {"title": notice.title, "published": notice.published, "area_code": notice.area_code,
            "publish_at": notice.publish_at.isoformat() if notice.publish_at else None,
            "expires_at": notice.expires_at.isoformat() if notice.expires_at else None}


@transaction.atomic
def notice_create(*, actor: Actor, **values) -> Notice:
    require(actor, Capability.MANAGE_USERS)
    notice = Notice(author=actor_user(actor), **{key: values[key] for key in FIELDS if key in values})
    _check(notice, actor)
    notice.save()
    audit_record(actor=actor, action="notice.create", obj=notice, area_code=notice.area_code,
                 detail=_detail(notice))
    return notice


@transaction.atomic
def notice_update(*, notice: Notice, actor: Actor, **values) -> Notice:
    require(actor, Capability.MANAGE_USERS)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if not area_contains(actor.area_code, notice.area_code):
        raise Forbidden(_("只能向本人管辖区域发布通知公告"))
    before = _detail(notice)
    for key in FIELDS:
        if key in values:
            setattr(notice, key, values[key])
    _check(notice, actor)
    notice.save()
    after = _detail(notice)
    audit_record(actor=actor, action="notice.update", obj=notice, area_code=notice.area_code,
                 detail={"title": notice.title, "changes": {
                     key: {"before": before[key], "after": after[key]} for key in after if before[key] != after[key]}})
    return notice


@transaction.atomic
def notice_delete(*, notice: Notice, actor: Actor) -> None:
    require(actor, Capability.MANAGE_USERS)
    if not area_contains(actor.area_code, notice.area_code):
        raise Forbidden(_("只能向本人管辖区域发布通知公告"))
    audit_record(actor=actor, action="notice.delete", obj=notice, area_code=notice.area_code,
                 detail={"title": notice.title})
    notice.delete()
