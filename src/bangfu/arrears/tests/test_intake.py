"""Intake: registry match, case numbers, duplicates linked (not doubled), PII kept encrypted."""

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404

from bangfu.arrears import choices as c
from bangfu.arrears.models import ArrearsCase, CaseEvent
from bangfu.arrears.selectors import case_for_worker
from bangfu.arrears.services import case_transition
from bangfu.arrears.tests.factories import complaint, file_case, id_number, phone
from bangfu.core.models import AuditLog
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_a_registry_person_is_matched_by_id_hash_and_flagged(offices):
    person = PersonFactory(category="alleviated")
    case = file_case(id_number=person.id_number).case
    assert (case.person, case.from_registry, case.registry_category) == (person, True, "alleviated")


def test_someone_outside_the_registry_is_not_flagged(offices):
    case = file_case().case
    assert (case.person, case.from_registry) == (None, False)


def test_case_numbers_follow_the_day_of_receipt(offices):
    first = file_case(received=D(2026, 10, 9)).case
    second = file_case(received=D(2026, 10, 9)).case
    assert (first.number, second.number) == ("QX202610090001", "QX202610090002")


def test_the_accept_deadline_is_set_at_intake(offices):
    case = file_case(received=D(2026, 9, 30)).case
    assert (case.state, case.received_on, case.accept_due) == ("received", D(2026, 9, 30), D(2026, 10, 13))


def test_a_repeat_complaint_is_linked_to_the_open_case_not_doubled(offices):
    worker, worker_phone = id_number(), phone()
    original = file_case(id_number=worker, phone=worker_phone, employer_name="重庆某某建筑有限公司（丰都项目）",
                         period_start="2026-03", period_end="2026-06").case
    repeat = file_case(id_number=worker, phone=phone(), employer_name=" 重庆某某建筑有限公司(丰都项目) ",
                       period_start="2026-05", period_end="2026-07", work_place_code="4401")
    assert repeat.linked_to == original
    assert (repeat.case.state, repeat.case.duplicate_of, repeat.case.office) == ("linked", original, original.office)
    assert repeat.case.accept_due is None
    assert ArrearsCase.objects.leads().count() == 1
    # The officers' history of the original names the repeat; the public one does not.
    duplicate = CaseEvent.objects.get(case=original, kind="duplicate")
    assert repeat.case.number in duplicate.note and duplicate.public is False


def test_a_repeat_s_number_and_phone_open_only_the_repeat_never_the_original(offices):
    worker = id_number()
    original = file_case(id_number=worker).case
    second_phone = phone()
    repeat = file_case(id_number=worker, phone=second_phone).case
    seen = case_for_worker(number=repeat.number, phone=second_phone)
    assert (seen.number, seen.state) == (repeat.number, "received")
    assert original.number not in str([e.note for e in seen.events])
    with pytest.raises(Http404):
        case_for_worker(number=original.number, phone=second_phone)


@pytest.mark.parametrize("change", [
    {"employer_name": "另一家劳务公司"},
    {"period_start": "2025-01", "period_end": "2025-06"},
    {"id_number": None},  # another worker
])
def test_a_different_employer_period_or_worker_is_a_new_case(offices, change):
    worker = id_number()
    file_case(id_number=worker, employer_name="重庆某某建筑有限公司", period_start="2026-03", period_end="2026-06")
    values = {"id_number": worker, "employer_name": "重庆某某建筑有限公司", "period_start": "2026-03",
              "period_end": "2026-06", **change}
    if values["id_number"] is None:
        values["id_number"] = id_number()
    result = file_case(**values)
    assert result.linked_to is None and result.case.state == "received"


def test_after_the_first_case_is_closed_a_new_complaint_opens_a_new_case(offices, make_user):
    worker = id_number()
    first = file_case(id_number=worker).case
    admin = make_user("city_admin", "50")
    case_transition(case=first, to_state=c.State.REJECTED, actor=admin, note="不属于劳动保障监察受理范围")
    assert file_case(id_number=worker).linked_to is None


def test_id_number_and_phone_are_encrypted_at_rest_and_kept_out_of_the_audit(offices):
    value = complaint()
    case = file_case(id_number=value.id_number, phone=value.phone).case
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM arrears_arrearscase WHERE id = %s", [case.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert value.id_number not in stored_id and value.phone not in stored_phone
    assert ArrearsCase.objects.get(pk=case.pk).id_number == value.id_number
    log = AuditLog.objects.get(action="arrears_case.intake")
    assert value.id_number not in str(log.detail) and value.phone not in str(log.detail)
    assert log.actor_name == "public" and log.detail["number"] == case.number


def test_the_worker_is_told_the_case_number_through_the_outbox(offices, outbox):
    case = file_case().case
    assert len(outbox) == 1
    assert case.number in outbox[0].body and outbox[0].phone == case.phone
    assert outbox[0].kind == "arrears.intake"


def test_a_repeat_complainant_is_told_only_their_own_number_like_a_new_complainant(offices, outbox):
    worker = id_number()
    original = file_case(id_number=worker).case
    repeat = file_case(id_number=worker).case
    message = outbox[-1]
    assert message.kind == "arrears.intake" and message.phone == repeat.phone
    assert repeat.number in message.body
    assert original.number not in message.body and "并案" not in message.body


def test_a_complaint_naming_a_registered_employers_code_links_the_employer_and_keeps_the_code(offices):
    from bangfu.employers.tests.factories import EmployerFactory, make_uscc

    employer = EmployerFactory(credit_rating="C")
    linked = file_case(employer_credit_code=employer.uscc).case
    assert (linked.employer, linked.employer_credit_code) == (employer, employer.uscc)
    unknown = file_case(employer_credit_code=make_uscc(4242)).case
    assert (unknown.employer, unknown.employer_credit_code) == (None, make_uscc(4242))
    assert file_case().case.employer is None
