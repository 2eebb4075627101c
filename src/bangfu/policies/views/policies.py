"""Policies, the feature catalogue, runs (preview and commit) and explanations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.core.background_views import start_from_page
from bangfu.core.capabilities import Capability
from bangfu.engine import features as ft
from bangfu.engine.policy import cel
from bangfu.engine.policy.plain import plain_text
from bangfu.policies import selectors
from bangfu.policies import choices as c
from bangfu.policies.forms import PolicyForm, RunForm
from bangfu.policies.models import Entitlement, PolicyVersion
from bangfu.policies.services import policy_create, policy_version_create
from bangfu.policies.work import RUN_WORK
from bangfu.policies.views.common import can_approve, page_of


@login_required
def index(request):
    policies = list(selectors.policy_list())
    counts: dict[int, dict[str, dict]] = {}
    rows = (Entitlement.objects.restrict(request.user).values("policy_id", "status")
            .annotate(n=Count("id"), fen=Sum("amount_fen")))
    for r in rows:
        counts.setdefault(r["policy_id"], {})[r["status"]] = {"n": r["n"], "fen": r["fen"] or 0}
    for p in policies:
        by_status = counts.get(p.pk, {})
        p.granted = sum(v["n"] for s, v in by_status.items() if s != c.EntitlementStatus.REJECTED)
        p.pending = by_status.get(c.EntitlementStatus.PENDING, {}).get("n", 0)
        p.paid_n = by_status.get(c.EntitlementStatus.PAID, {}).get("n", 0)
        p.paid_fen = by_status.get(c.EntitlementStatus.PAID, {}).get("fen", 0)
    return render(request, "policies/index.html", {
        "policies": policies, "can_manage": request.user.has_capability(Capability.MANAGE_POLICIES), "active": "index",
    })


@login_required
def features(request):
    groups = [{"kind": kind, "label": ft.KIND_LABELS[kind], "features": ft.features_for(kind)} for kind in ft.KINDS]
    return render(request, "policies/features.html", {"groups": groups, "type_labels": ft.TYPE_LABELS,
                                                      "active": "features"})


@login_required
def policy_detail(request, code: str):
    policy = selectors.policy_get(code=code)
    version = policy.current_version
    definition = version.to_definition() if version else None
    calls = definition.calls if definition else []
    condition_words, amount_words = [], ""
    if definition is not None:
        condition, amount = definition.checked
        condition_words = [plain_text(clause, tr=_) for clause in cel.conjuncts(condition.root)]
        amount_words = plain_text(amount.root, tr=_)
    runs = page_of(request, selectors.run_list(user=request.user, policy=policy), 10)
    return render(request, "policies/policy_detail.html", {
        "policy": policy, "version": version, "calls": calls, "condition_words": condition_words,
        "amount_words": amount_words,
        "versions": policy.versions.select_related("created_by").all(),
        "runs": runs, "run_form": RunForm(user=request.user),
        "can_run": can_approve(request.user) or request.user.has_capability(Capability.MANAGE_POLICIES),
        "can_manage": request.user.has_capability(Capability.MANAGE_POLICIES), "active": "index",
    })


@login_required
def policy_version(request, code: str, number: int):
    policy = selectors.policy_get(code=code)
    version = policy.versions.filter(number=number).select_related("created_by").first()
    if version is None:
        raise Http404
    return render(request, "policies/policy_version.html", {"policy": policy, "version": version, "active": "index"})


def _form_initial(version: PolicyVersion) -> dict:
    return {
        "code": version.policy.code, "name": version.name, "legal_basis": version.legal_basis,
        "beneficiary": version.beneficiary_kind, "condition": version.condition, "amount": version.amount,
        "budget_yuan": version.budget_fen / 100 if version.budget_fen is not None else None,
        "description": version.description, "note": version.note,
    }


def _render_form(request, form, policy=None):
    kind = form.data.get("beneficiary") or (policy.current_version.beneficiary_kind if policy else "person")
    return render(request, "policies/policy_form.html", {
        "form": form, "policy": policy, "features": ft.features_for(kind if kind in ft.KINDS else "person"),
        "condition_error": form.cel_error_for("condition"), "amount_error": form.cel_error_for("amount"),
        "active": "index",
    })


@login_required
def policy_create_view(request):
    require(request.user, Capability.MANAGE_POLICIES)
    if request.method == "POST":
        form = PolicyForm(request.POST)
        if form.is_valid():
            policy = policy_create(definition=form.definition, actor=request.user,
                                   change_reason=form.cleaned_data.get("change_reason", ""))
            messages.success(request, _("已保存政策“%(name)s”（版本 1）") % {"name": policy.name})
            return redirect("policies:detail", code=policy.code)
    else:
        form = PolicyForm(initial={"beneficiary": "person", "condition": "", "amount": ""})
    return _render_form(request, form)


@login_required
def policy_edit(request, code: str):
    require(request.user, Capability.MANAGE_POLICIES)
    policy = selectors.policy_get(code=code)
    initial = _form_initial(policy.current_version)
    if request.method == "POST":
        data = request.POST.copy()
        data["code"] = policy.code
        form = PolicyForm(data, editing=True, initial=initial)
        if form.is_valid():
            from bangfu.engine.policy.definition import DefinitionError

            try:
                version = policy_version_create(policy=policy, definition=form.definition, actor=request.user,
                                                change_reason=form.cleaned_data["change_reason"])
            except DefinitionError as exc:
                for error in exc.errors:
                    form.add_error(None, error[1] if isinstance(error, tuple) else str(error))
                return _render_form(request, form, policy)
            messages.success(request, _("已保存为新版本 %(n)s，并立即生效") % {"n": version.number})
            return redirect("policies:detail", code=policy.code)
    else:
        form = PolicyForm(initial=initial, editing=True)
    return _render_form(request, form, policy)


@login_required
def check_expression(request):
    """htmx: check one CEL field while the author types; answers a small fragment."""
    kind = request.GET.get("beneficiary", "person")
    field = request.GET.get("field", "condition")
    text = request.GET.get(field, "")
    expect = (cel.BOOL,) if field == "condition" else (cel.INT, cel.DOUBLE)
    error = None
    calls = []
    if kind in ft.KINDS and text.strip():
        try:
            calls = cel.check(text, kind=kind, expect=expect, field_name=field).calls
        except cel.CelError as exc:
            error = exc
    return render(request, "policies/_check.html", {"error": error, "calls": calls, "text": text})


@login_required
@require_POST
def run_start(request, code: str):
    policy = selectors.policy_get(code=code)
    form = RunForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, _("请选择期间和计算引擎"))
        return redirect("policies:detail", code=code)
    commit = request.POST.get("mode") == "commit"
    params = {"code": policy.code, "period": form.cleaned_data["period"], "commit": commit,
              "engine": form.cleaned_data["engine"], "area": form.cleaned_data["area"] or request.user.area_code}
    return start_from_page(request, kind=RUN_WORK, params=params, area_code=params["area"],
                           fallback=reverse("policies:detail", args=[code]))


@login_required
def run_detail(request, pk: int):
    run = selectors.run_get(user=request.user, pk=pk)
    kind = run.version.beneficiary_kind
    model = selectors.BENEFICIARY_MODELS[kind]
    ids = [s["id"] for s in (run.result or {}).get("sample", [])]
    names = {o.pk: str(o) for o in model.objects.restrict(request.user).filter(pk__in=ids)}
    sample = [dict(s, name=names.get(s["id"], "")) for s in (run.result or {}).get("sample", [])]
    by_district = (run.result or {}).get("by_district", [])
    by_township = (run.result or {}).get("by_township", [])
    show_townships = len(by_district) <= 1
    return render(request, "policies/run_detail.html", {
        "run": run, "policy": run.policy, "sample": sample, "by_district": by_district,
        "by_township": by_township, "show_townships": show_townships, "kind": kind,
        "can_commit": can_approve(request.user) and run.mode == c.RunMode.PREVIEW and run.status == c.RunStatus.DONE,
        "active": "index",
    })


@login_required
def explain(request, kind: str, pk: int):
    """Why a person (enterprise, workshop) does or does not get a policy in a period."""
    if kind not in selectors.BENEFICIARY_MODELS:
        raise Http404
    beneficiary = selectors.beneficiary_get(user=request.user, kind=kind, pk=pk)
    policies = [p for p in selectors.policy_list() if p.current_version and p.current_version.beneficiary_kind == kind]
    code = request.GET.get("policy") or (policies[0].code if policies else "")
    period = request.GET.get("period") or selectors.latest_data_year()
    policy = next((p for p in policies if p.code == code), None)
    exp = entitlement = granted = None
    error = ""
    if policy is not None:
        try:
            ft.Period.parse(period)
            _b, exp, entitlement = selectors.explanation(user=request.user, policy=policy, period=period, kind=kind, pk=pk)
            if entitlement is not None and entitlement.facts:
                granted = selectors.granted_explanation(entitlement)
        except ft.PeriodError as exc:
            error = str(exc)
    history = selectors.beneficiary_entitlements(user=request.user, kind=kind, pk=pk)[:20]
    work = selectors.work_evidence(user=request.user, kind=kind, pk=pk, period=period) if policy and not error else []
    years = [str(y) for y in range(timezone.localdate().year, timezone.localdate().year - 6, -1)]
    return render(request, "policies/explain.html", {
        "kind": kind, "beneficiary": beneficiary, "policies": policies, "policy": policy, "period": period,
        "years": years, "exp": exp, "entitlement": entitlement, "granted": granted, "error": error,
        "history": history, "work": work, "person_url": reverse("registry:person_detail", args=[pk]) if kind == "person" else "",
        "active": "index",
    })


@login_required
def explain_person(request, pk: int):
    return explain(request, "person", pk)

