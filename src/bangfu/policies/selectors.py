"""Reads of the subsidies app, always restricted to the user's area (outside it: 404)."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bangfu.employers.models import Employer
from bangfu.engine import features as ft
from bangfu.engine.policy import explain_beneficiary
from bangfu.engine.policy.explain import Explanation, explain_row
from bangfu.network.models import Helper, Workshop
from bangfu.payments import choices as pc
from bangfu.payments import selectors as payments
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.policies import choices as c
from bangfu.policies.filters import EntitlementFilterSet
from bangfu.policies.models import Entitlement, Policy, PolicyRun
from bangfu.policies.payables import CLAIM_TYPE, scope_of, scope_parts
from bangfu.registry.models import Person

BENEFICIARY_MODELS = {"person": Person, "enterprise": Employer, "workshop": Workshop, "helper": Helper}


def policy_list(*, include_inactive: bool = True) -> QuerySet[Policy]:
    """Policies are defined once for the whole city: every officer may read them."""
    qs = Policy.objects.select_related("current_version")
    return qs if include_inactive else qs.filter(active=True)


def policy_get(*, code: str) -> Policy:
    return get_object_or_404(Policy.objects.select_related("current_version"), code=code)


def run_list(*, user, policy: Policy | None = None) -> QuerySet[PolicyRun]:
    qs = PolicyRun.objects.restrict(user).select_related("policy", "version", "actor")
    return qs.filter(policy=policy) if policy is not None else qs


def run_get(*, user, pk: int) -> PolicyRun:
    return get_object_or_404(run_list(user=user), pk=pk)


def entitlement_filter(*, user, data=None, strict: bool = False) -> EntitlementFilterSet:
    """The user's entitlements asked for by ``data`` (a query string, or the API's parameters);
    ``strict``: a filter that does not validate is refused, not dropped (before a bulk action)."""
    qs = Entitlement.objects.restrict(user).select_related("policy", "person", "employer", "workshop", "helper")
    return EntitlementFilterSet(data, queryset=qs, user=user, strict=strict)


def entitlement_list(*, user, data=None, strict: bool = False) -> QuerySet[Entitlement]:
    return entitlement_filter(user=user, data=data, strict=strict).qs


def entitlement_get(*, user, pk: int) -> Entitlement:
    return get_object_or_404(entitlement_list(user=user).select_related("version", "decided_by"), pk=pk)


def entitlement_status_counts(*, user, data=None) -> dict[str, dict[str, int]]:
    """{status: {"count": n, "total_fen": s}} of the filtered entitlements (status filter ignored)."""
    scope = {k: v for k, v in (data or {}).items() if k != "status"}
    rows = (EntitlementFilterSet(scope, queryset=Entitlement.objects.restrict(user), user=user).qs
            .values("status").annotate(count=Count("id"), total_fen=Sum("amount_fen")))
    out = {s: {"count": 0, "total_fen": 0} for s in c.EntitlementStatus.values}
    for r in rows:
        out[r["status"]] = {"count": r["count"], "total_fen": r["total_fen"] or 0}
    return out


def batch_list(*, user, policy: Policy | None = None) -> QuerySet[PaymentBatch]:
    """Payment batches of entitlements (of one policy) in the user's area."""
    qs = payments.batch_list(user=user, claim_type=CLAIM_TYPE)
    return qs.filter(scope__startswith=f"{policy.code}/") if policy is not None else qs


def entitlement_payments(*, user, entitlement: Entitlement) -> QuerySet[Payment]:
    """The payments of one entitlement, oldest batch first."""
    return (payments.payment_list(user=user, claim_type=CLAIM_TYPE).filter(claim_id=entitlement.pk)
            .select_related("batch").order_by("batch__created_at"))


def beneficiary_get(*, user, kind: str, pk: int):
    """A person, enterprise, workshop or helper of the user's area (404 otherwise)."""
    model = BENEFICIARY_MODELS.get(kind)
    if model is None:
        from django.http import Http404

        raise Http404
    return get_object_or_404(model.objects.restrict(user), pk=pk)


def explanation(*, user, policy: Policy, period: str, kind: str, pk: int) -> tuple[object, Explanation, Entitlement | None]:
    """Why ``pk`` does or does not get ``policy`` in ``period``: computed now by the engine and
    celpy, plus the entitlement (if any) with the facts it was granted on."""
    from bangfu.policies.services.runs import open_engine_for_explain

    beneficiary = beneficiary_get(user=user, kind=kind, pk=pk)
    definition = policy.current_version.to_definition()
    if definition.beneficiary != kind:
        from django.http import Http404

        raise Http404
    with open_engine_for_explain() as eng:
        exp = explain_beneficiary(eng, definition, period, pk)
    entitlement = (Entitlement.objects.restrict(user).filter(policy=policy, period=period, beneficiary_kind=kind,
                                                           beneficiary_id=pk).select_related("version").first())
    return beneficiary, exp, entitlement


def granted_explanation(entitlement: Entitlement) -> Explanation:
    """The decision re-read from the facts stored on the entitlement when it was granted."""
    definition = entitlement.version.to_definition()
    row = {}
    for call in definition.calls:
        row[call.column] = entitlement.facts.get(call.text)
    return explain_row(definition, entitlement.period, entitlement.beneficiary_id, row)


def beneficiary_entitlements(*, user, kind: str, pk: int) -> QuerySet[Entitlement]:
    return (Entitlement.objects.restrict(user).filter(beneficiary_kind=kind, beneficiary_id=pk)
            .select_related("policy", "policy__current_version").order_by("-period", "policy__code"))


def paid_figures(*, user, year: int | None = None) -> dict:
    """Money paid and person-times by policy, by district and by month (of the bank's return)."""
    year = year or timezone.localdate().year
    qs = payments.payment_list(user=user, claim_type=CLAIM_TYPE).filter(status=pc.PaymentStatus.PAID,
                                                                        settled_at__year=year)
    by_code: dict[str, dict] = {}
    for r in qs.values("batch__scope").annotate(times=Count("id"), fen=Sum("amount_fen")):
        row = by_code.setdefault(scope_parts(r["batch__scope"])[0], {"times": 0, "fen": 0})
        row["times"] += r["times"]
        row["fen"] += r["fen"] or 0
    by_district = list(qs.values("district_code").annotate(times=Count("id"), fen=Sum("amount_fen"))
                       .order_by("district_code"))
    by_month = list(qs.annotate(m=TruncMonth("settled_at")).values("m")
                    .annotate(times=Count("id"), fen=Sum("amount_fen")).order_by("m"))
    names = dict(Policy.objects.select_related("current_version").values_list("code", "current_version__name"))
    total = qs.aggregate(times=Count("id"), fen=Sum("amount_fen"))
    return {
        "year": year,
        "total": {"times": total["times"] or 0, "fen": total["fen"] or 0},
        "by_policy": [{"code": code, "name": names.get(code, ""), "times": r["times"], "fen": r["fen"]}
                      for code, r in sorted(by_code.items())],
        "by_district": [{"district_code": r["district_code"], "times": r["times"], "fen": r["fen"] or 0}
                        for r in by_district],
        "by_month": [{"month": timezone.localtime(r["m"]).strftime("%Y-%m") if timezone.is_aware(r["m"]) else r["m"].strftime("%Y-%m"),
                      "times": r["times"], "fen": r["fen"] or 0} for r in by_month if r["m"]],
    }


def reconciliation(*, user, policy: Policy, period: str) -> dict:
    """Entitlements by status against payments: what was granted, paid, failed and outstanding."""
    ents = Entitlement.objects.restrict(user).filter(policy=policy, period=period)
    by_status = {r["status"]: (r["n"], r["s"] or 0) for r in ents.values("status").annotate(n=Count("id"), s=Sum("amount_fen"))}
    # Every payment of an entitlement is in a batch of its policy and period (re-batches too).
    pays = payments.payment_list(user=user, claim_type=CLAIM_TYPE, scope=scope_of(policy, period))
    paid = pays.filter(status=pc.PaymentStatus.PAID).aggregate(n=Count("id"), s=Sum("amount_fen"))
    failed = pays.filter(status__in=pc.PAYMENT_FAILED_STATUSES).aggregate(n=Count("id"), s=Sum("amount_fen"))
    open_ = pays.filter(status=pc.PaymentStatus.PENDING).aggregate(n=Count("id"), s=Sum("amount_fen"))
    paid_ents = by_status.get(c.EntitlementStatus.PAID, (0, 0))
    return {
        "by_status": [{"status": s, "label": label, "count": by_status.get(s, (0, 0))[0],
                       "fen": by_status.get(s, (0, 0))[1]} for s, label in c.EntitlementStatus.choices],
        "payments": {"paid": paid, "failed": failed, "pending": open_},
        "balanced": (paid["n"] or 0) == paid_ents[0] and (paid["s"] or 0) == paid_ents[1],
        "outstanding": sum(by_status.get(s, (0, 0))[1] for s in (c.EntitlementStatus.APPROVED,
                                                                  c.EntitlementStatus.PAYING,
                                                                  c.EntitlementStatus.FAILED)),
    }


def latest_data_year() -> str:
    """The last year with employment months (the usual subsidy year); last calendar year if none."""
    from django.db.models import Max

    from bangfu.monitoring.models import EmploymentMonth

    latest = EmploymentMonth.objects.aggregate(m=Max("month"))["m"]
    return latest[:4] if latest else str(timezone.localdate().year - 1)


def work_evidence(*, user, kind: str, pk: int, period: str) -> list[dict]:
    """Where and when a person worked in ``period`` (the employment months the features read),
    for the explanation page: month, place, channel, employer, job. Empty for other kinds."""
    if kind != "person":
        return []
    from bangfu.core import reference
    from bangfu.core.places import place_facts
    from bangfu.monitoring.models import EmploymentMonth

    try:
        bounds = ft.Period.parse(period)
    except ft.PeriodError:
        return []
    rows = (EmploymentMonth.objects.restrict(user).filter(person_id=pk, month__gte=bounds.first_month,
                                                          month__lte=bounds.last_month).order_by("month"))
    out = []
    for m in rows:
        facts = place_facts(m.destination_code) if m.destination_code else None
        out.append({"month": m.month, "place_class": m.get_place_class_display(),
                    "place": facts.name if facts else reference.area_name(m.person.township_code)
                    if m.place_class == "in_county" else "", "channel": m.get_channel_display(),
                    "employer": m.employer_name, "job": m.job_title})
    return out
