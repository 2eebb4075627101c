"""系统管理 → 用户管理: list, create and edit users within the administrator's area."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from bangfu.accounts import selectors, services
from bangfu.accounts.choices import Role
from bangfu.accounts.forms import UserCreateForm, UserUpdateForm
from bangfu.accounts.models import User
from bangfu.core.actors import require
from bangfu.core.capabilities import Capability
from bangfu.core.pagination import page_of
from bangfu.core.scoping import area_contains


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
    return render(request, "accounts/user_list.html",
                  {"page": page, "q": query, "role": role, "roles": Role.choices})


@login_required
def user_create(request):
    _require_manager(request)
    form = UserCreateForm(request.POST or None)
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
    initial = {"role": target.role, "area_code": target.area_code, "is_active": target.is_active}
    form = UserUpdateForm(request.POST or None, initial=initial)
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
                  {"form": form, "title": _("编辑用户：%(name)s") % {"name": target.username}})
