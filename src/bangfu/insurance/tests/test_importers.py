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


def run(kind, rows, actor):
    return run_import(IMPORTERS[kind], io.BytesIO(xlsx_bytes(rows)), actor=actor, filename="f.xlsx")


def test_the_insured_list_is_imported_and_the_gap_list_shrinks_with_the_next_one(make_user):
    import datetime as dt

    from bangfu.insurance.models import CoverageGap, InsuredRecord

    officer = make_user(role="district_officer", area_code=FENGDU)
    a, b = PersonFactory(birth_date=dt.date(1980, 1, 1)), PersonFactory(birth_date=dt.date(1990, 1, 1))
    stranger = PersonFactory(district_code="500101", township_code="500101001")
    head = ["证件号码", "姓名", "险种", "参保年度", "缴费档次（元）", "是否政府代缴"]
    first = run("insured_list", [head, [a.id_number, a.name, "城乡居民养老保险", "2024", "100", "是"],
                                 [a.id_number, a.name, "医疗", "2024", "", ""],
                                 [stranger.id_number, stranger.name, "医疗", "2024", "", ""]], officer)
    assert first.committed and first.created == 2 and "1行人员不在本辖区花名册中" in first.warnings[-1]
    assert InsuredRecord.objects.get(person=a, scheme="resident_pension").on_behalf
    assert set(CoverageGap.objects.filter(closed_on__isnull=True).values_list("person_id", flat=True)) == {b.pk}
    second = run("insured_list", [head, [b.id_number, b.name, "职工养老", "2024", "", "否"],
                                  [b.id_number, b.name, "基本医疗保险", "2024", "", "否"]], officer)
    assert second.committed
    assert not CoverageGap.objects.filter(closed_on__isnull=True).exists()
    dup = run("insured_list", [head, [b.id_number, b.name, "医疗", "2024", "", ""],
                               [b.id_number, b.name, "医疗", "2024", "", ""]], officer)
    assert not dup.committed and dup.errors[0].row == 3


def test_platform_orders_carry_the_industry_rate_and_an_unregistered_platform_is_refused(make_user):
    from bangfu.insurance.models import OrderDeclaration
    from bangfu.insurance.tests.factories import PlatformFactory

    officer = make_user(role="district_officer", area_code=FENGDU)
    platform = PlatformFactory(industry="freight")
    head = ["统一社会信用代码", "申报月份", "订单量", "有订单从业人员数"]
    bad = run("platform_orders", [head, [make_uscc(777), "2024-03", "10", "1"]], officer)
    assert not bad.committed and "未纳入" in bad.errors[0].message
    ok = run("platform_orders", [head, [platform.employer.uscc, "2024-03", "1000", "12"]], officer)
    assert ok.committed and ok.created == 1
    assert OrderDeclaration.objects.get().premium_fen == 18_000
    again = run("platform_orders", [head, [platform.employer.uscc, "2024-03", "1000", "12"]], officer)
    assert again.unchanged == 1


def test_ui_contributions_compute_the_paid_amount_and_the_reduction(make_user):
    from bangfu.insurance.models import UnemploymentContribution

    officer = make_user(role="district_officer", area_code=FENGDU)
    firm = EmployerFactory()
    head = ["统一社会信用代码", "费款所属期", "企业规模", "参保人数", "缴费基数（元）", "费率（%）", "裁员并领取失业保险金人数"]
    result = run("ui_contributions", [head, [firm.uscc, "2024-01", "中小微企业", "25", "125000", "", "1"],
                                      [firm.uscc, "2024-02", "中小微", "25", "125000", "1.5", ""],
                                      [firm.uscc, "2024-03", "中小微", "25", "125000", "9", ""]], officer)
    assert not result.committed and result.errors[0].row == 4
    result = run("ui_contributions", [head, [firm.uscc, "2024-01", "中小微企业", "25", "125000", "", "1"],
                                      [firm.uscc, "2024-02", "中小微", "25", "125000", "1.5", ""]], officer)
    assert result.committed and result.created == 2
    jan, feb = UnemploymentContribution.objects.order_by("month")
    assert (jan.paid_fen, jan.reduction_fen, jan.leavers_claiming) == (125_000, 125_000, 1)
    assert (feb.rate_bp, feb.paid_fen, feb.reduction_fen) == (150, 187_500, 62_500)


def test_another_district_s_employer_is_refused_in_the_trial_and_by_the_services(make_user):
    """The job-retention refund is computed from these contributions and the injury premium from
    the orders: an officer of 丰都县 must not rewrite another district's employer's."""
    from bangfu.core.actors import Forbidden
    from bangfu.insurance.models import UnemploymentContribution
    from bangfu.insurance.services import ui_contribution_record
    from bangfu.insurance.tests.factories import PlatformFactory

    officer = make_user(role="district_officer", area_code=FENGDU)
    elsewhere = EmployerFactory(place_code="500101", district_code="500101", owner_area_code="500101")
    head = ["统一社会信用代码", "费款所属期", "企业规模", "参保人数", "缴费基数（元）", "费率（%）", "裁员并领取失业保险金人数"]
    result = run("ui_contributions", [head, [elsewhere.uscc, "2024-01", "中小微企业", "25", "125000", "", "9"]],
                 officer)
    assert not result.committed and "不在您的管辖范围内" in result.errors[0].message
    with pytest.raises(Forbidden):
        ui_contribution_record(actor=officer, employer=elsewhere, month="2024-01", scale="sme", insured_count=25,
                               base_fen=12_500_000, leavers_claiming=9)
    assert not UnemploymentContribution.objects.exists()
    platform = PlatformFactory(employer=elsewhere)
    result = run("platform_orders", [["统一社会信用代码", "申报月份", "订单量", "有订单从业人员数"],
                                     [platform.employer.uscc, "2024-01", "100", "5"]], officer)
    assert not result.committed and "不在您的管辖范围内" in result.errors[0].message


def test_the_benefit_list_records_months_drawn(make_user):
    from bangfu.insurance.models import UnemploymentBenefitMonth

    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    result = run("unemployment_benefit", [["证件号码", "姓名", "领取月份", "失业保险金（元）"],
                                          [person.id_number, person.name, "2024-03", "1800"]], officer)
    assert result.committed and UnemploymentBenefitMonth.objects.get(person=person).amount_fen == 180_000
