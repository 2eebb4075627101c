"""Policy runs through the service: preview, commit once, re-run adds nothing, a killed commit
restarts cleanly, no data says so, budgets and areas hold. The engine reads committed data
through its own connection, so these tests use ``transactional_db``."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied

from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.policies.models import Entitlement, PolicyRun
from bangfu.policies.services import PolicyRunError, policy_run, policy_version_create
from bangfu.policies.tests.factories import (
    FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, example_policy, traveller,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world():
    """Three travellers in 丰都 (two out of the city, one elsewhere in Chongqing), one in 万州,
    one 丰都 person who stayed home."""
    people = {
        "far": traveller(),
        "far2": traveller(place="abroad"),
        "near": traveller(place="in_city"),
        "wanzhou": traveller(district=WANZHOU, township=WANZHOU_TOWNSHIP),
        "home": traveller(place="in_county"),
    }
    return example_policy(), people


def test_a_preview_counts_and_totals_without_writing(world):
    policy, people = world
    run = policy_run(policy=policy, period="2024", actor=SYSTEM, area_code="50")
    assert (run.eligible, run.total_fen, run.mode, run.status) == (4, 65_000, "preview", "done")
    assert not Entitlement.objects.exists()
    assert {d["district_code"]: d["count"] for d in run.result["by_district"]} == {FENGDU: 3, WANZHOU: 1}
    sample = {s["id"]: s for s in run.result["sample"]}
    assert sample[people["near"].pk]["amount_fen"] == 5_000
    assert any("跨区县务工" in r for r in sample[people["near"].pk]["reasons"])  # the clause in words


def test_a_commit_writes_each_entitlement_once_and_a_second_commit_adds_nothing(world):
    policy, people = world
    first = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert (first.created, first.already_existed) == (4, 0)
    second = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert (second.eligible, second.created, second.already_existed) == (4, 0, 4)
    assert "未重复写入" in second.result["messages"][0]
    assert Entitlement.objects.count() == 4
    e = Entitlement.objects.get(person=people["far2"])
    assert (e.amount_fen, e.status, e.run_id) == (20_000, "pending", first.pk)
    assert e.facts["worked_outside_city"] is True
    assert AuditLog.objects.filter(action="policy_run.commit").count() == 2


@pytest.mark.postgres
def test_on_postgresql_a_commit_copies_each_entitlement_once_with_its_facts(world):
    """PostgreSQL's write path: COPY into a temporary table, then INSERT ... ON CONFLICT DO NOTHING."""
    from django.db import connection

    assert connection.vendor == "postgresql"
    policy, people = world
    first = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    traveller(month="2024-11")  # newly eligible: only this one is new the second time
    second = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert (first.created, second.created, second.already_existed) == (4, 1, 4)
    e = Entitlement.objects.get(person=people["far"])
    assert (e.amount_fen, e.status, e.run_id, e.township_code) == (20_000, "pending", first.pk, FENGDU_TOWNSHIP)
    assert e.facts["worked_outside_city"] is True and e.decision_reason == "" and e.employer_id is None
    assert Entitlement.objects.filter(run=second).count() == 1
    assert AuditLog.objects.filter(action="policy_run.commit").count() == 2


def test_a_later_run_adds_only_the_newly_eligible(world):
    policy, _people = world
    policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    traveller(month="2024-11")
    run = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert (run.eligible, run.created, run.already_existed) == (5, 1, 4)


def test_every_engine_commits_the_same_entitlements(world):
    policy, _people = world
    policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50", engine="sqlite")
    by_sqlite = dict(Entitlement.objects.values_list("beneficiary_id", "amount_fen"))
    Entitlement.objects.all().delete()
    policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50", engine="duckdb")
    assert dict(Entitlement.objects.values_list("beneficiary_id", "amount_fen")) == by_sqlite


@pytest.mark.spark
def test_spark_on_the_configured_master_commits_the_same_entitlements(world, spark, settings):
    policy, _people = world
    policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    by_duckdb = dict(Entitlement.objects.values_list("beneficiary_id", "amount_fen"))
    Entitlement.objects.all().delete()
    settings.BANGFU = {**settings.BANGFU, "ENGINE": "spark"}  # the session finds the running Spark
    run = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert run.engine == "spark" and run.status == "done"
    assert dict(Entitlement.objects.values_list("beneficiary_id", "amount_fen")) == by_duckdb


def test_an_unknown_engine_is_refused_before_anything_is_recorded(world, settings):
    policy, _people = world
    settings.BANGFU = {**settings.BANGFU, "ENGINE": "excel"}
    with pytest.raises(PolicyRunError, match="excel"):
        policy_run(policy=policy, period="2024", actor=SYSTEM, area_code="50")
    assert not PolicyRun.objects.exists()


def test_a_district_officer_runs_over_the_own_district_only(world, make_user):
    policy, people = world
    officer = make_user(role="district_officer", area_code=WANZHOU)
    run = policy_run(policy=policy, period="2024", actor=officer, commit=True)
    assert run.area_code == WANZHOU
    assert list(Entitlement.objects.values_list("person_id", flat=True)) == [people["wanzhou"].pk]
    with pytest.raises(PermissionDenied):
        policy_run(policy=policy, period="2024", actor=officer, area_code=FENGDU)


def test_a_township_officer_cannot_run_a_policy(world, make_user):
    policy, _ = world
    with pytest.raises(PermissionDenied):
        policy_run(policy=policy, period="2024", actor=make_user(role="township_officer", area_code=FENGDU_TOWNSHIP))


def test_a_period_without_employment_data_is_refused_and_says_so(world):
    policy, _ = world
    with pytest.raises(PolicyRunError) as info:
        policy_run(policy=policy, period="2019", actor=SYSTEM, commit=True, area_code="50")
    assert "2019年没有务工监测数据" in str(info.value)
    run = PolicyRun.objects.latest("pk")
    assert run.status == "failed" and "务工监测" in run.error
    assert not Entitlement.objects.exists()


def test_a_bad_period_is_refused(world):
    policy, _ = world
    with pytest.raises(PolicyRunError):
        policy_run(policy=policy, period="24", actor=SYSTEM)


def test_a_commit_over_budget_writes_nothing(world):
    policy, _ = world
    definition = policy.current_version.to_definition()
    from dataclasses import replace

    policy_version_create(policy=policy, definition=replace(definition, budget_yuan=600.0), actor=SYSTEM,
                          change_reason="预算")
    with pytest.raises(PolicyRunError) as info:
        policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert "超出预算" in str(info.value)
    assert not Entitlement.objects.exists()
    # the district's own share fits
    run = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code=WANZHOU)
    assert run.created == 1


KILL_SCRIPT = textwrap.dedent("""
    import os
    from bangfu.testing.races import child_django
    with child_django({"NAME": os.environ["KILL_DB"]}):
        from bangfu.core.actors import SYSTEM
        from bangfu.policies.services import runs
        from bangfu.policies.models import Policy
        runs.INSERT_CHUNK = 1
        real = runs._insert_chunk
        calls = []
        def dying(cursor, params):
            real(cursor, params)
            calls.append(1)
            if len(calls) == 2:
                os._exit(137)  # the process dies in the middle of the commit
        runs._insert_chunk = dying
        runs.policy_run(policy=Policy.objects.get(code="transport_subsidy"), period="2024", actor=SYSTEM,
                        commit=True, area_code="50")
""")


def test_a_commit_killed_midway_leaves_nothing_and_the_rerun_writes_each_once(world):
    policy, _ = world
    db_name = str(settings.DATABASES["default"]["NAME"])
    env = {**os.environ, "KILL_DB": db_name}
    done = subprocess.run([sys.executable, "-c", KILL_SCRIPT], env=env, capture_output=True, timeout=300)
    assert done.returncode == 137, done.stderr.decode()[-2000:]
    assert not Entitlement.objects.exists()  # the transaction died with the process
    assert PolicyRun.objects.get(mode="commit").status == "running"
    run = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
    assert run.created == 4
    assert Entitlement.objects.count() == Entitlement.objects.values("beneficiary_id").distinct().count() == 4
    dead = PolicyRun.objects.filter(mode="commit").exclude(pk=run.pk).get()
    assert dead.status == "failed" and "中断" in dead.error


def test_a_run_started_from_a_server_thread_reads_in_a_child_process_with_the_same_result(world):
    import threading

    policy, _ = world
    results = {}

    def in_thread():
        from django.db import connection

        try:
            run = policy_run(policy=policy, period="2024", actor=SYSTEM, commit=True, area_code="50")
            results["run"] = (run.eligible, run.total_fen, run.created)
        finally:
            connection.close()

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join(timeout=300)
    assert results["run"] == (4, 65_000, 4)
    assert Entitlement.objects.count() == 4
