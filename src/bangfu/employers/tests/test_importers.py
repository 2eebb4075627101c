"""``bangfu import enterprises``: the employer register with corporate accounts, by code."""

from __future__ import annotations

import io

import pytest
from stdnum.cn import uscc

from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import xlsx_bytes
from bangfu.employers.importers import IMPORTERS
from bangfu.employers.models import Employer
from bangfu.employers.tests.factories import EmployerFactory
from bangfu.registry.tests.factories import FENGDU, WANZHOU

pytestmark = pytest.mark.django_db
HEADER = ["企业名称", "统一社会信用代码", "所在区县", "开户银行", "银行账号"]


def valid_uscc(body: str = "91500230MA5U8ABCD") -> str:
    return body + uscc.calc_check_digit(body)


def imp(rows, actor):
    return run_import(IMPORTERS["enterprises"], io.BytesIO(xlsx_bytes(rows)), actor=actor, filename="f.xlsx")


def test_enterprises_are_imported_and_reimporting_changes_nothing(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    rows = [HEADER, ["丰都县测试农业开发有限公司", valid_uscc(), "丰都县", "重庆农商行", "0101 0101 2001 0001"]]
    first = imp(rows, officer)
    assert first.committed and first.created == 1
    e = Employer.objects.get()
    assert (e.district_code, e.bank_account, e.owner_area_code) == (FENGDU, "0101010120010001", FENGDU)
    again = imp(rows, officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_an_enterprise_outside_the_officers_district_or_with_a_bad_code_is_refused(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    result = imp([["企业名称", "统一社会信用代码", "所在区县"],
                  ["万州企业", valid_uscc("91500101MA5U8ABCD"), WANZHOU],
                  ["坏代码", "91500230MA5U8ABCD0", FENGDU]], officer)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(2, "所在区县"), (3, "统一社会信用代码")]
    assert "不在您的管辖范围内" in result.errors[0].message


def test_an_employer_registered_by_jobs_gains_its_account_and_keeps_its_contact_and_rating(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    known = EmployerFactory(uscc=valid_uscc(), contact_name="王经理", credit_rating="A")
    result = imp([HEADER, [known.name, known.uscc, "丰都县", "重庆农商行", "0101010120010001"]], officer)
    assert result.committed and (result.created, result.updated) == (0, 1)
    known.refresh_from_db()
    assert (known.bank_account, known.contact_name, known.credit_rating) == ("0101010120010001", "王经理", "A")
    assert Employer.objects.count() == 1


def test_an_employer_another_district_registered_cannot_be_changed_by_this_districts_import(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    other = EmployerFactory(uscc=valid_uscc(), owner_area_code=WANZHOU, name="万州登记的单位")
    result = imp([HEADER, ["丰都县改名公司", other.uscc, "丰都县", "重庆农商行", "0101010120010001"]], officer)
    assert not result.committed and "万州登记的单位" in result.errors[0].message
    other.refresh_from_db()
    assert (other.name, other.bank_account) == ("万州登记的单位", "")
