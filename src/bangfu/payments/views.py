"""Payment pages: batches (any claim type), the bank file, the bank's return, reversals,
reconciliation, withdrawal, failed payments and payee accounts. Batches are made by the app
whose claims they pay (免申即享's batch page for entitlements)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core.actors import require
from bangfu.core.capabilities import Capability
from bangfu.core.imports import FileError, run_import
from bangfu.core.pagination import page_of
from bangfu.payments import choices as c
from bangfu.payments import selectors
from bangfu.payments.claims import claim_types
from bangfu.payments.forms import PayeeAccountForm, ReturnFileForm
from bangfu.payments.importers import IMPORTERS
from bangfu.payments.services import (
    payee_account_set, payment_batch_cancel, payment_batch_export, payment_batch_reconcile, payment_reverse,
)
from bangfu.payments.services.batches import CAPABILITY_FULL, CAPABILITY_PAY, check_payer

from bangfu.registry.selectors import person_get


def can_pay(user) -> bool:
    return user.has_capability(CAPABILITY_PAY) and len(user.area_code) != 9


@login_required
def batch_list(request):
    kinds = claim_types()
    claim_type = request.GET.get("claim_type", "")
    claim_type = claim_type if claim_type in kinds else ""
    status = request.GET.get("status", "")
    status = status if status in c.BatchStatus.values else ""
    return render(request, "payments/batches.html", {
        "page": page_of(request, selectors.batch_list(user=request.user, claim_type=claim_type, status=status)),
        "claim_types": [(code, kind.label) for code, kind in kinds.items()], "claim_type": claim_type,
        "makers": [(kind.label, reverse(kind.batch_url_name)) for kind in kinds.values() if kind.batch_url_name],
        "statuses": c.BatchStatus.choices, "status": status, "active": "batches",
    })


@login_required
def batch_detail(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    payments = page_of(request, selectors.batch_payments(user=request.user, batch=batch, status=status))
    return render(request, "payments/batch_detail.html", {
        "batch": batch, "page": payments, "status": status, "statuses": c.PaymentStatus.choices,
        "claim_label": selectors.claim_label(batch.claim_type),
        "can_pay": can_pay(request.user), "can_full": request.user.has_capability(CAPABILITY_FULL),
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
    try:
        content, name, ctype = payment_batch_export(actor=request.user, batch=batch,
                                                    fmt="xlsx" if fmt == "xlsx" else "csv", full=full)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("payments:batch", pk=batch.pk)
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_POST
def batch_return(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    check_payer(request.user)
    form = ReturnFileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择银行回盘文件"))
        return redirect("payments:batch", pk=batch.pk)
    upload = form.cleaned_data["file"]
    try:
        result = run_import(IMPORTERS["bank_return"], upload, actor=request.user, filename=upload.name)
    except FileError as exc:
        messages.error(request, str(exc))
        return redirect("payments:batch", pk=batch.pk)
    request.session[f"batch_import_{batch.pk}"] = {
        "rows": result.rows, "updated": result.updated, "unchanged": result.unchanged, "committed": result.committed,
        "errors": [{"row": e.row, "column": e.column, "message": _(e.message)} for e in result.errors[:200]],
        "error_count": len(result.errors),
    }
    if result.committed:
        messages.success(request, _("回盘已导入：%(n)s 笔更新，%(u)s 笔无变化") % {"n": result.updated, "u": result.unchanged})
    else:
        messages.error(request, _("回盘文件有 %(n)s 处错误，未导入任何数据，请更正后重新上传") % {"n": len(result.errors)})
    return redirect("payments:batch", pk=batch.pk)


@login_required
@require_POST
def payment_reverse_view(request, pk: int, payment_pk: int):
    """Record a bank reversal (退汇) of a paid line, with its reason."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    payment = get_object_or_404(selectors.batch_payments(user=request.user, batch=batch), pk=payment_pk)
    check_payer(request.user)
    try:
        payment_reverse(actor=request.user, payment=payment, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已登记第 %(line)s 笔退汇，该待遇可在账户核实后重新生成失败重发批次") % {"line": payment.line_no})
    return redirect("payments:batch", pk=batch.pk)


@login_required
@require_POST
def batch_reconcile(request, pk: int):
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        checks = payment_batch_reconcile(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("payments:batch", pk=batch.pk)
    request.session[f"batch_checks_{batch.pk}"] = [{"label": ch.label, "ok": ch.ok, "detail": ch.detail} for ch in checks]
    if all(ch.ok for ch in checks):
        messages.success(request, _("对账完成：批次收支平衡"))
    else:
        messages.error(request, _("对账未通过，请查看核对结果"))
    return redirect("payments:batch", pk=batch.pk)


@login_required
@require_POST
def batch_cancel(request, pk: int):
    """Withdraw a batch whose bank file was never exported; its claims can be batched again."""
    batch = selectors.batch_get(user=request.user, pk=pk)
    try:
        payment_batch_cancel(actor=request.user, batch=batch, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("批次 %(no)s 已作废，其中的待遇可重新生成批次") % {"no": batch.number})
    return redirect("payments:batch", pk=batch.pk)


@login_required
def failed_list(request):
    return render(request, "payments/failed.html", {
        "page": page_of(request, selectors.failed_payments(user=request.user)),
        "can_edit": request.user.has_capability(Capability.EDIT_REGISTRY), "active": "failed",
    })


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return fallback


@login_required
def payee_account_edit(request, person_pk: int):
    person = person_get(user=request.user, person_id=person_pk)
    require(request.user, Capability.EDIT_REGISTRY)
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
                return redirect(_safe_next(request, "payments:failed"))
    else:
        form = PayeeAccountForm(initial={"bank_name": account.bank_name if account else ""})
    return render(request, "payments/payee_account.html", {
        "person": person, "account": account, "form": form, "next": request.GET.get("next", ""), "active": "failed",
    })
