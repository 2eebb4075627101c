"""Writes on users: creation and area/role changes, each with its audit row."""

from __future__ import annotations

import secrets

from django.apps import apps
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.accounts.models import AccessRole, User, builtin_role
from bangfu.accounts.choices import AreaLevel, Role
from bangfu.core.actors import Actor, Forbidden, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.scoping import CITY_CODE, DataScope, area_contains, area_level

ERR_AREA_FOR_ROLE = "角色与区域级别不符"
# No 0/O, 1/l/I: the password is read off the screen and typed in.
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def role_of(code: str) -> AccessRole:
    """The role row of ``code`` (a built-in role whose row is missing: its built-in definition)."""
    role = AccessRole.objects.filter(code=code).first() or builtin_role(code)
    if role is None:
        raise ValidationError({"role": _("角色不存在")})
    return role


def _check_area(role: str, area_code: str) -> None:
    from bangfu.registry.models import Division

    try:
        level = area_level(area_code)
    except ValueError as exc:
        raise ValidationError({"area_code": _("区域代码无效")}) from exc
    if level != "city" and not Division.objects.filter(code=area_code).exists():
        raise ValidationError({"area_code": _("区域代码不存在")})
    required = role_of(role).area_level
    if required and level != required:
        raise ValidationError({"area_code": _(ERR_AREA_FOR_ROLE)})


def _check_grant(actor: Actor, role_code: str) -> None:
    """An administrator gives only roles within their own rights: no capability they lack, and no
    city-wide data scope unless their own is (a district cannot make a city-wide reader). The
    operator on the machine (the CLI, the demo: a system actor) sets up any role."""
    if not isinstance(actor, User):
        return
    role = role_of(role_code)
    lacking = [cap for cap in Capability if cap.value in role.capability_set() and not actor.has_capability(cap)]
    if lacking or (role.data_scope == DataScope.ALL and actor.data_scope != DataScope.ALL):
        raise ValidationError({"role": _("不能授予超出本人权限或范围的角色")})


def _check_manages(actor: Actor, user: User) -> None:
    """``actor`` may change ``user`` (role, area, state, password) only when the user is in the
    actor's area and holds no more than the actor could grant: resetting a stronger account's
    password would hand its rights over."""
    if not isinstance(actor, User):
        return
    if not area_contains(actor.area_code, user.area_code):
        raise Forbidden(_("只能管理本人管辖区域内的用户"))
    if user.is_superuser and not actor.is_superuser:
        raise Forbidden(_("不能管理权限高于本人的用户"))
    try:
        _check_grant(actor, user.role)
    except ValidationError:
        raise Forbidden(_("不能管理权限高于本人的用户")) from None


def _office_of(code: str | None):
    """The arrears office of ``code`` ("" or None: no office), or a form error."""
    if not code:
        return None
    from bangfu.arrears.models import Office

    office = Office.objects.filter(code=code, active=True).first()
    if office is None:
        raise ValidationError({"office": _("办理机构不存在")})
    return office


def _check_office(role: str, office) -> None:
    from bangfu.arrears import choices as arrears_choices

    if role == Role.OUTPOST_OFFICER and (office is None or office.kind != arrears_choices.OfficeKind.OUTPOST):
        raise ValidationError({"office": _("外地办事处的人员须选择其驻外劳务办事机构")})


def _set_office(user: User, office_code: str | None, actor: Actor) -> None:
    """Link the user to an arrears office (外地办事处), or remove the link; only when it changes."""
    if not apps.is_installed("bangfu.arrears"):
        return
    from bangfu.arrears.models import OfficeMember
    from bangfu.arrears.services.offices import office_member_set

    office = _office_of(office_code)
    _check_office(user.role, office)
    current = OfficeMember.objects.filter(user=user).values_list("office__code", flat=True).first()
    if current != (office.code if office else None):
        office_member_set(user=user, office=office, actor=actor)


@transaction.atomic
def user_create(
    *, username: str, password: str, role: str, area_code: str, display_name: str = "",
    actor: Actor, check_password: bool = True, office: str | None = None,
) -> User:
    require(actor, Capability.MANAGE_USERS)
    _check_area(role, area_code)
    if not area_contains(actor.area_code, area_code):
        raise Forbidden(_("只能管理本人管辖区域内的用户"))
    _check_grant(actor, role)
    if check_password:
        validate_password(password)
    user = User(username=username, role=role, area_code=area_code, display_name=display_name)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="user.create", obj=user, area_code=area_code,
                 detail={"username": username, "role": role})
    if office or role == Role.OUTPOST_OFFICER:
        _set_office(user, office, actor)
    return user


@transaction.atomic
def user_update(*, user: User, actor: Actor, role: str | None = None, area_code: str | None = None,
                is_active: bool | None = None, office: str | None = None) -> User:
    """Change a user's role, area, state; ``office`` (a code, "" none) when the form offers it."""
    require(actor, Capability.MANAGE_USERS)
    _check_manages(actor, user)
    before = {"role": user.role, "area_code": user.area_code, "is_active": user.is_active}
    if role is not None:
        user.role = role
    if area_code is not None:
        user.area_code = area_code
    if is_active is not None:
        user.is_active = is_active
    _check_area(user.role, user.area_code)
    if not area_contains(actor.area_code, user.area_code):
        raise Forbidden(_("只能管理本人管辖区域内的用户"))
    if user.role != before["role"]:
        _check_grant(actor, user.role)
    user.full_clean(exclude=["password"])
    user.save(update_fields=["role", "area_code", "is_active"])
    user.forget_role()
    after = {"role": user.role, "area_code": user.area_code, "is_active": user.is_active}
    audit_record(actor=actor, action="user.update", obj=user, area_code=user.area_code,
                 detail={"before": before, "after": after})
    if office is not None or user.role == Role.OUTPOST_OFFICER:
        _set_office(user, office, actor)
    return user


@transaction.atomic
def user_reset_password(*, user: User, actor: Actor) -> str:
    """Give ``user`` a new random password, returned once to show the administrator (never stored
    in clear, never in the audit row); the user's sessions end with the old password hash."""
    require(actor, Capability.MANAGE_USERS)
    _check_manages(actor, user)
    password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(12))
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(actor=actor, action="user.password_reset", obj=user, area_code=user.area_code,
                 detail={"username": user.username})
    return password


@transaction.atomic
def user_change_password(*, user: User, new_password: str) -> User:
    validate_password(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="user.password_change", obj=user, area_code=user.area_code)
    return user


# ---- 角色管理: roles as data, edited by the city administrator only


def _require_city_admin(actor: Actor) -> None:
    require(actor, Capability.MANAGE_USERS)
    if actor.area_code != CITY_CODE:
        raise Forbidden(_("只有市级管理员可以维护角色"))


def _role_state(role: AccessRole) -> dict:
    return {"name": role.name, "capabilities": sorted(role.capability_set()), "data_scope": role.data_scope,
            "area_level": role.area_level, "remark": role.remark}


def _clean_role(role: AccessRole, capabilities) -> None:
    unknown = set(capabilities) - set(Capability.values)
    if unknown:
        raise ValidationError({"capabilities": _("未知的权限：%(codes)s") % {"codes": "、".join(sorted(unknown))}})
    role.capabilities = sorted(set(capabilities))
    if role.code == Role.CITY_ADMIN and Capability.MANAGE_USERS not in role.capabilities:
        # Taking 管理用户 from the city administrators would lock everyone out of these pages.
        raise ValidationError({"capabilities": _("市级管理员必须保留“管理用户”权限")})
    if role.data_scope == DataScope.TOWNSHIP and role.area_level not in ("", AreaLevel.TOWNSHIP):
        raise ValidationError({"data_scope": _("数据范围“本乡镇”只适用于乡镇级用户")})
    role.full_clean()


@transaction.atomic
def role_create(*, actor: Actor, code: str, name: str, capabilities, data_scope: str,
                area_level: str = "", remark: str = "") -> AccessRole:
    _require_city_admin(actor)
    role = AccessRole(code=code, name=name, data_scope=data_scope, area_level=area_level, remark=remark,
                      sort_order=100)
    _clean_role(role, capabilities)
    role.save()
    audit_record(actor=actor, action="role.create", obj=role, area_code=CITY_CODE,
                 detail={"code": code, **_role_state(role)})
    return role


@transaction.atomic
def role_update(*, role: AccessRole, actor: Actor, name: str, capabilities, data_scope: str,
                area_level: str = "", remark: str = "") -> AccessRole:
    _require_city_admin(actor)
    role = AccessRole.objects.select_for_update().get(pk=role.pk)
    before = _role_state(role)
    role.name, role.data_scope, role.area_level, role.remark = name, data_scope, area_level, remark
    _clean_role(role, capabilities)
    if role.area_level:
        wrong = [u.username for u in User.objects.filter(role=role.code)
                 if area_level_of(u.area_code) != role.area_level][:5]
        if wrong:
            raise ValidationError({"area_level": _("以下用户的所属区域与新级别不符：%(users)s") % {
                "users": "、".join(wrong)}})
    role.save()
    after = _role_state(role)
    changed = {key: {"before": before[key], "after": after[key]} for key in after if before[key] != after[key]}
    audit_record(actor=actor, action="role.update", obj=role, area_code=CITY_CODE,
                 detail={"code": role.code, "changes": changed})
    return role


def area_level_of(code: str) -> str:
    try:
        return area_level(code)
    except ValueError:
        return ""
