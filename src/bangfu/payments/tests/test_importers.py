"""``bangfu import payee_accounts``: the accounts persons are paid into, encrypted and hashed."""

from __future__ import annotations

import io

import pytest
from django.db import connection

from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import xlsx_bytes
from bangfu.payments.importers import IMPORTERS
from bangfu.payments.models import PayeeAccount
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_payee_accounts_are_imported_encrypted_and_hashed(make_user):
    township = make_user(role="township_officer", area_code="500230101")
    person = PersonFactory()
    rows = [["证件号码", "姓名", "开户银行", "银行账号"], [person.id_number, person.name, "中国邮政储蓄银行", "6217 0000 1111 2222 333"]]
    result = run_import(IMPORTERS["payee_accounts"], io.BytesIO(xlsx_bytes(rows)), actor=township, filename="f.xlsx")
    assert result.committed
    account = PayeeAccount.objects.get(person=person)
    assert account.account == "6217000011112222333" and account.account_masked == "6217***********2333"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT account FROM {PayeeAccount._meta.db_table}")
        assert "6217000011112222333" not in cursor.fetchone()[0]
    again = run_import(IMPORTERS["payee_accounts"], io.BytesIO(xlsx_bytes(rows)), actor=township, filename="f.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
