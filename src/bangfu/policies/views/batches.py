"""Paying approved entitlements: the batch page of 免申即享 (make a batch of one policy and year,
see how granted, paid and failed balance) and the figures of what was paid. The batches
themselves are ``bangfu.payments``' pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.policies import selectors
from bangfu.policies.forms import BatchForm
from bangfu.policies.payables import scope_parts
from bangfu.policies.services import entitlement_batch_create
from bangfu.policies.views.common import can_approve, page_of
from bangfu.registry.filters import division_name


@login_required
def batch_list(request):
    policies = [p for p in selectors.policy_list() if p.current_version]
    recon = None
    latest = selectors.batch_list(user=request.user).first()
    latest_code, latest_period = scope_parts(latest.scope) if latest else ("", "")
    code = request.GET.get("policy") or latest_code or (policies[0].code if policies else "")
    period = request.GET.get("period") or latest_period or selectors.latest_data_year()
    if code and period:
        policy = next((p for p in policies if p.code == code), None)
        if policy is not None:
            recon = selectors.reconciliation(user=request.user, policy=policy, period=period)
            recon["policy"] = policy
            recon["period"] = period
    form = BatchForm(policies=policies, initial={"policy": code, "period": period})
    return render(request, "policies/batches.html", {
        "page": page_of(request, selectors.batch_list(user=request.user)), "form": form,
        "can_pay": can_approve(request.user), "recon": recon, "policies": policies,
        "years": [str(y) for y in range(timezone.localdate().year, timezone.localdate().year - 6, -1)],
        "active": "batches",
    })


@login_required
@require_POST
def batch_create(request):
    policies = [p for p in selectors.policy_list() if p.current_version]
    form = BatchForm(request.POST, policies=policies)
    if not form.is_valid():
        messages.error(request, _("请选择政策和期间"))
        return redirect("policies:batches")
    policy = next(p for p in policies if p.code == form.cleaned_data["policy"])
    try:
        result = entitlement_batch_create(actor=request.user, policy=policy, period=form.cleaned_data["period"],
                                          rebatch=form.cleaned_data["rebatch"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("policies:batches")
    messages.success(request, _("已生成支付批次 %(no)s：%(n)s 笔") % {"no": result.batch.number, "n": f"{result.lines:,}"})
    if result.without_account:
        missing = reverse("policies:entitlements") + "?" + urlencode(
            {"policy": policy.code, "period": form.cleaned_data["period"], "status": "approved", "no_account": "true"})
        messages.warning(request, format_html(
            '{} <a href="{}">{}</a>',
            _("%(n)s 条已审核待遇缺少收款账户，未纳入批次，请乡镇经办补录账户") % {"n": result.without_account},
            missing, _("查看名单")))
    if result.uncorrected:
        messages.warning(request, _("%(n)s 条发放失败的待遇账户尚未更正，未纳入重发批次") % {"n": result.uncorrected})
    return redirect("payments:batch", pk=result.batch.pk)


@login_required
def figures(request):
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    data = selectors.paid_figures(user=request.user, year=year)
    for row in data["by_district"]:
        row["name"] = division_name(row["district_code"])
    chart = {"months": [r["month"] for r in data["by_month"]], "yuan": [r["fen"] / 100 for r in data["by_month"]],
             "times": [r["times"] for r in data["by_month"]]}
    return render(request, "policies/figures.html", {
        "data": data, "year": year, "chart": chart,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)), "active": "figures",
    })
