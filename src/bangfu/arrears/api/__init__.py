"""Arrears API at /api/v1/arrears/.

Two public endpoints (no authentication, rate-limited per address and per phone) mirror the
worker's pages: file a complaint, and read its progress with its case number and its phone.
Whether a complaint repeats another case is for the officers' endpoints only.
Everything else needs a session or a token and sees only the cases of the caller's area or
office (a case outside it is a 404). ID numbers and phones are always masked here.
"""


import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from bangfu.arrears import choices as c
from bangfu.arrears import ratelimit, selectors
from bangfu.arrears.api.schemas import (
    ComplaintIn,
    OfficerComplaintIn,
    ComplaintOut,
    StatusIn,
    StatusOut,
    CaseOut,
    CaseDetailOut,
    TransitionIn,
    PaymentIn,
    NoteIn,
    TransferIn,
    ExtendIn,
    OfficeOut,
    FigureRowOut,
    FiguresQuery,
    CaseListQuery,
)
from bangfu.arrears.figures import arrears_figures
from bangfu.arrears.models import ArrearsCase, Office
from bangfu.arrears.permissions import can_handle, can_handle_any
from bangfu.arrears.priority import priority_reasons
from bangfu.arrears.services import (
    case_extend,
    case_intake,
    case_note_add,
    case_payment_record,
    case_transfer,
    case_transition,
)
from bangfu.arrears.validation import clean_amount_fen, clean_phone, complaint_clean
from bangfu.core.actors import PUBLIC, Forbidden
from bangfu.core.money import fen_to_yuan
from bangfu.core.months import month_of, months_ending
from bangfu.core.pagination import ApiPagination, Mapped

router = Router(tags=["arrears"])

ERR_TOO_MANY = "提交过于频繁，请稍后再试"
ERR_NOT_FOUND = "未找到案件，请核对案件号和手机号"
ERR_NO_PERMISSION = "您无权办理该案件"


# ----------------------------------------------------------------------------------------------
# Refusals are raised, and answered by the API root (bangfu/api.py): ValidationError 422,
# Forbidden (a PermissionDenied) 403, a CaseError 400.
def _event_out(event) -> dict:
    if event.kind == c.EventKind.STATE:
        what = c.State(event.to_state).label
    elif event.kind == c.EventKind.TRANSFER and event.to_office:
        what = event.to_office.name
    else:
        what = c.EventKind(event.kind).label
    return {"at": event.at, "kind": event.kind, "what": str(what), "note": event.note}


def _case_out(case: ArrearsCase, today: dt.date) -> dict:
    clock = selectors.case_clock(case, today)
    return {
        "number": case.number, "state": case.state, "state_label": str(case.get_state_display()),
        "channel": case.channel, "office_code": case.office.code, "office_name": case.office.name,
        "worker_name": case.worker_name, "id_number_masked": case.id_number_masked,
        "phone_masked": case.phone_masked, "from_registry": case.from_registry,
        "registry_category": case.registry_category, "employer_name": case.employer_name,
        "work_place_code": case.work_place_code, "work_place_label": case.work_place_label,
        "is_construction": case.is_construction, "period_start": case.period_start,
        "period_end": case.period_end, "amount_owed_yuan": fen_to_yuan(case.amount_owed_fen),
        "workers_affected": case.workers_affected, "received_at": case.received_at,
        "accept_due": case.accept_due, "finish_due": case.finish_due, "extended": case.extended,
        "closed_on": case.closed_on, "escalated": case.escalated_at is not None,
        "days_left": clock.days_left if clock else None, "overdue": bool(clock and clock.overdue),
        "amount_recovered_yuan": fen_to_yuan(case.amount_recovered_fen),
        "workers_paid": case.workers_paid,
        "duplicate_of": case.duplicate_of.number if case.duplicate_of_id else None,
    }


def _detail(case: ArrearsCase) -> dict:
    today = timezone.localdate()
    out = _case_out(case, today)
    out["priority_reasons"] = priority_reasons(case, today=today)
    out["events"] = [_event_out(e) for e in selectors.case_events(case=case)]
    return out


def _handled_case(request, number: str) -> ArrearsCase:
    case = selectors.case_get(user=request.user, number=number)
    if not can_handle(request.user, case):
        raise Forbidden(ERR_NO_PERMISSION)
    return case


# ---------------------------------------------------------------------------- public (no auth)
def too_many(request: HttpRequest):
    """The public endpoints over their per-address limit (answered by the edge, body unread)."""
    return JsonResponse({"detail": ERR_TOO_MANY}, status=429, json_dumps_params={"ensure_ascii": False})


@router.post("/public/complaints", auth=None, response={201: ComplaintOut, 422: dict, 429: dict},
             summary="投诉欠薪（公开，无需登录）")
def public_complaint(request: HttpRequest, payload: ComplaintIn):
    """File a complaint as the worker does on the public page; returns its own case number only."""
    complaint = complaint_clean(payload.raw())
    if not ratelimit.phone_hit(request, complaint.phone):
        return Status(429, {"detail": ERR_TOO_MANY})
    result = case_intake(complaint=complaint, channel=c.Channel.API, actor=PUBLIC,
                         ip_address=ratelimit.client_ip(request))
    receipt = selectors.WorkerCase.of(result.case)  # a repeat answers as a new case would
    return Status(201, {"number": receipt.number, "office_name": receipt.office.name,
                        "office_phone": receipt.office.contact_phone, "accept_due": receipt.accept_due})


@router.post("/public/status", auth=None, response={200: StatusOut, 404: dict, 429: dict},
             summary="查询办理进度（公开，需案件号和手机号）")
def public_status(request: HttpRequest, payload: StatusIn):
    if not ratelimit.status_misses_left(request):
        return Status(429, {"detail": ERR_TOO_MANY})
    try:
        case = selectors.case_for_worker(number=payload.number, phone=clean_phone(payload.phone))
    except (Http404, ValidationError):
        ratelimit.status_miss(request)  # per address, never per case number
        return Status(404, {"detail": ERR_NOT_FOUND})
    return Status(200, {
        "number": case.number, "state": case.state, "state_label": case.state_label,
        "office_name": case.office.name, "office_phone": case.office.contact_phone,
        "received_on": case.received_on, "accept_due": case.accept_due, "finish_due": case.finish_due,
        "closed_on": case.closed_on, "amount_recovered_yuan": fen_to_yuan(case.amount_recovered_fen),
        "rejection_reason": case.rejection_reason, "closing_note": case.closing_note,
        "events": [_event_out(e) for e in case.events if e.kind != c.EventKind.NOTE],
    })


# ------------------------------------------------------------------------------ officers (auth)
@router.get("/cases", response=list[CaseOut], summary="案件列表（按优先级）")
@paginate(ApiPagination)
def case_list(request: HttpRequest, filters: Query[CaseListQuery]):
    """The officers' list, filtered by the page's FilterSet; a value it refuses is a 422."""
    today = timezone.localdate()
    qs = selectors.case_list(user=request.user, data=filters.as_data(), today=today,
                             strict=True).select_related("duplicate_of")
    return Mapped(qs, lambda case: _case_out(case, today))


@router.get("/cases/{number}", response=CaseDetailOut, summary="案件详情")
def case_detail(request: HttpRequest, number: str):
    return _detail(selectors.case_get(user=request.user, number=number))


@router.post("/cases", response={201: CaseDetailOut, 403: dict, 422: dict}, summary="登记投诉（经办人员）")
def case_create(request: HttpRequest, payload: OfficerComplaintIn):
    if not can_handle_any(request.user):
        raise Forbidden(ERR_NO_PERMISSION)
    complaint = complaint_clean(payload.raw())
    result = case_intake(complaint=complaint, channel=payload.channel, actor=request.user,
                         ip_address=ratelimit.client_ip(request))
    return Status(201, _detail(result.case))


def _act(request, number: str, fn):
    case = _handled_case(request, number)
    fn(case)
    case = ArrearsCase.objects.select_related("office", "duplicate_of").get(pk=case.pk)
    return Status(200, _detail(case))


ACTION_RESPONSES = {200: CaseDetailOut, 400: dict, 403: dict, 422: dict}


@router.post("/cases/{number}/transition", response=ACTION_RESPONSES, summary="变更状态")
def case_transition_api(request: HttpRequest, number: str, payload: TransitionIn):
    return _act(request, number, lambda case: case_transition(
        case=case, to_state=payload.to_state, actor=request.user, note=payload.note))


@router.post("/cases/{number}/payments", response=ACTION_RESPONSES, summary="登记支付")
def case_payment_api(request: HttpRequest, number: str, payload: PaymentIn):
    amount_fen = clean_amount_fen(str(payload.amount_yuan))
    return _act(request, number, lambda case: case_payment_record(
        case=case, amount_fen=amount_fen, workers=payload.workers, actor=request.user,
        note=payload.note, mark_paid=payload.mark_paid))


@router.post("/cases/{number}/notes", response=ACTION_RESPONSES, summary="添加办理记录")
def case_note_api(request: HttpRequest, number: str, payload: NoteIn):
    return _act(request, number, lambda case: case_note_add(case=case, actor=request.user, note=payload.note))


@router.post("/cases/{number}/transfer", response=ACTION_RESPONSES, summary="转办")
def case_transfer_api(request: HttpRequest, number: str, payload: TransferIn):
    office = Office.objects.filter(code=payload.office_code).first()
    if office is None:
        return Status(422, {"detail": {"office_code": ["机构编码不存在"]}})
    return _act(request, number, lambda case: case_transfer(
        case=case, to_office=office, actor=request.user, reason=payload.reason))


@router.post("/cases/{number}/extension", response=ACTION_RESPONSES, summary="延期（仅一次）")
def case_extend_api(request: HttpRequest, number: str, payload: ExtendIn):
    return _act(request, number, lambda case: case_extend(case=case, actor=request.user, reason=payload.reason))


@router.get("/offices", response=list[OfficeOut], summary="办理机构")
def office_list(request: HttpRequest):
    return [
        {"code": o.code, "name": o.name, "kind": o.kind, "district_code": o.district_code,
         "covers": o.cover_list, "contact_person": o.contact_person, "contact_phone": o.contact_phone,
         "address": o.address, "active": o.active}
        for o in selectors.office_list()
    ]


@router.get("/figures", response=list[FigureRowOut], summary="按机构和月份的统计")
def figures(request: HttpRequest, query: Query[FiguresQuery]):
    today = timezone.localdate()
    window = months_ending(month_of(today), 12)
    first, last = query.month_from or window[0], query.month_to or window[-1]
    if first > last:
        first, last = last, first
    data = arrears_figures(cases=ArrearsCase.objects.restrict(request.user), first=first, last=last,
                           today=today)
    names = {oid: (code, name) for oid, code, name in data.offices}
    rows = []
    for (office_id, month), r in sorted(data.cells.items(), key=lambda item: (item[0][1], item[0][0])):
        code, name = names.get(office_id, ("", ""))
        rows.append({
            "office_code": code, "office_name": name, "month": month, "leads": r.leads,
            "registry": r.registry, "registry_share": r.registry_share, "finished": r.finished,
            "on_time": r.on_time, "on_time_share": r.on_time_share,
            "avg_working_days_to_close": r.avg_days_to_close,
            "recovered_yuan": fen_to_yuan(r.recovered_fen), "workers_paid": r.workers_paid,
            "open_overdue": r.overdue,
        })
    return rows
