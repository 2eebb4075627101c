"""The attack of issue 9 replayed with two real OS processes on one database file (SQLite) or
one server (PostgreSQL): contradicting bank returns at once, a failed return checked before a
paid one was committed, re-batching afterwards, and two batch creations at once.

The processes run ``bangfu import bank_return`` and ``bangfu policy batch`` (see ``race``) on
entitlements, the first claim type;
steps make them overlap: both pass the import's checks before either writes, which is the
window the attack used (2 of 6 trials). Every decision must be made inside the write
transaction, so exactly one of two competing writers wins.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db.models import Count, Sum

from bangfu.core.models import AuditLog
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.payments.services import payee_account_set, payment_batch_export
from bangfu.payments.tests import race
from bangfu.payments.tests.factories import PayeeAccountFactory, bank_return
from bangfu.policies.models import Entitlement
from bangfu.policies.services import entitlement_approve
from bangfu.policies.services import entitlement_batch_create as payment_batch_create
from bangfu.policies.tests.factories import FENGDU, FENGDU_TOWNSHIP, entitlement_for, example_policy
from bangfu.registry.tests.factories import PersonFactory
from bangfu.testing.races import SPAWN, run_together

pytestmark = pytest.mark.django_db(transaction=True)
LINES = 12
FLIPPED = set(range(1, 11))  # the ten lines the contradicting file says failed


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU, username="fengdu_race")


@pytest.fixture
def exported(db_vendor, officer):
    """A batch of twelve approved entitlements, its bank file exported."""
    ents = []
    for i in range(LINES):
        person = PersonFactory()
        PayeeAccountFactory(person=person, account=f"62170000000001{i:05d}")
        ents.append(entitlement_for(person, amount_fen=20000))
    entitlement_approve(actor=officer, ids=[e.pk for e in ents])
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    return batch


def run_processes(*jobs) -> dict[str, dict]:
    """Start every ``(worker, tag, *args, steps)`` in its own process; their outcomes by tag."""
    return {o["tag"]: o for o in run_together([(worker, tuple(args)) for worker, *args in jobs])}


def write(path, content: bytes) -> str:
    path.write_bytes(content)
    return str(path)


def correct_failed_accounts(make_user) -> None:
    township = make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)
    for p in Payment.objects.filter(status="failed").select_related("payee_person"):
        payee_account_set(actor=township, person=p.payee_person, bank_name="重庆农村商业银行",
                          account=f"622848000000{p.pk:07d}")


def paid_times() -> Counter:
    """How many paid payments each entitlement has."""
    return Counter(dict(Payment.objects.filter(status="paid").values("claim_id")
                        .annotate(n=Count("id")).values_list("claim_id", "n")))


def test_two_contradicting_returns_at_once_accept_exactly_one_and_no_paid_line_turns_failed(
        exported, officer, tmp_path):
    paid = write(tmp_path / "paid.csv", bank_return(exported))
    failed = write(tmp_path / "failed.csv", bank_return(exported, failed_lines=FLIPPED))
    meet = SPAWN.Barrier(2)  # both files pass the checks before either writes
    out = run_processes(
        (race.import_bank_return, "paid", paid, officer.username, {"checked": [("barrier", meet)]}),
        (race.import_bank_return, "failed", failed, officer.username, {"checked": [("barrier", meet)]}),
    )
    accepted = [tag for tag, o in out.items() if o["result"]["committed"]]
    assert len(accepted) == 1, out
    winner = accepted[0]
    loser = out["failed" if winner == "paid" else "paid"]
    assert loser["exit"] == 1 and loser["result"]["errors"]
    assert {e["row"] for e in loser["result"]["errors"]} == {n + 1 for n in FLIPPED}  # header is row 1
    assert all("已回盘" in e["message"] for e in loser["result"]["errors"])
    lines = dict(Payment.objects.filter(batch=exported).values_list("line_no", "status"))
    expected_failed = FLIPPED if winner == "failed" else set()
    assert {n for n, s in lines.items() if s == "failed"} == expected_failed
    assert {n for n, s in lines.items() if s == "paid"} == set(range(1, LINES + 1)) - expected_failed
    assert AuditLog.objects.filter(action="import.bank_return").count() == 1


def test_a_failed_return_checked_before_the_paid_one_committed_is_refused_naming_each_line(
        exported, officer, tmp_path):
    paid = write(tmp_path / "paid.csv", bank_return(exported))
    failed = write(tmp_path / "failed.csv", bank_return(exported, failed_lines=FLIPPED))
    checked, committed = SPAWN.Event(), SPAWN.Event()
    out = run_processes(
        (race.import_bank_return, "failed", failed, officer.username,
         {"checked": [("set", checked), ("wait", committed)]}),
        (race.import_bank_return, "paid", paid, officer.username,
         {"start": [("wait", checked)], "done": [("set", committed)]}),
    )
    assert out["paid"]["exit"] == 0 and out["paid"]["result"]["committed"]
    refused = out["failed"]["result"]
    assert out["failed"]["exit"] == 1 and not refused["committed"]
    assert sorted(e["row"] for e in refused["errors"]) == [n + 1 for n in sorted(FLIPPED)]
    assert {e["column"] for e in refused["errors"]} == {"处理结果"}
    assert all("已回盘为“成功”" in e["message"] and "退汇" in e["message"] for e in refused["errors"])
    assert set(Payment.objects.filter(batch=exported).values_list("status", flat=True)) == {"paid"}
    assert sorted(Payment.objects.filter(batch=exported).values_list("bank_reference", flat=True)) == sorted(
        f"R{n}" for n in range(1, LINES + 1))  # the bank's references are kept
    assert set(Entitlement.objects.values_list("status", flat=True)) == {"paid"}


def test_a_rebatch_after_the_contradicting_returns_pays_nobody_twice(exported, officer, make_user, tmp_path):
    paid = write(tmp_path / "paid.csv", bank_return(exported))
    failed = write(tmp_path / "failed.csv", bank_return(exported, failed_lines=FLIPPED))
    checked, committed = SPAWN.Event(), SPAWN.Event()
    run_processes(
        (race.import_bank_return, "failed", failed, officer.username,
         {"checked": [("set", checked), ("wait", committed)]}),
        (race.import_bank_return, "paid", paid, officer.username,
         {"start": [("wait", checked)], "done": [("set", committed)]}),
    )
    # The township corrects the accounts of whatever failed; the district re-batches; the bank pays.
    correct_failed_accounts(make_user)
    rebatch = run_processes((race.batch_command, "rebatch", ["transport_subsidy", "--period", "2024", "--user",
                                                            officer.username, "--rebatch", "--out", str(tmp_path)],
                             {}))["rebatch"]
    for batch in PaymentBatch.objects.filter(is_rebatch=True):
        run_processes((race.import_bank_return, "again", write(tmp_path / "again.csv", bank_return(batch)),
                       officer.username, {}))
    assert rebatch["exit"] != 0 and "没有可支付的待遇" in rebatch["error"]
    assert max(paid_times().values()) == 1
    assert Payment.objects.filter(status="paid").aggregate(s=Sum("amount_fen"))["s"] == LINES * 20000


def test_two_batch_creations_at_once_make_one_batch_and_refuse_the_other_in_chinese(
        db_vendor, officer, tmp_path):
    ents = []
    for i in range(LINES):
        person = PersonFactory()
        PayeeAccountFactory(person=person, account=f"62170000000002{i:05d}")
        ents.append(entitlement_for(person, amount_fen=5000))
    entitlement_approve(actor=officer, ids=[e.pk for e in ents])
    meet = SPAWN.Barrier(2)
    args = ["transport_subsidy", "--period", "2024", "--user", officer.username]
    out = run_processes(
        (race.batch_command, "a", [*args, "--out", str(tmp_path / "a")], {"start": [("barrier", meet)]}),
        (race.batch_command, "b", [*args, "--out", str(tmp_path / "b")], {"start": [("barrier", meet)]}),
    )
    assert sorted(o["exit"] for o in out.values()) == [0, 1], out
    refused = next(o for o in out.values() if o["exit"])
    assert "没有可支付的待遇" in refused["error"] or "其他操作" in refused["error"]
    assert PaymentBatch.objects.count() == 1
    assert Payment.objects.count() == LINES == Payment.objects.values("claim_id").distinct().count()


def test_two_rebatches_at_once_make_one_batch(exported, officer, make_user, tmp_path):
    run_processes((race.import_bank_return, "return", write(tmp_path / "r.csv", bank_return(
        exported, failed_lines={2, 5, 7})), officer.username, {}))
    correct_failed_accounts(make_user)
    meet = SPAWN.Barrier(2)
    args = ["transport_subsidy", "--period", "2024", "--user", officer.username, "--rebatch"]
    out = run_processes(
        (race.batch_command, "a", [*args, "--out", str(tmp_path / "a")], {"start": [("barrier", meet)]}),
        (race.batch_command, "b", [*args, "--out", str(tmp_path / "b")], {"start": [("barrier", meet)]}),
    )
    assert sorted(o["exit"] for o in out.values()) == [0, 1], out
    again = PaymentBatch.objects.get(is_rebatch=True)
    assert again.line_count == 3
    run_processes((race.import_bank_return, "again", write(tmp_path / "a.csv", bank_return(again)),
                   officer.username, {}))
    assert max(paid_times().values()) == 1 and sum(paid_times().values()) == LINES
