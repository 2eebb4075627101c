"""The money state machine in one process: paid is final for return files, the constraint of
one live payment per claim, bank reversals (退汇), the export marking a batch once. The claims
are entitlements, the first claim type."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bangfu.core.imports import run_import
from bangfu.core.models import AuditLog
from bangfu.outbox.models import OutboxMessage
from bangfu.payments.importers import IMPORTERS
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.payments.services import (
    BankResult, BankReturnRefused, payee_account_set, payment_batch_export, payment_batch_reconcile,
    payment_results_apply, payment_reverse,
)
from bangfu.payments.tests.factories import PayeeAccountFactory, bank_return
from bangfu.policies.models import Entitlement
from bangfu.policies.services import entitlement_approve
from bangfu.policies.services import entitlement_batch_create as payment_batch_create
from bangfu.policies.tests.factories import FENGDU, FENGDU_TOWNSHIP, entitlement_for, example_policy
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


@pytest.fixture
def batch(officer):
    """An exported batch of four lines of 200 yuan."""
    ents = []
    for i in range(4):
        person = PersonFactory()
        PayeeAccountFactory(person=person, account=f"62170000000003{i:05d}")
        ents.append(entitlement_for(person))
    entitlement_approve(actor=officer, ids=[e.pk for e in ents])
    b = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=b)
    return b


def import_return(content: bytes, actor, **kwargs):
    return run_import(IMPORTERS["bank_return"], io.BytesIO(content), actor=actor, filename="return.csv", **kwargs)


def line(batch, n: int) -> Payment:
    return batch.payments.get(line_no=n)


def claim(payment: Payment) -> Entitlement:
    return Entitlement.objects.get(pk=payment.claim_id)


# ---- paid is final ---------------------------------------------------------------------------
def test_a_later_file_that_says_failed_for_a_paid_line_is_refused_naming_the_line(batch, officer):
    assert import_return(bank_return(batch), officer).committed
    result = import_return(bank_return(batch, failed_lines={3}), officer)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(4, "处理结果")]
    assert "成功是最终结果" in result.errors[0].message and "退汇" in result.errors[0].message
    p = line(batch, 3)
    assert (p.status, p.bank_reference, p.failure_reason) == ("paid", "R3", "")


def test_the_service_refuses_a_paid_line_turned_failed_even_without_the_importers_checks(batch, officer):
    payment_results_apply(actor=officer, results=[BankResult(batch=batch, line_no=n, paid=True, reference=f"B{n}")
                                                  for n in range(1, 5)])
    with pytest.raises(BankReturnRefused) as refused:
        payment_results_apply(actor=officer, results=[
            BankResult(batch=batch, line_no=1, paid=True, row=2),
            BankResult(batch=batch, line_no=2, paid=False, reason="户名不符", row=3)])
    assert [(r.row, r.line_no) for r in refused.value.refusals] == [(3, 2)]
    assert "第2笔" in refused.value.messages[0]
    assert set(batch.payments.values_list("status", flat=True)) == {"paid"}
    assert AuditLog.objects.filter(action="payment_batch.settle").count() == 1


def test_a_failed_line_is_final_too_and_a_repeat_changes_nothing(batch, officer):
    import_return(bank_return(batch, failed_lines={2}), officer)
    again = import_return(bank_return(batch, failed_lines={2}), officer)
    assert again.committed and (again.updated, again.unchanged) == (0, 4)
    flipped = import_return(bank_return(batch), officer)
    assert not flipped.committed and [e.row for e in flipped.errors] == [3]
    assert "已回盘为“失败”" in flipped.errors[0].message


def test_the_bank_return_writes_each_line_its_own_reference_and_reason_in_bulk(batch, officer):
    content = bank_return(batch, failed_lines={1, 4})
    assert import_return(content, officer).updated == 4
    got = {p.line_no: (p.status, p.bank_reference, p.failure_reason) for p in batch.payments.all()}
    assert got == {1: ("failed", "R1", "账户已销户"), 2: ("paid", "R2", ""), 3: ("paid", "R3", ""),
                   4: ("failed", "R4", "账户已销户")}
    assert set(Entitlement.objects.filter(pk__in=batch.payments.filter(status="paid").values("claim_id"))
               .values_list("status", flat=True)) == {"paid"}
    texts = OutboxMessage.objects.filter(kind="policies.paid")
    assert texts.count() == 2
    person = claim(line(batch, 2)).person
    text = texts.get(person=person)
    assert text.phone == person.phone and "尾号" in text.body  # the phone sealed beforehand reads back


def test_commit_valid_keeps_the_settleable_lines_of_a_file_with_a_refused_line(batch, officer):
    import_return(bank_return(batch, failed_lines={1}), officer)
    mixed = bank_return(batch)  # line 1 now says paid: refused; the others are unchanged
    result = import_return(mixed, officer, commit_valid=True)
    assert result.committed and [e.row for e in result.errors] == [2] and result.unchanged == 3


# ---- the constraint --------------------------------------------------------------------------
def test_the_database_refuses_a_second_live_payment_of_a_claim(batch):
    p = line(batch, 1)
    fields = dict(line_no=1, claim_type=p.claim_type, claim_id=p.claim_id, payee_name="x", bank_name="x",
                  account="6217000000000000001", account_hash="h", amount_fen=p.amount_fen, district_code=FENGDU)

    def another_batch(n):
        return PaymentBatch.objects.create(number=f"ZFX{n}", claim_type=batch.claim_type, scope=batch.scope,
                                           purpose=batch.purpose, area_code=FENGDU)

    for n, live in enumerate(("pending", "paid")):
        Payment.objects.filter(pk=p.pk).update(status=live)
        with pytest.raises(IntegrityError), transaction.atomic():
            Payment.objects.create(batch=another_batch(n), **fields)
    for n, dead in enumerate(("failed", "reversed", "cancelled"), start=2):
        Payment.objects.filter(pk=p.pk).update(status=dead)
        second = Payment.objects.create(batch=another_batch(n), **fields)  # room for one live payment again
        Payment.objects.filter(pk=second.pk).update(status=dead)
    assert Payment.objects.filter(claim_type=p.claim_type, claim_id=p.claim_id).count() == 4
    # The same id under another claim type is another claim: it has its own live payment.
    Payment.objects.create(batch=another_batch(9), **{**fields, "claim_type": "welfare_post_month"})


def test_a_batch_that_would_pay_an_entitlement_twice_is_refused_in_chinese_and_writes_nothing(batch, officer):
    e = claim(line(batch, 1))
    Entitlement.objects.filter(pk=e.pk).update(status="approved")  # a state the services never leave
    with pytest.raises(ValidationError, match="已被另一个支付批次纳入"):
        payment_batch_create(actor=officer, policy=example_policy(), period="2024")
    assert PaymentBatch.objects.count() == 1 and Payment.objects.count() == 4


# ---- bank reversal (退汇) ----------------------------------------------------------------------
def test_a_reversal_needs_a_reason_and_changes_nothing_without_one(batch, officer):
    import_return(bank_return(batch), officer)
    with pytest.raises(ValidationError, match="请填写退汇原因"):
        payment_reverse(actor=officer, payment=line(batch, 2), reason="  ")
    assert line(batch, 2).status == "paid"
    assert not AuditLog.objects.filter(action="payment.reverse").exists()


@pytest.mark.parametrize("role, area", [("township_officer", FENGDU_TOWNSHIP), ("broker", "50"), ("auditor", "50")])
def test_a_reversal_needs_the_approve_capability_at_district_level(batch, officer, make_user, role, area):
    import_return(bank_return(batch), officer)
    with pytest.raises(PermissionDenied):
        payment_reverse(actor=make_user(role=role, area_code=area), payment=line(batch, 2), reason="银行退汇")
    assert line(batch, 2).status == "paid"


def test_an_officer_of_another_district_cannot_reverse(batch, officer, make_user):
    import_return(bank_return(batch), officer)
    with pytest.raises(PermissionDenied):
        payment_reverse(actor=make_user(role="district_officer", area_code="500101"), payment=line(batch, 2),
                        reason="银行退汇")


def test_a_reversal_is_audited_reopens_the_entitlement_and_a_rebatch_pays_it_once(batch, officer, make_user):
    import_return(bank_return(batch), officer)
    assert all(ch.ok for ch in payment_batch_reconcile(actor=officer, batch=batch))
    p = payment_reverse(actor=officer, payment=line(batch, 2), reason="银行退汇：账户已冻结（退汇通知 TH-0031）")
    assert (p.status, p.bank_reference, p.reversed_by) == ("reversed", "R2", officer)
    assert Entitlement.objects.get(pk=p.claim_id).status == "failed"
    log = AuditLog.objects.get(action="payment.reverse")
    assert log.detail["reason"].startswith("银行退汇") and log.detail["line_no"] == 2 and log.actor == officer
    batch.refresh_from_db()
    assert (batch.status, batch.paid_count, batch.failed_count, batch.failed_fen) == ("settled", 3, 1, 20000)
    assert all(ch.ok for ch in payment_batch_reconcile(actor=officer, batch=batch))
    with pytest.raises(ValidationError, match="当前为“已退汇”"):
        payment_reverse(actor=officer, payment=p, reason="再次退汇")
    # Not re-batched until the account is corrected, then paid once.
    with pytest.raises(ValidationError):
        payment_batch_create(actor=officer, policy=example_policy(), period="2024", rebatch=True)
    payee_account_set(actor=make_user(role="township_officer", area_code=FENGDU_TOWNSHIP),
                      person=claim(p).person, bank_name="重庆农村商业银行", account="6228480000000000777")
    again = payment_batch_create(actor=officer, policy=example_policy(), period="2024", rebatch=True).batch
    payment_batch_export(actor=officer, batch=again)
    import_return(bank_return(again), officer)
    assert Payment.objects.filter(claim_type="entitlement", claim_id=p.claim_id, status="paid").count() == 1
    assert Entitlement.objects.filter(status="paid").count() == 4


def test_only_a_paid_line_can_be_reversed(batch, officer):
    with pytest.raises(ValidationError, match="当前为“待银行处理”"):
        payment_reverse(actor=officer, payment=line(batch, 1), reason="退汇")
    import_return(bank_return(batch, failed_lines={1}), officer)
    with pytest.raises(ValidationError, match="当前为“失败”"):
        payment_reverse(actor=officer, payment=line(batch, 1), reason="退汇")
    assert Entitlement.objects.filter(status="paid").count() == 3


# ---- export ----------------------------------------------------------------------------------
def test_only_the_first_export_marks_the_batch_exported(officer):
    person = PersonFactory()
    PayeeAccountFactory(person=person)
    e = entitlement_for(person, status="approved")
    b = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    assert b.status == "created" and e.pk
    payment_batch_export(actor=officer, batch=b)
    first = PaymentBatch.objects.get(pk=b.pk).exported_at
    payment_batch_export(actor=officer, batch=b, fmt="xlsx")
    assert PaymentBatch.objects.get(pk=b.pk).exported_at == first
    assert AuditLog.objects.filter(action="payment_batch.export").count() == 2
