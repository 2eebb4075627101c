"""The officers' pages: the priority list, intake by phone or walk-in, case work, offices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from bangfu.arrears import choices as c
from bangfu.arrears import selectors
from bangfu.arrears.forms import (
    ExtendForm,
    NoteForm,
    OfficerComplaintForm,
    OfficeImportForm,
    PaymentForm,
    TransferForm,
    TransitionForm,
)
from bangfu.arrears.importers import IMPORTERS, example_path
from bangfu.arrears.permissions import can_handle, can_handle_any
from bangfu.arrears.priority import priority_reasons, queue_position
from bangfu.arrears.ratelimit import client_ip
from bangfu.arrears.services import (
    CaseError,
    case_extend,
    case_intake,
    case_note_add,
    case_payment_record,
    case_transfer,
    case_transition,
)
from bangfu.arrears.services.exposure import (
    ExportTooLarge,
    case_attachment_open,
    case_list_export,
    case_pii_reveal,
)
from bangfu.core.actors import Forbidden, require
from bangfu.core.capabilities import Capability
from bangfu.core.exports import xlsx_response
from bangfu.core.pagination import page_of

PAGE_SIZE = 30
ERR_NO_HANDLER = gettext_noop("您没有办理欠薪案件的权限")


def _require_handler(user) -> None:
    if not can_handle_any(user):
        raise Forbidden(_(ERR_NO_HANDLER))


@login_required
def index(request):
    """Open cases by priority (filters kept in the query string), with each one's clock."""
    today = timezone.localdate()
    filters = selectors.case_filter(user=request.user, data=request.GET, today=today)
    page = page_of(request, filters.qs, per_page=PAGE_SIZE)
    for case in page:
        case.clock = selectors.case_clock(case, today)
    offices = filters.offices
    return render(request, "arrears/index.html", {
        "page": page, "filters": filters.values, "filter_errors": filters.error_messages(),
        "query": filters.query_string(),
        "states": c.State.choices, "offices": offices, "many_offices": len(offices) > 1,
        "can_handle": can_handle_any(request.user),
        "overdue_count": selectors.case_list(
            user=request.user, data={"state": "open", "overdue": "1"}, today=today).count(),
    })


@login_required
def export(request):
    """The list as the page shows it, as xlsx; a refused filter sends back to the page (which
    says why) rather than exporting more than was asked for."""
    try:
        content = case_list_export(actor=request.user, data=request.GET, ip_address=client_ip(request))
    except ExportTooLarge as exc:
        messages.error(request, str(exc))
    except ValidationError:
        pass  # the page lists the refused values
    else:
        return xlsx_response(content, filename_stem=_("欠薪案件"))
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("arrears:index") + (f"?{query}" if query else ""))


@login_required
def case_new(request):
    """Intake by an officer: a complaint taken on the phone or at the counter."""
    _require_handler(request.user)
    form = OfficerComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        result = case_intake(complaint=form.complaint, channel=form.cleaned_data["channel"],
                             actor=request.user, files=form.checked_files,
                             ip_address=client_ip(request))
        if result.linked_to:
            messages.warning(request, _("该投诉与案件 %(number)s 为同一事项，已并案") % {
                "number": result.linked_to.number})
        else:
            messages.success(request, _("已登记，案件号 %(number)s，办理机构：%(office)s") % {
                "number": result.case.number, "office": result.case.office.name})
        target = result.primary
        if selectors.case_list(user=request.user, data={"state": "all"}).filter(
                pk=target.pk).exists():
            return HttpResponseRedirect(reverse("arrears:case_detail", args=[target.number]))
        return HttpResponseRedirect(reverse("arrears:index"))  # routed to an office out of their sight
    return render(request, "arrears/case_form.html", {"form": form})


def _detail_context(request, case, **extra) -> dict:
    today = timezone.localdate()
    handler = can_handle(request.user, case)
    context = {
        "case": case, "clock": selectors.case_clock(case, today),
        "reasons": priority_reasons(case, today=today), "position": queue_position(case),
        "events": selectors.case_events(case=case),
        "attachments": case.attachments.all(),
        "linked": selectors.case_linked(user=request.user, case=case),
        "can_handle": handler,
        "back": request.GET.get("back", ""),
    }
    if handler:
        context.update({
            "transition_form": TransitionForm(case=case) if case.next_states else None,
            "payment_form": PaymentForm() if case.state in c.PAYMENT_STATES else None,
            "note_form": NoteForm(),
            "transfer_form": TransferForm(case=case) if case.state in c.TRANSFER_STATES else None,
            "extend_form": ExtendForm() if (case.state in c.ACTIVE_STATES and not case.extended) else None,
        })
    context.update(extra)
    return context


@login_required
def case_detail(request, number: str):
    case = selectors.case_get(user=request.user, number=number)
    return render(request, "arrears/case_detail.html", _detail_context(request, case))


@login_required
@require_POST
def case_reveal(request, number: str):
    """Show the full ID number and phone once (to call the worker); audited."""
    case = selectors.case_get(user=request.user, number=number)
    try:
        revealed = case_pii_reveal(case=case, actor=request.user, ip_address=client_ip(request))
    except Forbidden:
        messages.error(request, _("您没有查看完整证件号码和电话的权限"))
        return HttpResponseRedirect(reverse("arrears:case_detail", args=[case.number]))
    return render(request, "arrears/case_detail.html", _detail_context(request, case, revealed=revealed))


ACTIONS = {"transition", "payment", "note", "transfer", "extend"}


@login_required
@require_POST
def case_action(request, number: str, action: str):
    """One piece of case work; each goes through its service (audit row, worker message)."""
    case = selectors.case_get(user=request.user, number=number)
    if action not in ACTIONS:
        raise Http404
    if not can_handle(request.user, case):
        raise Forbidden(_(ERR_NO_HANDLER))
    form_class = {"transition": TransitionForm, "payment": PaymentForm, "note": NoteForm,
                  "transfer": TransferForm, "extend": ExtendForm}[action]
    kwargs = {"case": case} if action in ("transition", "transfer") else {}
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(reverse("arrears:case_detail", args=[case.number]))
    data = form.cleaned_data
    try:
        if action == "transition":
            case = case_transition(case=case, to_state=data["to_state"], actor=request.user, note=data["note"])
            messages.success(request, _("状态已更新为“%(state)s”") % {"state": case.get_state_display()})
        elif action == "payment":
            case = case_payment_record(case=case, amount_fen=data["amount"], workers=data["workers"],
                                       actor=request.user, note=data["note"], mark_paid=data["mark_paid"])
            messages.success(request, _("已登记支付"))
        elif action == "note":
            case_note_add(case=case, actor=request.user, note=data["note"])
            messages.success(request, _("已添加办理记录"))
        elif action == "transfer":
            case = case_transfer(case=case, to_office=data["office"], actor=request.user, reason=data["reason"])
            messages.success(request, _("已转至%(office)s") % {"office": case.office.name})
        elif action == "extend":
            case = case_extend(case=case, actor=request.user, reason=data["reason"])
            messages.success(request, _("办结期限已延长至 %(due)s") % {"due": case.finish_due.isoformat()})
    except CaseError as exc:
        messages.error(request, str(exc))
    # After a transfer the case may be out of the officer's sight: back to the list then.
    if not selectors.case_list(user=request.user, data={"state": "all"}).filter(
            pk=case.pk).exists():
        return HttpResponseRedirect(reverse("arrears:index"))
    return HttpResponseRedirect(reverse("arrears:case_detail", args=[case.number]))


@login_required
def attachment(request, number: str, attachment_id: int):
    """An evidence file, only for officers who can see the case; audited."""
    case = selectors.case_get(user=request.user, number=number)
    item = get_object_or_404(case.attachments.all(), pk=attachment_id)
    handle = case_attachment_open(case=case, attachment=item, actor=request.user,
                                  ip_address=client_ip(request))
    response = FileResponse(handle, content_type=item.content_type, as_attachment=True,
                            filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def offices(request):
    """The offices: what each covers and whom to call; the city administrator imports them."""
    can_import = request.user.has_capability(Capability.MANAGE_USERS)
    result = None
    form = OfficeImportForm()
    if request.method == "POST":
        require(request.user, Capability.MANAGE_USERS)
        form = OfficeImportForm(request.POST, request.FILES)
        if form.is_valid():
            from bangfu.core.imports import FileError, run_import

            upload = form.cleaned_data["file"]
            try:
                result = run_import(IMPORTERS["offices"], upload, actor=request.user, filename=upload.name)
            except FileError as exc:
                messages.error(request, str(exc))
            else:
                if result.committed:
                    messages.success(request, _("导入完成：新增 %(c)d，更新 %(u)d，未变 %(n)d") % {
                        "c": result.created, "u": result.updated, "n": result.unchanged})
    from bangfu.core.reference import area_name, place_name

    rows = []
    for office in selectors.office_list():
        if office.kind == c.OfficeKind.DISTRICT:
            covers = area_name(office.district_code)
        elif office.kind == c.OfficeKind.CITY:
            covers = _("无机构负责的地区")
        else:
            covers = "、".join(place_name(code) for code in office.cover_list)
        rows.append((office, covers))
    return render(request, "arrears/offices.html", {
        "rows": rows, "can_import": can_import, "form": form, "result": result,
    })


@login_required
def offices_template(request):
    from bangfu.core.imports.report import template_xlsx

    return xlsx_response(template_xlsx(IMPORTERS["offices"]), filename_stem=_("驻外劳务办事机构导入模板"))


@login_required
def offices_example(request):
    response = HttpResponse(example_path().read_bytes(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="offices_example.csv"'
    return response
