"""Case work: the workflow, deadlines, payments, transfers, the one extension, escalation."""

import datetime as dt

import pytest

from bangfu.arrears.models import ArrearsCase, CaseEvent, Office
from bangfu.arrears.services import (
    CaseError,
    case_escalate_overdue,
    case_extend,
    case_note_add,
    case_payment_record,
    case_transfer,
    case_transition,
    office_member_set,
)
from bangfu.arrears.tests.factories import file_case
from bangfu.core.actors import SCHEDULER, SYSTEM
from bangfu.core.models import AuditLog
from bangfu.registry.tests.factories import FENGDU, WANZHOU

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def officer(make_user, offices):
    """An officer of the Shenzhen office (out-of-town offices have no area: an office link)."""
    user = make_user("district_officer", FENGDU)
    office_member_set(user=user, office=Office.objects.get(code="SZ"), actor=SYSTEM)
    return user


@pytest.fixture
def case(offices):
    return file_case(received=D(2026, 9, 30), work_place_code="4403").case


def test_a_case_goes_from_receipt_to_closure_with_its_deadlines_and_figures(case, officer, outbox):
    case = case_transition(case=case, to_state="accepted", actor=officer, today=D(2026, 10, 8))
    case = case_transition(case=case, to_state="investigating", actor=officer, today=D(2026, 10, 9))
    case = case_transition(case=case, to_state="mediated", actor=officer, note="约谈项目负责人，达成调解协议",
                           today=D(2026, 10, 20))
    case = case_payment_record(case=case, amount_fen=1_200_000, workers=1, actor=officer,
                               today=D(2026, 10, 23))
    case = case_transition(case=case, to_state="closed", actor=officer, today=D(2026, 10, 26),
                           note="经调查核实欠薪12,000元，约谈用人单位后调解，10月23日全额支付，投诉人确认。")
    assert case.state == "closed"
    assert (case.decided_on, case.decided_on_time) == (D(2026, 10, 8), True)
    assert case.finish_due == D(2026, 12, 30)  # 17 working days left in October, 21 in November, 22 in December
    assert (case.closed_on, case.closed_on_time) == (D(2026, 10, 26), True)
    # 30 Sep -> 26 Oct: 8, 9, 10 (make-up), 12-16, 19-23, 26 October = 14 working days.
    assert case.working_days_to_close == 14
    assert (case.amount_recovered_fen, case.workers_paid) == (1_200_000, 1)
    states = list(case.events.filter(kind="state").values_list("to_state", flat=True))
    assert states == ["accepted", "investigating", "mediated", "paid", "closed"]
    assert [m.kind for m in outbox] == ["arrears.intake", "arrears.accepted", "arrears.investigating",
                                        "arrears.mediated", "arrears.paid", "arrears.closed"]
    assert "12,000" in outbox[4].body and outbox[4].phone == case.phone
    actions = list(AuditLog.objects.filter(object_id=str(case.pk)).values_list("action", flat=True))
    assert {"arrears_case.accepted", "arrears_case.payment", "arrears_case.paid", "arrears_case.closed"} <= set(actions)


def test_acceptance_sets_the_finish_deadline_sixty_working_days_later(case, officer):
    case = case_transition(case=case, to_state="accepted", actor=officer, today=D(2026, 1, 30))
    assert case.finish_due == D(2026, 5, 6)


def test_a_late_decision_is_recorded_as_not_on_time(case, officer):
    case = case_transition(case=case, to_state="accepted", actor=officer, today=D(2026, 10, 14))
    assert case.decided_on_time is False


def test_rejecting_needs_a_reason_and_the_worker_is_told_it(case, officer, outbox):
    with pytest.raises(CaseError, match="请填写理由"):
        case_transition(case=case, to_state="rejected", actor=officer, note="  ")
    case = case_transition(case=case, to_state="rejected", actor=officer, note="已进入劳动仲裁程序")
    assert case.rejection_reason == "已进入劳动仲裁程序"
    assert "已进入劳动仲裁程序" in outbox[-1].body


def test_closing_needs_a_note_saying_how_it_was_tried(case, officer):
    case = case_transition(case=case, to_state="accepted", actor=officer)
    case = case_payment_record(case=case, amount_fen=100_00, workers=1, actor=officer)
    with pytest.raises(CaseError, match="办结说明"):
        case_transition(case=case, to_state="closed", actor=officer)


def test_the_workflow_refuses_a_step_it_does_not_have(case, officer):
    with pytest.raises(CaseError, match="不能变更为"):
        case_transition(case=case, to_state="closed", actor=officer, note="x")


def test_paid_needs_a_recorded_payment(case, officer):
    case = case_transition(case=case, to_state="accepted", actor=officer)
    with pytest.raises(CaseError, match="请先登记"):
        case_transition(case=case, to_state="paid", actor=officer)


def test_an_officer_outside_the_case_cannot_change_it(case, make_user):
    wanzhou = make_user("district_officer", WANZHOU)
    with pytest.raises(CaseError, match="无权办理"):
        case_transition(case=case, to_state="accepted", actor=wanzhou)
    assert ArrearsCase.objects.get(pk=case.pk).state == "received"


def test_a_transfer_moves_the_case_and_its_area_and_keeps_the_deadline(case, officer, outbox):
    fengdu = Office.objects.get(code=f"D{FENGDU}")
    moved = case_transfer(case=case, to_office=fengdu, actor=officer, reason="用人单位注册地在丰都县，工地已停工")
    assert (moved.office, moved.area_code, moved.accept_due) == (fengdu, FENGDU, case.accept_due)
    event = CaseEvent.objects.get(case=case, kind="transfer")
    assert (event.from_office.code, event.to_office.code) == ("SZ", f"D{FENGDU}")
    assert fengdu.name in outbox[-1].body
    assert not ArrearsCase.objects.restrict(officer).filter(pk=case.pk).exists()


def test_a_transfer_needs_a_reason_and_another_office(case, officer):
    with pytest.raises(CaseError, match="请填写理由"):
        case_transfer(case=case, to_office=Office.objects.get(code="GD"), actor=officer, reason="")
    with pytest.raises(CaseError, match="不能转给本机构"):
        case_transfer(case=case, to_office=case.office, actor=officer, reason="x")


def test_the_finish_deadline_can_be_extended_once_by_thirty_working_days(case, officer):
    case = case_transition(case=case, to_state="accepted", actor=officer, today=D(2026, 1, 30))
    case = case_extend(case=case, actor=officer, reason="用人单位负责人在外地，需协查", today=D(2026, 4, 1))
    assert (case.finish_due, case.extended) == (D(2026, 6, 16), True)
    with pytest.raises(CaseError, match="只能延期一次"):
        case_extend(case=case, actor=officer, reason="再次", today=D(2026, 4, 2))


def test_an_expired_deadline_cannot_be_extended(case, officer):
    case = case_transition(case=case, to_state="accepted", actor=officer, today=D(2026, 1, 30))
    with pytest.raises(CaseError, match="不能再申请延期"):
        case_extend(case=case, actor=officer, reason="迟了", today=D(2026, 5, 7))


def test_notes_are_internal(case, officer):
    event = case_note_add(case=case, actor=officer, note="电话联系投诉人，核实工期")
    assert event.public is False


def test_overdue_cases_are_escalated_to_the_city_once(offices, officer):
    late = file_case(received=D(2026, 9, 30)).case  # accept due 13 October
    on_time = file_case(received=D(2026, 10, 12)).case  # accept due 19 October
    accepted = file_case(received=D(2026, 9, 30)).case
    case_transition(case=accepted, to_state="accepted", actor=officer, today=D(2026, 10, 9))
    assert case_escalate_overdue(actor=SCHEDULER, today=D(2026, 10, 14)) == 1
    assert case_escalate_overdue(actor=SCHEDULER, today=D(2026, 10, 15)) == 0
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert late.escalated_at is not None and on_time.escalated_at is None
    assert CaseEvent.objects.filter(case=late, kind="escalation").count() == 1
    assert AuditLog.objects.filter(action="arrears_case.escalate", object_id=str(late.pk)).count() == 1
