"""Figures by office and month: leads, share from registry persons, on time, days, money."""

import datetime as dt

import pytest

from bangfu.arrears.figures import arrears_figures
from bangfu.arrears.models import ArrearsCase
from bangfu.arrears.services import case_payment_record, case_transition
from bangfu.arrears.tests.factories import file_case, id_number
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_figures_count_leads_share_on_time_days_and_money_by_office_and_month(offices, make_user):
    admin = make_user("city_admin", "50")
    person = PersonFactory()
    # Shenzhen, September: a registry lead closed on time; a repeat of it (not a new lead).
    closed = file_case(received=D(2026, 9, 30), work_place_code="4403", id_number=person.id_number).case
    file_case(received=D(2026, 9, 30), work_place_code="4403", id_number=person.id_number)
    case_transition(case=closed, to_state="accepted", actor=admin, today=D(2026, 10, 8))
    case_payment_record(case=closed, amount_fen=500_000, workers=2, actor=admin, today=D(2026, 10, 9))
    case_transition(case=closed, to_state="closed", actor=admin, note="调解后支付", today=D(2026, 10, 12))
    # Shenzhen, September: rejected late (accept due 13 Oct).
    late = file_case(received=D(2026, 9, 30), work_place_code="4403").case
    case_transition(case=late, to_state="rejected", actor=admin, note="已起诉", today=D(2026, 10, 14))
    # Zhejiang, October: still open and overdue on 20 October.
    file_case(received=D(2026, 10, 9), work_place_code="3301")

    data = arrears_figures(cases=ArrearsCase.objects.restrict(admin), first="2026-09", last="2026-10",
                           today=D(2026, 10, 20))
    offices_by_code = {code: oid for oid, code, _ in data.offices}
    sz = data.cells[(offices_by_code["SZ"], "2026-09")]
    assert (sz.leads, sz.registry, sz.finished, sz.on_time, sz.closed) == (2, 1, 2, 1, 1)
    assert sz.registry_share == 0.5 and sz.on_time_share == 0.5
    # 30 Sep -> 12 Oct: 8, 9, 10 (make-up), 12 October.
    assert sz.avg_days_to_close == 4
    assert (sz.recovered_fen, sz.workers_paid) == (500_000, 2)
    zj = data.cells[(offices_by_code["ZJ"], "2026-10")]
    assert (zj.leads, zj.overdue) == (1, 1)
    assert data.total.leads == 3
    assert data.months == ["2026-09", "2026-10"]


def test_a_district_sees_only_its_own_figures(offices, make_user):
    file_case(received=D(2026, 10, 9), work_place_code="500230")
    file_case(received=D(2026, 10, 9), work_place_code="3301", id_number=id_number())
    officer = make_user("district_officer", "500230")
    data = arrears_figures(cases=ArrearsCase.objects.restrict(officer), first="2026-10", last="2026-10")
    assert [code for _, code, _ in data.offices] == ["D500230"]
