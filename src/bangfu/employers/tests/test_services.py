"""Registering employers: one per unified social credit code, whichever programme meets it first."""

from __future__ import annotations

import pytest

from bangfu.core.models import AuditLog
from bangfu.employers import services as s
from bangfu.employers.models import Employer
from bangfu.employers.tests.factories import EmployerFactory, make_uscc
from bangfu.payments.services import employer_account_set
from bangfu.registry.tests.factories import FENGDU

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("district_officer", FENGDU)


def test_an_employer_code_with_a_wrong_check_digit_is_refused(officer):
    good = make_uscc(42)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(s.EmployerError) as caught:
        s.employer_create(actor=officer, name="某公司", uscc=bad)
    assert caught.value.fields["uscc"] == s.ERR_USCC
    assert s.employer_create(actor=officer, name="某公司", uscc=good).uscc == good


def test_a_second_employer_with_the_same_code_is_refused_naming_the_first(officer):
    first = EmployerFactory(name="丰都县某某建材有限公司")
    with pytest.raises(s.EmployerError) as caught:
        s.employer_create(actor=officer, name="另一个名字", uscc=first.uscc)
    assert caught.value.fields["uscc"] == s.ERR_USCC_TAKEN.format(name="丰都县某某建材有限公司")
    assert Employer.objects.count() == 1


def test_get_or_create_returns_the_registered_employer_and_registers_a_new_code_once(officer):
    known = EmployerFactory()
    assert s.employer_get_or_create(actor=officer, uscc=known.uscc, name="随便") == (known, False)
    code = make_uscc(77)
    created, new = s.employer_get_or_create(actor=officer, uscc=code, name="新单位", place_code="500230101")
    assert new and created.township_code == "500230101" and created.district_code == FENGDU
    assert s.employer_get_or_create(actor=officer, uscc=code, name="新单位")[1] is False
    assert AuditLog.objects.filter(action="employer.create", object_id=str(created.pk)).count() == 1


def test_the_corporate_account_is_stored_encrypted_with_its_hash_and_audited_by_its_last_digits(officer):
    employer = EmployerFactory()
    employer_account_set(actor=officer, employer=employer, bank_name="重庆农村商业银行", account="5001 0101 2001 0001 234")
    employer.refresh_from_db()
    assert employer.bank_account == "5001010120010001234"
    assert employer.bank_account_masked.startswith("5001") and "*" in employer.bank_account_masked
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT bank_account FROM {Employer._meta.db_table} WHERE id = %s", [employer.pk])
        assert "5001010120010001234" not in cursor.fetchone()[0]
    row = AuditLog.objects.get(action="employer.bank_account_set")
    assert row.detail == {"bank_name": "重庆农村商业银行", "account_last4": "1234"}
