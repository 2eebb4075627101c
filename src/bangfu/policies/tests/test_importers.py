"""Imports of enterprises, social-insurance contributions and payee accounts."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook
from stdnum.cn import uscc

from bangfu.core.imports import run_import
from bangfu.policies.importers import IMPORTERS
from bangfu.policies.models import Enterprise, PayeeAccount, SocialInsuranceContribution
from bangfu.policies.tests.factories import FENGDU, WANZHOU
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def valid_uscc(body: str = "91500230MA5U8ABCD") -> str:
    return body + uscc.calc_check_digit(body)


def xlsx(rows: list[list]) -> io.BytesIO:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def imp(kind: str, rows, actor):
    return run_import(IMPORTERS[kind], xlsx(rows), actor=actor, filename="f.xlsx")


def test_enterprises_are_imported_and_reimporting_changes_nothing(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    rows = [["企业名称", "统一社会信用代码", "所在区县", "开户银行", "银行账号"],
            ["丰都县测试农业开发有限公司", valid_uscc(), "丰都县", "重庆农商行", "0101 0101 2001 0001"]]
    first = imp("enterprises", rows, officer)
    assert first.committed and first.created == 1
    e = Enterprise.objects.get()
    assert (e.district_code, e.bank_account) == (FENGDU, "0101010120010001")
    again = imp("enterprises", rows, officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_enterprise_outside_the_officers_district_or_with_a_bad_code_is_refused(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    result = imp("enterprises", [["企业名称", "统一社会信用代码", "所在区县"],
                                 ["万州企业", valid_uscc("91500101MA5U8ABCD"), WANZHOU],
                                 ["坏代码", "91500230MA5U8ABCD0", FENGDU]], officer)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(2, "所在区县"), (3, "统一社会信用代码")]
    assert "不在您的管辖范围内" in result.errors[0].message


def test_contributions_are_imported_per_person_enterprise_month_and_type(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    firm = Enterprise.objects.create(name="企业", uscc=valid_uscc(), district_code=FENGDU)
    rows = [["证件号码", "姓名", "缴费单位统一社会信用代码", "费款所属期", "险种", "单位缴费（元）", "个人缴费（元）"],
            [person.id_number, person.name, firm.uscc, "2024-03", "养老保险", "800.64", "320.26"],
            [person.id_number, person.name, firm.uscc, "2024年3月", "医疗", "400", ""],
            [person.id_number, person.name, valid_uscc("91500230MA5U8YYYY"), "2024-03", "养老保险", "1", "1"]]
    result = imp("social_insurance", rows, officer)
    assert not result.committed and result.errors[0].row == 4 and "尚未登记" in result.errors[0].message
    ok = imp("social_insurance", rows[:3], officer)
    assert ok.committed and ok.created == 2
    pension = SocialInsuranceContribution.objects.get(insurance_type="pension")
    assert (pension.month, pension.employer_fen, pension.worker_fen) == ("2024-03", 80064, 32026)
    rows[1][5] = "900"
    fixed = imp("social_insurance", rows[:3], officer)
    assert (fixed.updated, fixed.unchanged) == (1, 1)


def test_payee_accounts_are_imported_encrypted_and_hashed(make_user):
    township = make_user(role="township_officer", area_code="500230101")
    person = PersonFactory()
    result = imp("payee_accounts", [["证件号码", "姓名", "开户银行", "银行账号"],
                                    [person.id_number, person.name, "中国邮政储蓄银行", "6217 0000 1111 2222 333"]], township)
    assert result.committed
    account = PayeeAccount.objects.get(person=person)
    assert account.account == "6217000011112222333" and account.account_masked == "6217***********2333"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT account FROM policies_payeeaccount")
        assert "6217000011112222333" not in cursor.fetchone()[0]
