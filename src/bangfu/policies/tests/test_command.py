"""``bangfu policy``: run with --json, explain in Chinese, load, approve, batch, reconcile."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.payments.models import PaymentBatch
from bangfu.policies.models import Entitlement
from bangfu.policies.tests.factories import FENGDU, traveller

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args) -> str:
    out = io.StringIO()
    call_command("policy", *args, stdout=out)
    return out.getvalue()


def test_load_run_commit_and_rerun_from_the_command_line():
    assert "transport_subsidy: 新建" in run("load", "--examples")
    traveller()
    traveller(place="in_city")
    preview = json.loads(run("run", "transport_subsidy", "--period", "2024", "--json"))
    assert {k: preview[k] for k in ("policy", "period", "engine", "eligible", "total_yuan", "created", "already_existed")} == {
        "policy": "transport_subsidy", "period": "2024", "engine": "duckdb", "eligible": 2, "total_yuan": 250.0,
        "created": 0, "already_existed": 0}
    assert preview["by_district"] == [{"district_code": FENGDU, "district": "丰都县", "count": 2, "total_yuan": 250.0}]
    first = json.loads(run("run", "transport_subsidy", "--period", "2024", "--commit", "--json", "--engine", "sqlite"))
    again = json.loads(run("run", "transport_subsidy", "--period", "2024", "--commit", "--json"))
    assert (first["created"], again["created"], again["already_existed"]) == (2, 0, 2)
    assert Entitlement.objects.count() == 2


def test_explain_prints_each_clause_in_chinese_for_a_person_by_id_number():
    run("load", "--examples")
    person = traveller(place="in_county")
    text = run("explain", "transport_subsidy", "--period", "2024", "--person", person.id_number)
    assert "结论：不符合条件" in text and "✗ 跨区县务工 〔worked_outside_county〕" in text and "跨区县务工 = 否" in text
    assert "金额：若市外务工，则200，否则50 = 50 元" in text  # the amount in words too


def test_explain_refuses_a_policy_of_another_beneficiary_kind():
    run("load", "--examples")
    person = traveller()
    with pytest.raises(CommandError, match="受益对象是企业"):
        run("explain", "employer_insurance_subsidy", "--period", "2024", "--person", str(person.pk))


def test_a_run_over_a_year_without_data_fails_with_a_chinese_message():
    run("load", "--examples")
    traveller()
    with pytest.raises(CommandError, match="2018年没有务工监测数据"):
        run("run", "transport_subsidy", "--period", "2018")


def test_approve_batch_and_reconcile_need_a_district_user(make_user, tmp_path):
    run("load", "--examples")
    traveller()
    run("run", "transport_subsidy", "--period", "2024", "--commit")
    make_user(role="district_officer", area_code=FENGDU, username="fengdu_cli")
    assert "已审核通过 1 条待遇" in run("approve", "transport_subsidy", "--period", "2024", "--user", "fengdu_cli")
    out = run("batch", "transport_subsidy", "--period", "2024", "--user", "fengdu_cli", "--out", str(tmp_path))
    batch = PaymentBatch.objects.get()
    assert batch.number in out and (tmp_path / f"{batch.number}_masked.csv").exists()
    with pytest.raises(CommandError, match="未回盘"):
        run("reconcile", batch.number, "--user", "fengdu_cli")


def test_a_bank_file_lost_after_the_batch_was_made_is_written_again_and_a_reversal_needs_a_reason(
        make_user, tmp_path):
    from bangfu.payments.services import BankResult, payment_results_apply

    run("load", "--examples")
    traveller()
    run("run", "transport_subsidy", "--period", "2024", "--commit")
    officer = make_user(role="district_officer", area_code=FENGDU, username="fengdu_cli")
    run("approve", "transport_subsidy", "--period", "2024", "--user", "fengdu_cli")
    out = run("batch", "transport_subsidy", "--period", "2024", "--user", "fengdu_cli", "--out", str(tmp_path / "lost"))
    batch = PaymentBatch.objects.get()
    assert f"payments export {batch.number}" in out
    # The files were lost (the process died before writing them): write them again.
    out = run("batch", "--export", batch.number, "--user", "fengdu_cli", "--out", str(tmp_path / "again.csv"))
    text = (tmp_path / "again.csv").read_bytes().decode("utf-8-sig")
    assert str(tmp_path / "again.csv") in out and batch.checksum in text and "***" in text
    run("batch", "--export", batch.number, "--user", "fengdu_cli", "--out", str(tmp_path / "again.xlsx"), "--full")
    assert (tmp_path / "again.xlsx").read_bytes()[:2] == b"PK"
    run("batch", "--export", batch.number, "--user", "fengdu_cli", "--out", str(tmp_path))
    assert (tmp_path / f"{batch.number}_masked.csv").exists()
    assert not list(tmp_path.glob(".bank-*"))
    with pytest.raises(CommandError, match="批次不存在"):
        run("batch", "--export", "ZF000", "--user", "fengdu_cli")
    with pytest.raises(CommandError, match="政策代码"):
        run("batch", "--user", "fengdu_cli")
    payment_results_apply(actor=officer, results=[BankResult(batch=batch, line_no=1, paid=True, reference="R1")])
    with pytest.raises(CommandError, match="请填写退汇原因"):
        run("reverse", batch.number, "1", "--reason", " ", "--user", "fengdu_cli")
    out = run("reverse", batch.number, "1", "--reason", "退汇通知 TH-7：账户已冻结", "--user", "fengdu_cli")
    assert "已登记退汇" in out
    assert batch.payments.get().status == "reversed" and Entitlement.objects.get().status == "failed"


def test_explain_asks_for_the_workshop_number_when_two_districts_use_one_code():
    # 认定编号 are unique per district only: a code two districts use names no one workshop
    from bangfu.network.tests.factories import WorkshopFactory

    run("load", "--examples")
    here = WorkshopFactory(code="BFCJ-SAME")
    WorkshopFactory(code="BFCJ-SAME", district_code="500101", township_code="500101001")
    with pytest.raises(CommandError, match="请填写车间编号"):
        run("explain", "workshop_award", "--period", "2024", "--workshop", "BFCJ-SAME")
    text = run("explain", "workshop_award", "--period", "2024", "--workshop", str(here.pk))
    assert f"编号 {here.pk}" in text and "结论：" in text
