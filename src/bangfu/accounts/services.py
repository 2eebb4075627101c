"""Writes on users: creation and area/role changes, each with its audit row."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.choices import Role
from bangfu.accounts.models import User
from bangfu.core.actors import Actor, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import area_level

ERR_AREA_FOR_ROLE = "角色与区域级别不符"


def _check_area(role: str, area_code: str) -> None:
    from bangfu.registry.models import Division

    try:
        level = area_level(area_code)
    except ValueError as exc:
        raise ValidationError({"area_code": _("区域代码无效")}) from exc
    if level != "city" and not Division.objects.filter(code=area_code).exists():
        raise ValidationError({"area_code": _("区域代码不存在")})
    if role == Role.CITY_ADMIN and level != "city":
        raise ValidationError({"area_code": _(ERR_AREA_FOR_ROLE)})
    if role == Role.DISTRICT_OFFICER and level != "district":
        raise ValidationError({"area_code": _(ERR_AREA_FOR_ROLE)})
    if role == Role.TOWNSHIP_OFFICER and level != "township":
        raise ValidationError({"area_code": _(ERR_AREA_FOR_ROLE)})


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, area_code: str, display_name: str = "",
    actor: Actor, check_password: bool = True,
) -> User:
    require(actor, Capability.MANAGE_USERS)
    _check_area(role, area_code)
    if check_password:
        validate_password(password)
    user = User(username=username, role=role, area_code=area_code, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, area_code=area_code,
                 detail={"username": username, "role": role})
    return user


@transaction.atomic
def user_update(*, user: User, actor: Actor, role: str | None = None, area_code: str | None = None,
                is_active: bool | None = None) -> User:
    require(actor, Capability.MANAGE_USERS)
    before = {"role": user.role, "area_code": user.area_code, "is_active": user.is_active}
    if role is not None:
        user.role = role
    if area_code is not None:
        user.area_code = area_code
    if is_active is not None:
        user.is_active = is_active
    _check_area(user.role, user.area_code)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "area_code", "is_active"])
    after = {"role": user.role, "area_code": user.area_code, "is_active": user.is_active}
    audit_record(actor=actor, action="user.update", obj=user, area_code=user.area_code,
                 detail={"before": before, "after": after})
    return user


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="user.password_change", obj=user, area_code=user.area_code)
    return user
