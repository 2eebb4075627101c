"""系统管理 → 用户管理: list, create and edit users within the administrator's area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.utils.translation import gettext as _

from bangfu.accounts import selectors, services
from bangfu.accounts.forms import RoleForm, role_choices, UserCreateForm, UserUpdateForm
from bangfu.accounts.forms import area_tree as area_tree_nodes
from bangfu.accounts.models import AccessRole, User
from bangfu.core.actors import Forbidden, require
from bangfu.core.capabilities import Capability
from bangfu.core.pagination import page_of
from bangfu.core.scoping import CITY_CODE, area_contains


def _require_manager(request) -> None:
    require(request.user, Capability.MANAGE_USERS)


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def user_list(request):
    _require_manager(request)
    query = request.GET.get("q", "").strip()
    role = request.GET.get("role", "")
    users = selectors.user_list(user=request.user, query=query, role=role)
    page = page_of(request, users, per_page=50)
    roles = {r.code: r for r in AccessRole.objects.all()}
    for listed in page:
        if listed.role in roles:
            listed._role_record = roles[listed.role]  # one query for the page's role names
    return render(request, "accounts/user_list.html",
                  {"page": page, "q": query, "role": role, "roles": role_choices()})


def _current_office(user: User) -> str:
    from django.apps import apps

    if not apps.is_installed("bangfu.arrears"):
        return ""
    from bangfu.arrears.models import OfficeMember

    return OfficeMember.objects.filter(user=user).values_list("office__code", flat=True).first() or ""


@login_required
def user_create(request):
    _require_manager(request)
    form = UserCreateForm(request.POST or None, within=request.user.area_code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not area_contains(request.user.area_code, data["area_code"]):
            form.add_error("area_code", _("只能在本人管辖区域内创建用户"))
        elif User.objects.filter(username=data["username"]).exists():
            form.add_error("username", _("用户名已存在"))
        else:
            try:
                services.user_create(actor=request.user, **data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("用户已创建"))
                return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form, "title": _("新增用户")})


@login_required
def user_edit(request, pk: int):
    _require_manager(request)
    try:
        target = selectors.user_get(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    initial = {"role": target.role, "area_code": target.area_code, "is_active": target.is_active,
               "office": _current_office(target)}
    form = UserUpdateForm(request.POST or None, initial=initial, within=request.user.area_code)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not area_contains(request.user.area_code, data["area_code"]):
            form.add_error("area_code", _("只能分配本人管辖区域"))
        else:
            try:
                services.user_update(user=target, actor=request.user, **data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("用户已更新"))
                return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html",
                  {"form": form, "target": target,
                   "title": _("编辑用户：%(name)s") % {"name": target.username}})


@login_required
@require_POST
def user_password_reset(request, pk: int):
    """重置密码: the new password is shown once, on this response only (never stored in clear)."""
    _require_manager(request)
    try:
        target = selectors.user_get(user=request.user, pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc
    password = services.user_reset_password(user=target, actor=request.user)
    response = render(request, "accounts/password_reset_done.html", {"target": target, "password": password})
    response["Cache-Control"] = "no-store"
    return response


# ---- 角色管理 (the city administrator only)


def _require_city_admin(request) -> None:
    require(request.user, Capability.MANAGE_USERS)
    if request.user.area_code != CITY_CODE:
        raise Forbidden(_("只有市级管理员可以维护角色"))


@login_required
def role_list(request):
    _require_city_admin(request)
    counts = dict(User.objects.values_list("role").annotate(n=Count("id")))
    roles = [{"role": role, "users": counts.get(role.code, 0)} for role in AccessRole.objects.all()]
    return render(request, "accounts/role_list.html", {"roles": roles})


@login_required
def role_create(request):
    _require_city_admin(request)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if AccessRole.objects.filter(code=form.cleaned_data["code"]).exists():
            form.add_error("code", _("角色编码已存在"))
        else:
            try:
                services.role_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("角色已创建"))
                return redirect("accounts:role_list")
    return render(request, "accounts/role_form.html", {"form": form, "title": _("新增角色")})


@login_required
def role_edit(request, pk: int):
    _require_city_admin(request)
    role = get_object_or_404(AccessRole, pk=pk)
    initial = {"name": role.name, "capabilities": sorted(role.capability_set()), "data_scope": role.data_scope,
               "area_level": role.area_level, "remark": role.remark}
    form = RoleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(role=role, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("角色已更新"))
            return redirect("accounts:role_list")
    return render(request, "accounts/role_form.html",
                  {"form": form, "role": role, "title": _("编辑角色：%(name)s") % {"name": role.label}})


# ---- 区划与数据范围: the area tree with each area's users and their roles' scopes


@login_required
def area_tree(request):
    _require_manager(request)
    within = request.user.area_code
    users_by_area: dict[str, list] = {}
    for user in selectors.user_list(user=request.user):
        users_by_area.setdefault(user.area_code, []).append(user)
    roles = {role.code: role for role in AccessRole.objects.all()}
    show_all = request.GET.get("all") == "1"
    nodes = []
    for node in area_tree_nodes(within):
        users = users_by_area.get(node["code"], [])
        if node["level"] == "township" and not users and not show_all:
            continue  # the ~1000 townships: only those with users, unless asked for all
        nodes.append({**node, "users": [{"user": u, "role": roles.get(u.role)} for u in users]})
    return render(request, "accounts/area_tree.html", {"nodes": nodes, "show_all": show_all,
                                                      "roles": roles.values()})
