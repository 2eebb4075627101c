"""The insurance services: coverage gaps, follow-ups, order declarations, injury cases, UI contributions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from bangfu.core.actors import SYSTEM, Forbidden
from bangfu.core.models import AuditLog
from bangfu.insurance.models import CoverageGap, InjuryCase
from bangfu.insurance.services import (
    coverage_follow_up_record, coverage_refresh, coverage_rules, injury_case_assess, injury_case_confirm,
    injury_case_pay, injury_case_report, order_declaration_submit, ui_contribution_record,
)
from bangfu.insurance.services.errors import InsuranceError
from bangfu.insurance.tests.factories import InsuredRecordFactory, PlatformFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.employers.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db
DAY1, DAY2 = dt.date(2024, 3, 1), dt.date(2024, 7, 1)


def test_rules_follow_age_and_schooling():
    assert coverage_rules(age=15, in_school=False) == []
    assert coverage_rules(age=20, in_school=True) == []
    assert coverage_rules(age=16, in_school=False) == ["pension_working_age", "medical"]
    assert coverage_rules(age=60, in_school=False) == ["pension_elderly", "medical"]


def test_gaps_open_for_the_uninsured_and_close_when_the_next_list_covers_them():
    worker = PersonFactory(birth_date=dt.date(1990, 1, 1))
    elder = PersonFactory(birth_date=dt.date(1950, 1, 1))
    PersonFactory(birth_date=dt.date(2012, 1, 1))  # a child: no rule
    InsuredRecordFactory(person=worker, scheme="medical")
    first = coverage_refresh(actor=SYSTEM, year=2024, today=DAY1)
    assert first == {"opened": 3, "closed": 0, "open": 3}
    assert set(CoverageGap.objects.values_list("person_id", "rule")) == {
        (worker.pk, "pension_working_age"), (elder.pk, "pension_elderly"), (elder.pk, "medical")}
    InsuredRecordFactory(person=worker, scheme="employee_pension")
    second = coverage_refresh(actor=SYSTEM, year=2024, today=DAY2)
    assert second == {"opened": 0, "closed": 1, "open": 2}
    closed = CoverageGap.objects.get(person=worker)
    assert closed.closed_on == DAY2 and closed.since == DAY1
    assert CoverageGap.objects.filter(closed_on__isnull=True).count() == 2
    assert AuditLog.objects.filter(action="insurance.coverage_refresh").count() == 2


def test_a_follow_up_is_recorded_in_the_township_and_refused_outside_it(make_user):
    person = PersonFactory(birth_date=dt.date(1990, 1, 1))
    coverage_refresh(actor=SYSTEM, year=2024, today=DAY1)
    gap = CoverageGap.objects.get(rule="pension_working_age")
    mine = make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)
    other = make_user(role="township_officer", area_code=WANZHOU_TOWNSHIP)
    with pytest.raises(Forbidden):
        coverage_follow_up_record(actor=other, gap=gap, outcome="contacted")
    coverage_follow_up_record(actor=mine, gap=gap, outcome="contacted", note="已电话联系")
    assert gap.follow_ups.get().recorded_by == mine
    InsuredRecordFactory(person=person, scheme="resident_pension")
    coverage_refresh(actor=SYSTEM, year=2024, today=DAY2)
    with pytest.raises(InsuranceError):
        coverage_follow_up_record(actor=mine, gap=gap, outcome="contacted")


def test_the_injury_premium_is_orders_times_the_industry_rate_and_a_correction_replaces_it():
    delivery = PlatformFactory(industry="instant_delivery")
    freight = PlatformFactory(industry="freight")
    ride = PlatformFactory(industry="ride_hailing")
    d, outcome = order_declaration_submit(actor=SYSTEM, platform=delivery, month="2024-03", orders=1000, insured_workers=9)
    assert (d.rate_fen, d.premium_fen, outcome) == (7, 7000, "created")
    assert order_declaration_submit(actor=SYSTEM, platform=freight, month="2024-03", orders=1000, insured_workers=2)[0].premium_fen == 18000
    assert order_declaration_submit(actor=SYSTEM, platform=ride, month="2024-03", orders=1000, insured_workers=2)[0].premium_fen == 1000
    again, outcome = order_declaration_submit(actor=SYSTEM, platform=delivery, month="2024-03", orders=2000, insured_workers=9)
    assert (again.pk, again.premium_fen, outcome) == (d.pk, 14000, "updated")
    assert order_declaration_submit(actor=SYSTEM, platform=delivery, month="2024-03", orders=2000, insured_workers=9)[1] == "unchanged"


def test_an_injury_case_goes_confirm_assess_pay_in_order(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    case = injury_case_report(actor=officer, platform=PlatformFactory(), worker_name="王五", id_number="500230199001010013",
                              injured_on=dt.date(2024, 5, 1), district_code=FENGDU, township_code=FENGDU_TOWNSHIP)
    assert case.id_number_masked == "500230************"
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM insurance_injurycase WHERE id = %s", [case.pk])
        assert "500230199001010013" not in cursor.fetchone()[0]  # stored encrypted
    with pytest.raises(InsuranceError):
        injury_case_pay(actor=officer, case=case, benefit_fen=100)
    with pytest.raises(InsuranceError):
        injury_case_confirm(actor=officer, case=case, confirmed=False)
    case = injury_case_confirm(actor=officer, case=case, confirmed=True)
    with pytest.raises(InsuranceError):
        injury_case_assess(actor=officer, case=case, grade=11)
    case = injury_case_assess(actor=officer, case=case, grade=9)
    case = injury_case_pay(actor=officer, case=case, benefit_fen=3_000_000)
    assert (case.stage, case.disability_grade, case.benefit_fen) == ("paid", 9, 3_000_000)
    assert AuditLog.objects.filter(action__startswith="insurance.injury_").count() == 4


def test_the_ui_reduction_is_the_base_times_the_rate_difference():
    firm = EmployerFactory()
    row, _ = ui_contribution_record(actor=SYSTEM, employer=firm, month="2024-01", scale="sme", insured_count=10,
                                    base_fen=5_000_000)
    assert (row.rate_bp, row.paid_fen, row.reduction_fen) == (100, 50_000, 50_000)
    row, outcome = ui_contribution_record(actor=SYSTEM, employer=firm, month="2024-01", scale="sme", insured_count=10,
                                          base_fen=5_000_000, rate_bp=150)
    assert (outcome, row.paid_fen, row.reduction_fen) == ("updated", 75_000, 25_000)


def test_a_broker_cannot_record(make_user):
    broker = make_user(role="broker", area_code=FENGDU)
    with pytest.raises(Forbidden):
        coverage_refresh(actor=broker, year=2024)
