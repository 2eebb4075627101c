"""A workshop's pages: 申报 (the application form), the workshop with its recognition checks, and
the steps 认定 → 运行 → 退出, members added and ended, and the yearly rating. Every write goes
through ``network.services`` (one transaction with its audit row); a refusal comes back on the
page in Chinese, and another area's workshop is a 404 (the selectors start from ``restrict``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.network import choices as c
from bangfu.network import forms as f
from bangfu.network import selectors
from bangfu.network.errors import NetworkError
from bangfu.network.views.forms import ERR_NOT_SAVED
from bangfu.network.params import param
from bangfu.network.permissions import CAPABILITY_MANAGE
from bangfu.network.services import (
    open_members, workshop_apply, workshop_exit, workshop_member_save, workshop_rating_record, workshop_recognise,
    workshop_start,
)
from bangfu.network.services.workshops import REGISTRY_CATEGORIES

EDITABLE = (c.WorkshopStatus.APPLIED, c.WorkshopStatus.RECOGNISED, c.WorkshopStatus.RUNNING)
RATED = (c.WorkshopStatus.RECOGNISED, c.WorkshopStatus.RUNNING)


@login_required
def workshop_new(request):
    """申报: the form; the workshop is created in the 申报 state."""
    require(request.user, CAPABILITY_MANAGE)
    form = f.WorkshopApplyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shop = workshop_apply(actor=request.user, code=data["code"], name=data["name"], employer=data["employer"],
                                  district_code=data["township_code"][:6], township_code=data["township_code"],
                                  workshop_type=data["workshop_type"], applied_on=data["applied_on"],
                                  industry=data["industry"])
        except NetworkError as exc:
            form.add_error(None, exc.message)
        except IntegrityError:  # the same code taken meanwhile: the unique constraint decides
            form.add_error("code", _(f.ERR_CODE_TAKEN))
        else:
            messages.success(request, _("已申报：%(name)s") % {"name": shop.name})
            return redirect("network:workshop", pk=shop.pk)
    return render(request, "network/workshop_form.html", {"form": form})


def _checks(shop) -> dict:
    """The recognition check shown before 认定: registry workers on the roster now vs the minimum."""
    count = open_members(shop).filter(person__category__in=REGISTRY_CATEGORIES).count()
    minimum = int(param("NETWORK_WORKSHOP_MIN_WORKERS"))
    return {"count": count, "minimum": minimum, "met": count >= minimum}


def _detail(request, shop, status: int = 200, **forms):
    manage = request.user.has_capability(CAPABILITY_MANAGE)
    members = selectors.workshop_roster(user=request.user, workshop=shop).order_by("end_month", "start_month", "id")
    context = {
        "shop": shop, "manage": manage, "checks": _checks(shop), "members": members,
        "ratings": selectors.workshop_ratings(user=request.user, workshop=shop),
        "editable": shop.status in EDITABLE, "rated": shop.status in RATED,
        "member_form": forms.get("member_form") or f.WorkshopMemberForm(user=request.user),
        "exit_form": forms.get("exit_form") or f.WorkshopExitForm(),
        "rating_form": forms.get("rating_form") or f.WorkshopRatingForm(),
        "end_errors": forms.get("end_errors", {}),
    }
    if status != 200:
        messages.error(request, _(ERR_NOT_SAVED))
    return render(request, "network/workshop_detail.html", context, status=status)


def _shop(request, pk: int):
    return selectors.workshop_get(user=request.user, workshop_id=pk)


@login_required
def workshop_detail(request, pk: int):
    return _detail(request, _shop(request, pk))


def _step(request, pk: int, run, done: str):
    require(request.user, CAPABILITY_MANAGE)
    shop = _shop(request, pk)
    try:
        run(shop)
    except NetworkError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("network:workshop", pk=shop.pk)


@login_required
@require_POST
def workshop_recognise_view(request, pk: int):
    return _step(request, pk, lambda shop: workshop_recognise(actor=request.user, workshop=shop), _("已认定"))


@login_required
@require_POST
def workshop_start_view(request, pk: int):
    return _step(request, pk, lambda shop: workshop_start(actor=request.user, workshop=shop), _("已投入运行"))


@login_required
@require_POST
def workshop_exit_view(request, pk: int):
    require(request.user, CAPABILITY_MANAGE)
    shop = _shop(request, pk)
    form = f.WorkshopExitForm(request.POST)
    if not form.is_valid():
        return _detail(request, shop, status=422, exit_form=form)
    return _step(request, pk, lambda s: workshop_exit(actor=request.user, workshop=s, reason=form.cleaned_data["reason"],
                                                      exited_on=form.cleaned_data["exited_on"]), _("已退出"))


@login_required
@require_POST
def workshop_member_add(request, pk: int):
    require(request.user, CAPABILITY_MANAGE)
    shop = _shop(request, pk)
    form = f.WorkshopMemberForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workshop_member_save(actor=request.user, workshop=shop, person=data["person"],
                                 start_month=data["start_month"], end_month=data["end_month"])
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已登记务工人员：%(name)s") % {"name": data["person"].name})
            return redirect("network:workshop", pk=shop.pk)
    return _detail(request, shop, status=422, member_form=form)


@login_required
@require_POST
def workshop_member_end(request, pk: int, member_id: int):
    require(request.user, CAPABILITY_MANAGE)
    shop = _shop(request, pk)
    member = selectors.workshop_member_get(user=request.user, workshop=shop, member_id=member_id)
    form = f.MemberEndForm(request.POST)
    if not form.is_valid():
        return _detail(request, shop, status=422, end_errors={member.pk: form.errors["end_month"]})
    try:
        workshop_member_save(actor=request.user, workshop=shop, person=member.person, start_month=member.start_month,
                             end_month=form.cleaned_data["end_month"])
    except NetworkError as exc:
        return _detail(request, shop, status=422, end_errors={member.pk: [exc.message]})
    messages.success(request, _("已结束务工：%(name)s") % {"name": member.person.name})
    return redirect("network:workshop", pk=shop.pk)


@login_required
@require_POST
def workshop_rating(request, pk: int):
    require(request.user, CAPABILITY_MANAGE)
    shop = _shop(request, pk)
    form = f.WorkshopRatingForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            workshop_rating_record(actor=request.user, workshop=shop, year=data["year"], rating=data["rating"],
                                   review_passed=data["review_passed"], note=data["note"])
        except NetworkError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存 %(year)s 年度评定") % {"year": data["year"]})
            return redirect("network:workshop", pk=shop.pk)
    return _detail(request, shop, status=422, rating_form=form)
