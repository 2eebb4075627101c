"""Payment batches, the bank file and its return, re-batching, reconciliation, withdrawal, the
outbox after a payment. The claims paid here are entitlements (the first claim type)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bangfu.core.imports import run_import
from bangfu.core.models import AuditLog
from bangfu.outbox.models import OutboxMessage
from bangfu.outbox.services import MemorySender, outbox_send_pending
from bangfu.payments.importers import IMPORTERS
from bangfu.payments.models import Payment
from bangfu.payments.services import (
    payee_account_set, payment_batch_cancel, payment_batch_export, payment_batch_reconcile,
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
def people():
    out = []
    for i in range(4):
        p = PersonFactory()
        PayeeAccountFactory(person=p, account=f"62170000000000{i:05d}")
        out.append(p)
    out.append(PersonFactory())  # no account
    return out


@pytest.fixture
def approved(people, officer):
    ents = [entitlement_for(p, amount_fen=20000 if i % 2 == 0 else 5000) for i, p in enumerate(people)]
    entitlement_approve(actor=officer, ids=[e.pk for e in ents])
    return ents


def import_return(content: bytes, actor):
    return run_import(IMPORTERS["bank_return"], io.BytesIO(content), actor=actor, filename="return.csv")


# ---- batches -----------------------------------------------------------------------------------
def test_a_batch_takes_the_approved_entitlements_with_an_account_and_reports_the_rest(approved, officer):
    result = payment_batch_create(actor=officer, policy=example_policy(), period="2024")
    batch = result.batch
    assert (result.lines, result.without_account) == (4, 1)
    assert (batch.line_count, batch.total_fen) == (4, 50_000)
    assert len(batch.checksum) == 64
    assert set(Entitlement.objects.filter(pk__in=batch.payments.values("claim_id")).values_list("status", flat=True)) == {"paying"}
    with pytest.raises(ValidationError):  # nothing left to pay
        payment_batch_create(actor=officer, policy=example_policy(), period="2024")


def test_no_entitlement_is_ever_in_two_open_payments(approved, officer):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    p = batch.payments.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(batch=batch, line_no=99, claim_type=p.claim_type, claim_id=p.claim_id, payee_name="x", bank_name="x",
                               account="6217000000000000001", account_hash="h", amount_fen=1, district_code=FENGDU)


def test_the_bank_file_is_masked_unless_the_user_may_see_full_accounts(approved, officer, make_user):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    masked, name, _ = payment_batch_export(actor=officer, batch=batch, fmt="csv")
    text = masked.decode("utf-8-sig")
    assert "6217000000000000000" not in text and "6217***********0000" in text
    assert batch.checksum in text and "合计金额（元）,500.00" in text and name.endswith("_masked.csv")
    full, _, _ = payment_batch_export(actor=officer, batch=batch, fmt="xlsx", full=True)
    assert full[:2] == b"PK"
    assert AuditLog.objects.filter(action="payment_batch.export_full").count() == 1
    auditor_like = make_user(role="city_admin", area_code="50")
    auditor_like.role = "broker"  # no pii.view_full, no approve
    with pytest.raises(PermissionDenied):
        payment_batch_export(actor=auditor_like, batch=batch, fmt="csv", full=True)
    batch.refresh_from_db()
    assert batch.status == "exported"


def test_the_bank_return_marks_paid_and_failed_and_reimporting_changes_nothing(approved, officer):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    content = bank_return(batch, failed_lines={2})
    result = import_return(content, officer)
    assert result.committed and (result.updated, result.unchanged) == (4, 0)
    batch.refresh_from_db()
    assert (batch.paid_count, batch.failed_count, batch.status) == (3, 1, "settled")
    assert Entitlement.objects.filter(status="paid").count() == 3
    assert OutboxMessage.objects.filter(kind="policies.paid").count() == 3
    body = OutboxMessage.objects.first().body
    assert "您已免申领取跨区域务工一次性交通补助" in body and "元" in body
    again = import_return(content, officer)
    assert (again.updated, again.unchanged) == (0, 4)
    assert OutboxMessage.objects.count() == 3


def test_a_return_with_a_wrong_amount_or_unknown_line_is_refused_whole(approved, officer):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    result = import_return(bank_return(batch, amounts={1: 123}), officer)
    assert not result.committed
    assert result.errors[0].row == 2 and "不一致" in result.errors[0].message
    assert not Payment.objects.exclude(status="pending").exists()


def test_a_return_before_the_file_was_exported_is_refused(approved, officer):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    result = import_return(bank_return(batch), officer)
    assert not result.committed and "尚未导出" in result.errors[0].message


def test_failed_payments_are_rebatched_once_the_account_is_corrected_and_then_reconcile(approved, officer, make_user):
    policy = example_policy()
    batch = payment_batch_create(actor=officer, policy=policy, period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    import_return(bank_return(batch, failed_lines={1, 3}), officer)
    # Not corrected yet: the re-batch refuses to send the same wrong accounts again.
    with pytest.raises(ValidationError):
        payment_batch_create(actor=officer, policy=policy, period="2024", rebatch=True)
    township = make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)
    failed = Payment.objects.filter(status="failed").select_related("payee_person")
    for p in failed:
        payee_account_set(actor=township, person=p.payee_person, bank_name="重庆农村商业银行",
                          account="6228 4800 0000 0000 9" + str(p.line_no))
    again = payment_batch_create(actor=officer, policy=policy, period="2024", rebatch=True)
    assert again.lines == 2 and again.batch.is_rebatch
    payment_batch_export(actor=officer, batch=again.batch)
    import_return(bank_return(again.batch), officer)
    checks = payment_batch_reconcile(actor=officer, batch=batch)
    assert all(ch.ok for ch in checks), [(c.label, c.detail) for c in checks]
    assert all(ch.ok for ch in payment_batch_reconcile(actor=officer, batch=again.batch))
    batch.refresh_from_db()
    assert batch.status == "reconciled"
    assert Entitlement.objects.filter(status="paid").count() == 4
    from bangfu.policies.selectors import reconciliation

    recon = reconciliation(user=officer, policy=policy, period="2024")
    assert recon["balanced"] and recon["payments"]["paid"]["s"] == 50_000
    assert recon["outstanding"] == 20_000  # the approved person without an account is still to pay


def test_a_batch_cannot_be_reconciled_while_lines_wait_for_the_bank(approved, officer):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    with pytest.raises(ValidationError):
        payment_batch_reconcile(actor=officer, batch=batch)


def test_an_account_must_be_digits(people, make_user):
    with pytest.raises(ValidationError):
        payee_account_set(actor=make_user(role="township_officer", area_code=FENGDU_TOWNSHIP), person=people[0],
                          bank_name="x", account="6217-ABC")


def test_the_outbox_sends_each_message_once_and_keeps_failures_for_retry(approved, officer):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    import_return(bank_return(batch), officer)
    sender = MemorySender()
    counts = outbox_send_pending(sender=sender)
    assert counts["sent"] == 4 and len(sender.sent) == 4
    assert outbox_send_pending(sender=sender)["sent"] == 0
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


# ---- withdrawal ---------------------------------------------------------------------------------
def test_a_batch_never_exported_is_withdrawn_and_its_claims_can_be_batched_again(approved, officer):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    with pytest.raises(ValidationError, match="作废原因"):
        payment_batch_cancel(actor=officer, batch=batch, reason=" ")
    payment_batch_cancel(actor=officer, batch=batch, reason="期间选错")
    batch.refresh_from_db()
    assert batch.status == "cancelled" and set(batch.payments.values_list("status", flat=True)) == {"cancelled"}
    assert set(Entitlement.objects.filter(pk__in=batch.payments.values("claim_id")).values_list("status", flat=True)) \
        == {"approved"}
    assert AuditLog.objects.get(action="payment_batch.cancel").detail["reason"] == "期间选错"
    with pytest.raises(ValidationError):
        payment_batch_export(actor=officer, batch=batch)
    with pytest.raises(ValidationError):
        payment_batch_reconcile(actor=officer, batch=batch)
    again = payment_batch_create(actor=officer, policy=example_policy(), period="2024")
    assert again.lines == 4  # the cancelled lines are dead: the same claims are paid anew


def test_an_exported_batch_cannot_be_withdrawn_and_a_withdrawn_rebatch_returns_its_claims_to_failed(
        approved, officer, make_user):
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    with pytest.raises(ValidationError, match="不能作废"):
        payment_batch_cancel(actor=officer, batch=batch, reason="误操作")
    import_return(bank_return(batch, failed_lines={1}), officer)
    rebatch = payment_batch_create(actor=officer, policy=example_policy(), period="2024", rebatch=True,
                                   include_uncorrected=True).batch
    payment_batch_cancel(actor=officer, batch=rebatch, reason="账户未核实")
    assert Entitlement.objects.get(pk=rebatch.payments.get().claim_id).status == "failed"
    with pytest.raises(PermissionDenied):
        payment_batch_cancel(actor=make_user(role="township_officer", area_code=FENGDU_TOWNSHIP), batch=rebatch,
                             reason="x")


# ---- the claim protocol ---------------------------------------------------------------------------
def test_the_entitlement_claim_type_is_found_in_the_policies_hooks():
    from bangfu.payments.claims import claim_type, claim_types
    from bangfu.policies.payables import EntitlementClaims

    assert isinstance(claim_types()["entitlement"], EntitlementClaims)
    assert claim_type("entitlement").model is Entitlement


def test_a_claim_type_contributed_twice_or_not_at_all_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    from bangfu.payments import claims
    from bangfu.policies.payables import EntitlementClaims

    with claims.PAYABLE_CLAIMS.override([EntitlementClaims(), EntitlementClaims()]):
        with pytest.raises(ImproperlyConfigured, match="'entitlement' is contributed by"):
            claims.claim_types()
    with claims.PAYABLE_CLAIMS.override([]):
        with pytest.raises(ImproperlyConfigured, match="entitlement"):
            claims.claim_type("entitlement")


def test_an_enterprise_is_paid_into_its_corporate_account_and_a_workshop_into_its_operators(officer):
    from bangfu.employers.tests.factories import EmployerFactory
    from bangfu.network.tests.factories import WorkshopFactory
    from bangfu.policies.models import PolicyRun

    firm, shop = EmployerFactory(with_account=True), WorkshopFactory()
    rows = []
    for code, kind, target in (("employer_insurance_subsidy", "enterprise", firm), ("workshop_award", "workshop", shop)):
        policy = example_policy(code)
        run = PolicyRun.objects.create(policy=policy, version=policy.current_version, period="2024", area_code="50",
                                       mode="commit", status="done")
        rows.append(Entitlement.objects.create(
            policy=policy, version=policy.current_version, run=run, period="2024", beneficiary_kind=kind,
            beneficiary_id=target.pk, **{"employer" if kind == "enterprise" else kind: target},
            district_code=FENGDU, township_code="", amount_fen=300000, status="approved"))
    paid_to = {}
    for e in rows:
        line = payment_batch_create(actor=officer, policy=e.policy, period="2024").batch.payments.get()
        paid_to[e.beneficiary_kind] = (line.payee_employer_id, line.payee_person_id, line.account, line.payee_name)
    assert paid_to["enterprise"] == (firm.pk, None, firm.bank_account, firm.name)
    assert paid_to["workshop"] == (shop.employer_id, None, shop.employer.bank_account, shop.employer.name)
