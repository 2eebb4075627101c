"""The payment-reversal migration keeps every payment, both ways."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bangfu.policies.models import Payment
from bangfu.policies.services import BankResult, entitlement_approve, payment_batch_create, payment_results_apply
from bangfu.policies.tests.factories import FENGDU, PayeeAccountFactory, entitlement_for, example_policy
from bangfu.registry.tests.factories import PersonFactory

BEFORE = ("policies", "0002_entitlement_fewer_indexes")
AFTER = ("policies", "0003_payment_reversal")


@pytest.mark.django_db(transaction=True)
def test_the_reversal_migration_keeps_every_payment_row_when_applied_and_unapplied(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    ents = []
    for _ in range(3):
        person = PersonFactory()
        PayeeAccountFactory(person=person)
        ents.append(entitlement_for(person))
    entitlement_approve(actor=officer, ids=[e.pk for e in ents])
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_results_apply(actor=officer, results=[BankResult(batch=batch, line_no=1, paid=True, reference="R1"),
                                                  BankResult(batch=batch, line_no=2, paid=False, reason="销户")])
    columns = ("pk", "line_no", "status", "bank_reference", "failure_reason", "amount_fen", "entitlement_id")
    before = list(Payment.objects.order_by("pk").values_list(*columns))
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM policies_payment")
        assert cursor.fetchone()[0] == 3
    executor.loader.build_graph()
    executor.migrate([AFTER])
    assert list(Payment.objects.order_by("pk").values_list(*columns)) == before
    assert all(p.account.startswith("6217") for p in Payment.objects.all())  # still decrypts
