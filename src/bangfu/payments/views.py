"""Payment batches, bank files, the bank's return, re-batching, reconciliation, accounts, figures."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.imports import FileError, run_import
from bangfu.policies import choices as c
from bangfu.policies import selectors
from bangfu.policies.forms import BatchForm, PayeeAccountForm, ReturnFileForm
from bangfu.policies.importers import IMPORTERS
from bangfu.policies.services import (
    payee_account_set, payment_batch_create, payment_batch_export, payment_batch_reconcile, payment_reverse,
)
from bangfu.policies.views.common import can_approve, page_of
from bangfu.registry.filters import division_name


@login_required
def batch_list(request):
    policies = [p for p in selectors.policy_list() if p.current_version]
    recon = None
    latest = selectors.batch_list(user=request.user).first()
    code = request.GET.get("policy") or (latest.policy.code if latest else (policies[0].code if policies else ""))
    period = request.GET.get("period") or (latest.period if latest else selectors.latest_data_year())
    if code and period:
        policy = next((p for p in policies if p.code == code), None)
        if policy is not None:
            recon = selectors.reconciliation(user=request.user, policy=policy, period=period)
            recon["policy"] = policy
            recon["period"] = period
    form = BatchForm(policies=policies, initial={"policy": code})
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
        result = payment_batch_create(actor=request.user, policy=policy, period=form.cleaned_data["period"],
                                      rebatch=form.cleaned_data["rebatch"])
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("policies:batches")
    messages.success(request, _("已生成支付批次 %(no)s：%(n)s 笔") % {"no": result.batch.number, "n": f"{result.lines:,}"})
    if result.without_account:
        messages.warning(request, _("%(n)s 条已审核待遇缺少收款账户，未纳入批次，请乡镇经办补录账户") % {"n": result.without_account})
    if result.uncorrected:
        messages.warning(request, _("%(n)s 条发放失败的待遇账户尚未更正，未纳入重发批次") % {"n": result.uncorrected})
    return redirect("policies:batch", pk=result.batch.pk)


@login_required
def batch_detail(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    payments = page_of(request, selectors.batch_payments(user=request.user, batch=batch, status=status))
    return render(request, "policies/batch_detail.html", {
        "batch": batch, "page": payments, "status": status, "statuses": c.PaymentStatus.choices,
        "can_pay": can_approve(request.user), "can_full": request.user.has_capability("pii.view_full"),
        "return_form": ReturnFileForm(), "checks": request.session.pop(f"batch_checks_{batch.pk}", None),
        "import_result": request.session.pop(f"batch_import_{batch.pk}", None), "active": "batches",
    })


@login_required
@require_POST
def batch_file(request, pk: int, fmt: str):
    """The bank file. A POST: the first download marks the batch exported (a GET must change
    nothing, and browsers and proxies fetch links on their own)."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    full = request.POST.get("full") == "1"
    content, name, ctype = payment_batch_export(actor=request.user, batch=batch, fmt="xlsx" if fmt == "xlsx" else "csv",
                                                full=full)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def batch_return(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    if not can_approve(request.user):
        raise PermissionDenied
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择银行回盘文件"))
        return redirect("policies:batch", pk=batch.pk)
    upload = form.cleaned_data["file"]
    try:
        result = run_import(IMPORTERS["bank_return"], upload, actor=request.user, filename=upload.name)
    except FileError as exc:
        messages.error(request, str(exc))
        return redirect("policies:batch", pk=batch.pk)
    request.session[f"batch_import_{batch.pk}"] = {
        "rows": result.rows, "updated": result.updated, "unchanged": result.unchanged, "committed": result.committed,
        "errors": [{"row": e.row, "column": e.column, "message": _(e.message)} for e in result.errors[:200]],
        "error_count": len(result.errors),
    }
    if result.committed:
        messages.success(request, _("回盘已导入：%(n)s 笔更新，%(u)s 笔无变化") % {"n": result.updated, "u": result.unchanged})
    else:
        messages.error(request, _("回盘文件有 %(n)s 处错误，未导入任何数据，请更正后重新上传") % {"n": len(result.errors)})
    return redirect("policies:batch", pk=batch.pk)


@login_required
@require_POST
def payment_reverse_view(request, pk: int, payment_pk: int):
    """Record a bank reversal (退汇) of a paid line, with its reason."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    payment = get_object_or_404(selectors.batch_payments(user=request.user, batch=batch), pk=payment_pk)
    if not can_approve(request.user):
        raise PermissionDenied
    try:
        payment_reverse(actor=request.user, payment=payment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已登记第 %(line)s 笔退汇，该待遇可在账户核实后重新生成失败重发批次") % {"line": payment.line_no})
    return redirect("policies:batch", pk=batch.pk)


@login_required
@require_POST
def batch_reconcile(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        checks = payment_batch_reconcile(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("policies:batch", pk=batch.pk)
    request.session[f"batch_checks_{batch.pk}"] = [{"label": ch.label, "ok": ch.ok, "detail": ch.detail} for ch in checks]
    if all(ch.ok for ch in checks):
        messages.success(request, _("对账完成：批次收支平衡"))
    else:
        messages.error(request, _("对账未通过，请查看核对结果"))
    return redirect("policies:batch", pk=batch.pk)


@login_required
def failed_list(request):
    return render(request, "policies/failed.html", {
        "page": page_of(request, selectors.failed_payments(user=request.user)),
        "can_edit": request.user.has_capability("registry.edit"), "active": "failed",
    })


@login_required
def payee_account_edit(request, person_pk: int):
    person = selectors.beneficiary_get(user=request.user, kind="person", pk=person_pk)
    if not request.user.has_capability("registry.edit"):
        raise PermissionDenied
    account = getattr(person, "payee_account", None) if hasattr(person, "payee_account") else None
    if request.method == "POST":
        form = PayeeAccountForm(request.POST)
        if form.is_valid():
            try:
                payee_account_set(actor=request.user, person=person, bank_name=form.cleaned_data["bank_name"],
                                  account=form.cleaned_data["account"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for e in errors:
                        form.add_error(field if field in form.fields else None, e)
            else:
                messages.success(request, _("已更新%(name)s的收款账户，可在下一次失败重发批次中发放") % {"name": person.name})
                return redirect(request.POST.get("next") or "policies:failed")
    else:
        form = PayeeAccountForm(initial={"bank_name": account.bank_name if account else ""})
    return render(request, "policies/payee_account.html", {
        "person": person, "account": account, "form": form, "next": request.GET.get("next", ""), "active": "failed",
    })


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


@login_required
def outbox(request):
    return render(request, "policies/outbox.html", {
        "page": page_of(request, selectors.outbox_list(user=request.user)), "active": "outbox",
    })
