"""Pages of social insurance: the coverage gap list (应保尽保) with its export and follow-ups, the
premium-on-behalf list (代缴名单), platforms and their declarations, injury cases, and employers'
unemployment-insurance contributions with the job-retention refund. Officers only (registry.edit)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.capabilities import Capability
from bangfu.core.exports import xlsx_response
from bangfu.core.pages import capability_page
from bangfu.core.pagination import page_of
from bangfu.insurance import choices as c
from bangfu.insurance import exports, selectors, services
from bangfu.insurance.params import param
from bangfu.insurance.services.errors import ERR_NO_EDIT, InsuranceError


insurance_page = capability_page(Capability.EDIT_REGISTRY, ERR_NO_EDIT)


def _year(request, default: int | None = None) -> int | None:
    text = request.GET.get("year") or request.POST.get("year") or ""
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else default


@insurance_page
def index(request):
    """应保尽保: who should be insured and is not, why (the rule) and since when."""
    year = _year(request, selectors.coverage_gap_latest_year(user=request.user) or timezone.localdate().year)
    rule = request.GET.get("rule", "")
    rule = rule if rule in c.CoverageRule.values else ""
    gaps = selectors.coverage_gap_list(user=request.user, year=year, rule=rule)
    return render(request, "insurance/index.html", {
        "page": page_of(request, gaps), "year": year, "rule": rule, "rules": c.CoverageRule.choices,
        "target": param("INSURANCE_COVERAGE_TARGET_PERMILLE") / 10})


@insurance_page
def gaps_export(request):
    year = _year(request)
    return xlsx_response(exports.coverage_gaps(user=request.user, year=year, rule=request.GET.get("rule", "")),
                         filename_stem=f"应保未保人员名单-{year or ''}")


@insurance_page
def gap_detail(request, pk: int):
    gap = selectors.coverage_gap_get(user=request.user, pk=pk)
    return render(request, "insurance/gap.html", {"gap": gap, "follow_ups": gap.follow_ups.select_related("recorded_by"),
                                                  "outcomes": c.CoverageFollowUp.choices})


@insurance_page
@require_POST
def gap_follow_up(request, pk: int):
    gap = selectors.coverage_gap_get(user=request.user, pk=pk)
    try:
        services.coverage_follow_up_record(actor=request.user, gap=gap, outcome=request.POST.get("outcome", ""),
                                           note=request.POST.get("note", ""))
        messages.success(request, _("已登记跟进情况"))
    except (InsuranceError, ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return redirect("insurance:gap", pk=gap.pk)


@insurance_page
def on_behalf(request):
    """代缴名单: the premium-on-behalf policy's entitlements (paid through payments)."""
    year = _year(request, timezone.localdate().year)
    entitlements = selectors.on_behalf_list(user=request.user, year=year)
    return render(request, "insurance/on_behalf.html", {"page": page_of(request, entitlements), "year": year})


@insurance_page
def on_behalf_export(request):
    year = _year(request)
    return xlsx_response(exports.on_behalf(user=request.user, year=year), filename_stem=f"代缴名单-{year or ''}")


@insurance_page
def platforms(request):
    month = request.GET.get("month", "")[:7]
    return render(request, "insurance/platforms.html", {
        "platforms": selectors.platform_list(user=request.user),
        "page": page_of(request, selectors.declaration_list(user=request.user, month=month)), "month": month,
        "cases": selectors.injury_case_list(user=request.user)[:50]})


@insurance_page
def unemployment(request):
    year = _year(request, timezone.localdate().year)
    return render(request, "insurance/unemployment.html", {
        "year": year, "totals": selectors.ui_totals(user=request.user, year=year),
        "page": page_of(request, selectors.ui_contribution_list(user=request.user, year=year)),
        "refunds": selectors.refund_list(user=request.user)[:50]})
