"""Review of entitlements: filter, approve in bulk, reject or revert with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.policies import choices as c
from bangfu.policies import selectors
from bangfu.policies.forms import RejectForm
from bangfu.policies.services import entitlement_approve, entitlement_reject, entitlement_revert
from bangfu.policies.views.common import can_approve, page_of, query_without_page
from bangfu.registry.filters import township_choices


def _filter_data(request) -> dict:
    data = (request.GET if request.method == "GET" else request.POST).dict()
    if request.method == "GET" and not request.GET:  # the review page opens on what waits for review
        data["status"] = c.EntitlementStatus.PENDING
    return data


@login_required
def entitlement_list(request):
    data = _filter_data(request)
    found = selectors.entitlement_filter(user=request.user, data=data)
    filters = found.values
    page = page_of(request, found.qs)
    counts = selectors.entitlement_status_counts(user=request.user, data=data)
    area = request.user.area_code
    district = filters["district"] or (area[:6] if len(area) >= 6 else "")
    return render(request, "policies/entitlements.html", {
        "page": page, "filters": filters, "counts": counts, "statuses": c.EntitlementStatus.choices,
        "policies": selectors.policy_list(), "townships": township_choices(area, district) if district else [],
        "query": query_without_page(request), "can_approve": can_approve(request.user),
        "reject_form": RejectForm(), "active": "review",
        "filter_items": [(k, v) for k, v in filters.items() if v != ""],
    })


@login_required
@require_POST
def entitlement_action(request):
    action = request.POST.get("action", "")
    scope = request.POST.get("scope", "selected")
    ids = None if scope == "filtered" else [int(x) for x in request.POST.getlist("ids") if x.isdigit()]
    back = reverse("policies:entitlements") + "?" + request.POST.get("back", "")
    try:
        queryset = (selectors.entitlement_list(user=request.user, data=_filter_data(request), strict=True)
                    if scope == "filtered" else None)
        if action == "approve":
            n = entitlement_approve(actor=request.user, ids=ids, queryset=queryset)
            messages.success(request, _("已审核通过 %(n)s 条待遇") % {"n": f"{n:,}"})
        elif action == "reject":
            n = entitlement_reject(actor=request.user, ids=ids, queryset=queryset, reason=request.POST.get("reason", ""))
            messages.success(request, _("已驳回 %(n)s 条待遇") % {"n": f"{n:,}"})
        elif action == "revert":
            n = entitlement_revert(actor=request.user, ids=ids, queryset=queryset, reason=request.POST.get("reason", ""))
            messages.success(request, _("已撤回 %(n)s 条待遇，重新待审核") % {"n": f"{n:,}"})
        else:
            messages.error(request, _("未知的操作"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect(back)


@login_required
def entitlement_detail(request, pk: int):
    e = selectors.entitlement_get(user=request.user, pk=pk)
    granted = selectors.granted_explanation(e) if e.facts else None
    payments = selectors.entitlement_payments(user=request.user, entitlement=e)
    return render(request, "policies/entitlement_detail.html", {
        "e": e, "granted": granted, "payments": payments, "can_approve": can_approve(request.user),
        "active": "review",
    })
