"""The fact store on PostgreSQL (issue 16, item 5): built and refreshed through DuckDB's postgres
scanner, read by the engine while fresh, and repaired after a writer killed between its commit
and its refresh. Run with DATABASE_URL=postgresql://... (``make test``'s PostgreSQL run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import connection

from bangfu.core import facts
from bangfu.core.actors import SYSTEM
from bangfu.core.engine import engine_session, postgres_url
from bangfu.core.tests.test_facts import KILLER, EMPLOYMENT, record, rows_in_database, rows_in_store
from bangfu.engine import facts as store
from bangfu.monitoring.models import EmploymentMonth, HouseholdIncome
from bangfu.monitoring.services import employment_months_write, kpi_fill
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.monitoring.tests.test_fill import snapshot, world  # noqa: F401 - a fixture
from bangfu.registry.tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def store_dir(tmp_path, settings):
    settings.BANGFU = {**settings.BANGFU, "FACTS_DIR": str(tmp_path / "facts")}
    return tmp_path / "facts"


def test_a_rebuild_on_postgres_reads_through_the_postgres_scanner(store_dir):
    assert connection.vendor == "postgresql"
    assert "pg_url" in facts._source()
    for month in ("2023-12", "2024-01"):
        EmploymentMonthFactory(month=month, income_fen=None)
    EmploymentMonthFactory(month="2024-01", income_fen=123_456)
    call_command("facts", "rebuild")
    assert rows_in_store(store_dir) == rows_in_database() == {"2023-12": 1, "2024-01": 2}
    manifest = store.read_manifest(store_dir, EMPLOYMENT)
    assert manifest["columns"][0] == "id" and manifest["max_id"] == EmploymentMonth.objects.latest("id").pk
    # the values as PostgreSQL holds them (NULL kept, integers exact)
    with engine_session() as session:
        t = session.engine.table(EMPLOYMENT)
        assert EMPLOYMENT in session.fact_tables
        incomes = sorted(session.engine.to_pyarrow(t.select("income_fen")).column(0).to_pylist(),
                         key=lambda v: (v is not None, v))
    assert incomes == [None, None, 123_456]
    status = {r["table"]: r for r in facts.status(verify=True)}
    assert (status[EMPLOYMENT]["stale"], status[EMPLOYMENT]["missing"], status[EMPLOYMENT]["dirty"]) == ([], [], [])
    assert status["monitoring_householdincome"]["built"]


def test_a_commit_on_postgres_refreshes_the_months_it_touched_and_the_engine_reads_them(store_dir):
    EmploymentMonthFactory(month="2024-04")
    call_command("facts", "rebuild")
    person = PersonFactory()
    employment_months_write(rows=[record(person, "2024-04"), record(person, "2024-05")], actor=SYSTEM)
    assert rows_in_store(store_dir) == rows_in_database() == {"2024-04": 2, "2024-05": 1}
    assert store.dirty_markers(store_dir, EMPLOYMENT) == {}
    with engine_session() as session:
        t = session.engine.table(EMPLOYMENT)
        assert EMPLOYMENT in session.fact_tables
        assert session.engine.to_pyarrow(t.count()).as_py() == 3
    # a row behind the services' back: the table is stale, the engine reads PostgreSQL instead
    EmploymentMonth.objects.create(person=person, month="2024-06", place_class="in_county", channel="local")
    with engine_session() as session:
        t = session.engine.table(EMPLOYMENT)
        assert EMPLOYMENT not in session.fact_tables
        assert session.engine.to_pyarrow(t.count()).as_py() == 4
    call_command("facts", "refresh", "--verify")
    assert rows_in_store(store_dir) == rows_in_database()


def test_a_writer_killed_on_postgres_after_its_commit_leaves_a_mark_the_scheduled_task_repairs(store_dir):
    for month in ("2024-05", "2024-06"):
        EmploymentMonthFactory(month=month)
    call_command("facts", "rebuild")
    people = [PersonFactory() for _ in range(3)]
    env = os.environ | {"DATABASE_URL": postgres_url(connection.settings_dict)}
    killed = subprocess.run([sys.executable, "-c", KILLER, str(store_dir), *[str(p.pk) for p in people]],
                            env=env, timeout=600, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    assert rows_in_database() == {"2024-05": 1, "2024-06": 4}
    assert rows_in_store(store_dir) == {"2024-05": 1, "2024-06": 1}
    assert list(store.dirty_markers(store_dir, EMPLOYMENT)) == ["2024-06"]
    with engine_session() as session:
        t = session.engine.table(EMPLOYMENT)
        assert EMPLOYMENT not in session.fact_tables
        assert session.engine.to_pyarrow(t.count()).as_py() == 5

    assert facts.repair() == {"built": True, "repaired": {}}  # the mark is young: its writer may still commit
    old = time.time() - facts.REPAIR_AFTER - 1
    for path in store.dirty_markers(store_dir, EMPLOYMENT)["2024-06"]:
        os.utime(path, (old, old))
    assert facts.repair() == {"built": True, "repaired": {EMPLOYMENT: ["2024-06"]}}
    assert rows_in_store(store_dir) == rows_in_database()
    with engine_session() as session:
        session.engine
        assert EMPLOYMENT in session.fact_tables


def test_the_kpi_tables_on_postgres_are_the_same_with_and_without_the_fact_store(world, store_dir, monkeypatch):  # noqa: F811
    kpi_fill(actor=SYSTEM)
    without = snapshot()
    call_command("facts", "rebuild")
    assert HouseholdIncome.objects.exists()
    read, original = [], facts.fresh_tables
    monkeypatch.setattr(facts, "fresh_tables", lambda *a, **k: read.extend(original(*a, **k)) or read[:])
    kpi_fill(actor=SYSTEM, force=True)
    assert {EMPLOYMENT, "monitoring_householdincome"} <= set(read)  # the fill read the files
    assert snapshot() == without and len(without[0]) > 5
