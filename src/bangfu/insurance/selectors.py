"""Reads of the insurance app, each from ``Model.objects.restrict(user)`` (out of area = 404).

The 代缴名单 and the 稳岗返还 list read the entitlements of their policies (the one ledger, paid by
``payments``); nothing here keeps a second record of those payments."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from bangfu.insurance.models import (
    CoverageGap, InjuryCase, InsuredRecord, OrderDeclaration, Platform, UnemploymentContribution,
)
from bangfu.policies.models import Entitlement

PENSION_POLICY = "pension_premium_on_behalf"
REFUND_POLICY = "job_retention_refund"


def insured_list(*, user, year: int | None = None, scheme: str = "") -> QuerySet[InsuredRecord]:
    qs = InsuredRecord.objects.restrict(user).select_related("person")
    if year:
        qs = qs.filter(year=year)
    if scheme:
        qs = qs.filter(scheme=scheme)
    return qs.order_by("person__district_code", "person__township_code", "person_id", "scheme")


def coverage_gap_list(*, user, year: int | None = None, rule: str = "", open_only: bool = True,
                      township_code: str = "") -> QuerySet[CoverageGap]:
    qs = CoverageGap.objects.restrict(user).select_related("person").annotate(follow_up_count=Count("follow_ups"))
    if year:
        qs = qs.filter(year=year)
    if rule:
        qs = qs.filter(rule=rule)
    if open_only:
        qs = qs.filter(closed_on__isnull=True)
    if township_code:
        qs = qs.filter(township_code=township_code)
    return qs.order_by("district_code", "township_code", "since", "id")


def coverage_gap_get(*, user, pk: int) -> CoverageGap:
    return get_object_or_404(CoverageGap.objects.restrict(user).select_related("person"), pk=pk)


def coverage_gap_latest_year(*, user) -> int | None:
    return CoverageGap.objects.restrict(user).order_by("-year").values_list("year", flat=True).first()


def on_behalf_list(*, user, year: int | None = None) -> QuerySet[Entitlement]:
    """代缴名单: the entitlements of the premium-on-behalf policy (not rejected)."""
    qs = (Entitlement.objects.restrict(user).filter(policy__code=PENSION_POLICY).exclude(status="rejected")
          .select_related("person"))
    if year:
        qs = qs.filter(period=str(year))
    return qs.order_by("district_code", "township_code", "person_id")


def refund_list(*, user, year: int | None = None) -> QuerySet[Entitlement]:
    """稳岗返还: the job-retention refund's entitlements (per enterprise and contribution year)."""
    qs = (Entitlement.objects.restrict(user).filter(policy__code=REFUND_POLICY).exclude(status="rejected")
          .select_related("employer"))
    if year:
        qs = qs.filter(period=str(year))
    return qs.order_by("district_code", "-amount_fen", "id")


def platform_list(*, user) -> QuerySet[Platform]:
    return Platform.objects.restrict(user).select_related("employer").annotate(
        orders=Sum("declarations__orders"), premium_fen=Sum("declarations__premium_fen"))


def platform_get(*, user, pk: int) -> Platform:
    return get_object_or_404(Platform.objects.restrict(user).select_related("employer"), pk=pk)


def declaration_list(*, user, month: str = "", platform: Platform | None = None) -> QuerySet[OrderDeclaration]:
    qs = OrderDeclaration.objects.restrict(user).select_related("platform__employer")
    if month:
        qs = qs.filter(month=month)
    if platform is not None:
        qs = qs.filter(platform=platform)
    return qs.order_by("-month", "platform_id")


def injury_case_list(*, user, stage: str = "") -> QuerySet[InjuryCase]:
    qs = InjuryCase.objects.restrict(user).select_related("platform__employer")
    return qs.filter(stage=stage) if stage else qs


def injury_case_get(*, user, pk: int) -> InjuryCase:
    return get_object_or_404(InjuryCase.objects.restrict(user).select_related("platform__employer"), pk=pk)


def ui_contribution_list(*, user, year: int | None = None) -> QuerySet[UnemploymentContribution]:
    qs = UnemploymentContribution.objects.restrict(user).select_related("employer")
    if year:
        qs = qs.filter(month__startswith=f"{year}-")
    return qs.order_by("-month", "employer_id")


def ui_totals(*, user, year: int) -> dict[str, int]:
    agg = ui_contribution_list(user=user, year=year).aggregate(
        base=Sum("base_fen"), paid=Sum("paid_fen"), reduction=Sum("reduction_fen"),
        employers=Count("employer", distinct=True))
    refund = refund_list(user=user).filter(Q(period=str(year - 1)) | Q(period=str(year))).aggregate(s=Sum("amount_fen"))
    return {k: int(v or 0) for k, v in agg.items()} | {"refund": int(refund["s"] or 0)}
