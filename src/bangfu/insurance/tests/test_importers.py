"""``bangfu import social_insurance``: contributions per person, employer, month and type."""

from __future__ import annotations

import io

import pytest

from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import xlsx_bytes
from bangfu.employers.tests.factories import EmployerFactory, make_uscc
from bangfu.insurance.importers import IMPORTERS
from bangfu.insurance.models import SocialInsuranceContribution
from bangfu.registry.tests.factories import FENGDU, PersonFactory

pytestmark = pytest.mark.django_db


def imp(rows, actor):
    return run_import(IMPORTERS["social_insurance"], io.BytesIO(xlsx_bytes(rows)), actor=actor, filename="f.xlsx")


def test_contributions_are_imported_per_person_employer_month_and_type(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    firm = EmployerFactory()
    rows = [["证件号码", "姓名", "缴费单位统一社会信用代码", "费款所属期", "险种", "单位缴费（元）", "个人缴费（元）"],
            [person.id_number, person.name, firm.uscc, "2024-03", "养老保险", "800.64", "320.26"],
            [person.id_number, person.name, firm.uscc, "2024年3月", "医疗", "400", ""],
            [person.id_number, person.name, make_uscc(999), "2024-03", "养老保险", "1", "1"]]
    result = imp(rows, officer)
    assert not result.committed and result.errors[0].row == 4 and "尚未登记" in result.errors[0].message
    ok = imp(rows[:3], officer)
    assert ok.committed and ok.created == 2
    pension = SocialInsuranceContribution.objects.get(insurance_type="pension")
    assert (pension.month, pension.employer_fen, pension.worker_fen, pension.employer) == ("2024-03", 80064, 32026, firm)
    assert SocialInsuranceContribution.objects.get(insurance_type="medical").worker_fen == 0
    rows[1][5] = "900"
    fixed = imp(rows[:3], officer)
    assert (fixed.updated, fixed.unchanged) == (1, 1)


def test_a_person_outside_the_officers_area_is_not_found(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    stranger = PersonFactory(district_code="500101", township_code="500101001")
    firm = EmployerFactory()
    result = imp([["证件号码", "缴费单位统一社会信用代码", "费款所属期", "险种", "单位缴费（元）"],
                  [stranger.id_number, firm.uscc, "2024-03", "养老保险", "800"]], officer)
    assert not result.committed and result.errors[0].column == "证件号码"
    assert not SocialInsuranceContribution.objects.exists()
