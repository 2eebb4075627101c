"""Case work: decisions and state changes, payments, notes, transfers, the extension, escalation."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.arrears import choices as c
from bangfu.arrears import deadlines
from bangfu.arrears.models import ArrearsCase, CaseEvent, Office
from bangfu.arrears.notify import notify_worker
from bangfu.arrears.permissions import can_handle
from bangfu.core.actors import Actor, actor_user
from bangfu.core.audit import audit_record
from bangfu.core.money import format_yuan

ERR_NOT_ALLOWED = gettext_noop("当前状态“%(state)s”不能变更为“%(target)s”")
ERR_NO_PERMISSION = gettext_noop("您无权办理该案件")
ERR_REASON_REQUIRED = gettext_noop("请填写理由")
ERR_CLOSING_NOTE_REQUIRED = gettext_noop("请填写办结说明：如何调查、调解或处理，结果如何")
ERR_NOTE_REQUIRED = gettext_noop("请填写办理记录")
ERR_PAY_FIRST = gettext_noop("请先登记已支付的工资金额")
ERR_PAYMENT_STATE = gettext_noop("当前状态不能登记支付")
ERR_PAYMENT_AMOUNT = gettext_noop("支付金额应大于0")
ERR_PAYMENT_WORKERS = gettext_noop("支付人数应为非负整数")
ERR_TRANSFER_STATE = gettext_noop("当前状态不能转办")
ERR_TRANSFER_SAME = gettext_noop("不能转给本机构")
ERR_TRANSFER_INACTIVE = gettext_noop("该机构已停用")
ERR_EXTEND_STATE = gettext_noop("只有已受理且未办结的案件可以延期")
ERR_EXTEND_TWICE = gettext_noop("案件只能延期一次")
ERR_EXTEND_LATE = gettext_noop("办结期限已过，不能再申请延期")
NOTE_LIMIT = 2000


class CaseError(ValueError):
    """A refused change; the message is Chinese and shown as is."""


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _moment(today: dt.date | None) -> dt.datetime:
    """When a step happened: now, or for a step dated another day (back-filled, generated data)
    the end of that working day, so the history reads in the order of its dates."""
    now = timezone.now()
    if today is None or today == timezone.localdate(now):
        return now
    return timezone.make_aware(dt.datetime.combine(today, dt.time(17, 0)))


def _check_actor(actor: Actor, case: ArrearsCase) -> None:
    if not can_handle(actor, case):
        raise CaseError(_(ERR_NO_PERMISSION))


def _text(value: str, *, required: bool, message: str) -> str:
    text = (value or "").strip()
    if required and not text:
        raise CaseError(_(message))
    return text[:NOTE_LIMIT]


def _event(case: ArrearsCase, actor: Actor, **fields) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=actor_user(actor), actor_name=actor.label, **fields)


def _lock(case: ArrearsCase) -> ArrearsCase:
    """Re-read the case inside the transaction so two officers cannot both move it."""
    return ArrearsCase.objects.select_for_update().select_related("office").get(pk=case.pk)


@transaction.atomic
def case_transition(*, case: ArrearsCase, to_state: str, actor: Actor, note: str = "",
                    today: dt.date | None = None) -> ArrearsCase:
    """Move ``case`` to ``to_state`` along the workflow, setting its deadlines and figures."""
    case = _lock(case)
    _check_actor(actor, case)
    today = _today(today)
    from_state = case.state
    if to_state not in c.TRANSITIONS.get(from_state, ()):
        raise CaseError(_(ERR_NOT_ALLOWED) % {"state": c.State(from_state).label,
                                              "target": c.State(to_state).label})
    note = _text(note, required=to_state in (c.State.REJECTED, c.State.CLOSED),
                 message=ERR_CLOSING_NOTE_REQUIRED if to_state == c.State.CLOSED else ERR_REASON_REQUIRED)
    fields = ["state", "updated_at"]
    if to_state in (c.State.ACCEPTED, c.State.REJECTED):
        case.decided_on = today
        case.decided_on_time = case.accept_due is None or today <= case.accept_due
        fields += ["decided_on", "decided_on_time"]
    if to_state == c.State.ACCEPTED:
        case.finish_due = deadlines.finish_due(today)
        fields.append("finish_due")
    elif to_state == c.State.REJECTED:
        case.rejection_reason = note
        fields.append("rejection_reason")
    elif to_state == c.State.PAID and case.amount_recovered_fen <= 0:
        raise CaseError(_(ERR_PAY_FIRST))
    elif to_state == c.State.CLOSED:
        case.closed_on = today
        case.closed_on_time = case.finish_due is None or today <= case.finish_due
        case.working_days_to_close = deadlines.elapsed_working_days(case.received_on, today)
        case.closing_note = note
        fields += ["closed_on", "closed_on_time", "working_days_to_close", "closing_note"]
    case.state = to_state
    case.save(update_fields=fields)
    _event(case, actor, kind=c.EventKind.STATE, from_state=from_state, to_state=to_state, note=note,
           public=True, at=_moment(today))
    audit_record(actor=actor, action=f"arrears_case.{to_state}", obj=case,
                 detail={"number": case.number, "from": from_state, "to": to_state,
                         "finish_due": case.finish_due.isoformat() if case.finish_due else None})
    notify_worker(case, to_state, reason=note)
    return case


@transaction.atomic
def case_payment_record(*, case: ArrearsCase, amount_fen: int, workers: int, actor: Actor, note: str = "",
                        mark_paid: bool = True, today: dt.date | None = None) -> ArrearsCase:
    """Record wages paid to the workers; with ``mark_paid`` the case moves to 已支付."""
    case = _lock(case)
    _check_actor(actor, case)
    if case.state not in c.PAYMENT_STATES:
        raise CaseError(_(ERR_PAYMENT_STATE))
    if not isinstance(amount_fen, int) or amount_fen <= 0:
        raise CaseError(_(ERR_PAYMENT_AMOUNT))
    if not isinstance(workers, int) or workers < 0:
        raise CaseError(_(ERR_PAYMENT_WORKERS))
    note = _text(note, required=False, message="")
    case.amount_recovered_fen += amount_fen
    case.workers_paid += workers
    case.save(update_fields=["amount_recovered_fen", "workers_paid", "updated_at"])
    _event(case, actor, kind=c.EventKind.PAYMENT, amount_fen=amount_fen, workers=workers,
           note=note or _("支付工资 %(amount)s 元，%(n)d 人") % {"amount": format_yuan(amount_fen), "n": workers},
           public=True, at=_moment(today))
    audit_record(actor=actor, action="arrears_case.payment", obj=case,
                 detail={"number": case.number, "amount_fen": amount_fen, "workers": workers,
                         "total_fen": case.amount_recovered_fen})
    if mark_paid and c.State.PAID in case.next_states:
        # The 已支付 message names the total; one message is enough.
        return case_transition(case=case, to_state=c.State.PAID, actor=actor, today=today)
    notify_worker(case, "payment", amount_fen=amount_fen)
    return case


@transaction.atomic
def case_note_add(*, case: ArrearsCase, actor: Actor, note: str) -> CaseEvent:
    """An internal record of work done (a call, a visit); not shown to the worker."""
    case = _lock(case)
    _check_actor(actor, case)
    note = _text(note, required=True, message=ERR_NOTE_REQUIRED)
    event = _event(case, actor, kind=c.EventKind.NOTE, note=note, public=False)
    audit_record(actor=actor, action="arrears_case.note", obj=case,
                 detail={"number": case.number, "event": event.pk})
    return event


@transaction.atomic
def case_transfer(*, case: ArrearsCase, to_office: Office, actor: Actor, reason: str) -> ArrearsCase:
    """Hand the case to another office (wrong place, employer elsewhere); deadlines keep running."""
    case = _lock(case)
    _check_actor(actor, case)
    if case.state not in c.TRANSFER_STATES:
        raise CaseError(_(ERR_TRANSFER_STATE))
    if to_office.pk == case.office_id:
        raise CaseError(_(ERR_TRANSFER_SAME))
    if not to_office.active:
        raise CaseError(_(ERR_TRANSFER_INACTIVE))
    reason = _text(reason, required=True, message=ERR_REASON_REQUIRED)
    from_office = case.office
    case.office = to_office
    case.area_code = to_office.area_code
    case.save(update_fields=["office", "area_code", "updated_at"])
    # The linked repeats follow their case.
    case.duplicates.update(office=to_office, area_code=to_office.area_code)
    _event(case, actor, kind=c.EventKind.TRANSFER, from_office=from_office, to_office=to_office,
           note=reason, public=True)
    audit_record(actor=actor, action="arrears_case.transfer", obj=case,
                 detail={"number": case.number, "from": from_office.code, "to": to_office.code})
    notify_worker(case, "transfer")
    return case


@transaction.atomic
def case_extend(*, case: ArrearsCase, actor: Actor, reason: str, today: dt.date | None = None) -> ArrearsCase:
    """The one extension of the finish deadline (30 working days), asked before it expires."""
    case = _lock(case)
    _check_actor(actor, case)
    today = _today(today)
    if case.state not in c.ACTIVE_STATES or case.finish_due is None:
        raise CaseError(_(ERR_EXTEND_STATE))
    if case.extended:
        raise CaseError(_(ERR_EXTEND_TWICE))
    if today > case.finish_due:
        raise CaseError(_(ERR_EXTEND_LATE))
    reason = _text(reason, required=True, message=ERR_REASON_REQUIRED)
    old_due = case.finish_due
    case.finish_due = deadlines.extended_due(old_due)
    case.extended = True
    case.extension_reason = reason
    case.save(update_fields=["finish_due", "extended", "extension_reason", "updated_at"])
    _event(case, actor, kind=c.EventKind.EXTENSION, note=reason, public=True, at=_moment(today))
    audit_record(actor=actor, action="arrears_case.extend", obj=case,
                 detail={"number": case.number, "from": old_due.isoformat(),
                         "to": case.finish_due.isoformat()})
    notify_worker(case, "extension")
    return case


@transaction.atomic
def case_escalate_overdue(*, actor: Actor, today: dt.date | None = None) -> int:
    """Flag every overdue open case for city-level supervision (市级督办), once; returns how many."""
    today = _today(today)
    now = timezone.now()
    cases = list(ArrearsCase.objects.overdue(today).filter(escalated_at__isnull=True)
                 .select_for_update())
    for case in cases:
        stage_due = case.accept_due if case.state == c.State.RECEIVED else case.finish_due
        case.escalated_at = now
        case.save(update_fields=["escalated_at", "updated_at"])
        CaseEvent.objects.create(
            case=case, at=now, actor_name=actor.label, kind=c.EventKind.ESCALATION, public=False,
            note=_("已超过%(stage)s期限（%(due)s），升级为市级督办") % {
                "stage": _("受理") if case.state == c.State.RECEIVED else _("办结"),
                "due": stage_due.isoformat()},
        )
        audit_record(actor=actor, action="arrears_case.escalate", obj=case,
                     detail={"number": case.number, "state": case.state, "due": stage_due.isoformat()})
    return len(cases)
