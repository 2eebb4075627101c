"""The fact store through Django: the apps' fact tables, the refresh in the same operation as a
write's commit, a process killed between the two and repaired by the next refresh, the engine
session reading the files only when they are fresh, and the same KPI tables either way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.core.management import call_command
from django.db import connection

from bangfu.core import facts
from bangfu.core.actors import SYSTEM
from bangfu.core.engine import engine_session
from bangfu.engine import facts as store
from bangfu.engine.backends import EngineError
from bangfu.monitoring.models import EmploymentMonth
from bangfu.monitoring.services import employment_months_write, kpi_fill
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.monitoring.tests.test_fill import snapshot, world  # noqa: F401 - a fixture
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)
EMPLOYMENT = EmploymentMonth._meta.db_table


@pytest.fixture
def store_dir(tmp_path, settings):
    settings.BANGFU = {**settings.BANGFU, "FACTS_DIR": str(tmp_path / "facts")}
    return tmp_path / "facts"


def rows_in_store(folder, table=EMPLOYMENT) -> dict[str, int]:
    manifest = store.read_manifest(folder, table) or {"partitions": {}}
    return {month: p["rows"] for month, p in manifest["partitions"].items()}


def rows_in_database() -> dict[str, int]:
    from django.db.models import Count

    return dict(EmploymentMonth.objects.values_list("month").annotate(n=Count("id")))


def record(person, month: str) -> dict:
    return {"person_id": person.pk, "month": month, "place_class": "in_county", "destination_code": "",
            "channel": "local", "employer_name": "", "employer_uscc": "", "job_title": "", "occupation_code": "",
            "income_fen": 300_000}


def test_the_apps_contribute_their_fact_tables():
    tables = {f.table: f.partition for f in facts.fact_tables()}
    assert tables[EMPLOYMENT] == "month"
    assert tables["monitoring_householdincome"] == "year"
    assert tables["insurance_socialinsurancecontribution"] == "month"
    assert {"posts_attendance", "jobs_servicerecord", "jobs_push"} <= set(tables)
    assert tables["registry_person"] is None  # a snapshot of the whole table
    with connection.cursor() as cursor:  # every one names a real table with its partition column
        for table, partition in tables.items():
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            assert (partition is None or partition in columns) and "id" in columns, table


def test_nothing_is_written_until_the_store_is_built(store_dir):
    person = PersonFactory()
    employment_months_write(rows=[record(person, "2024-05")], actor=SYSTEM)
    assert not store_dir.exists() and not facts.enabled()
    with engine_session() as session:
        session.engine
        assert session.fact_tables == []


def test_a_write_refreshes_the_months_it_touched_after_its_commit(store_dir):
    EmploymentMonthFactory(month="2024-04")
    call_command("facts", "rebuild")
    assert rows_in_store(store_dir) == {"2024-04": 1}
    person = PersonFactory()
    employment_months_write(rows=[record(person, "2024-04"), record(person, "2024-05")], actor=SYSTEM)
    assert rows_in_store(store_dir) == rows_in_database() == {"2024-04": 2, "2024-05": 1}
    assert store.dirty_markers(store_dir, EMPLOYMENT) == {}
    with engine_session() as session:
        t = session.engine.table(EMPLOYMENT)
        assert EMPLOYMENT in session.fact_tables
        assert session.engine.to_pyarrow(t.count()).as_py() == 3


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only a SQLite file is left to a child process")
def test_a_read_in_the_child_process_reads_the_fact_store_too(store_dir):
    from bangfu.engine.tests.test_facts import months_counted

    EmploymentMonthFactory(month="2024-04")
    call_command("facts", "rebuild")
    # the month's file gone (the database still has its row): only a child reading the store fails
    (store_dir / EMPLOYMENT / "month=2024-04" / store.DATA_FILE).unlink()
    with engine_session(child_process=True) as session:
        with pytest.raises(EngineError):
            session.read(months_counted)
        assert EMPLOYMENT in session.fact_tables
    with engine_session(child_process=True, facts=False) as session:
        assert session.read(months_counted).to_pylist() == [{"month": "2024-04", "n": 1}]


def test_the_engine_reads_the_database_while_a_month_is_dirty(store_dir):
    EmploymentMonthFactory(month="2024-04")
    call_command("facts", "rebuild")
    store.mark_dirty(store_dir, EMPLOYMENT, ["2024-04"])
    with engine_session() as session:
        session.engine
        assert EMPLOYMENT not in session.fact_tables
    with engine_session(facts=False) as session:
        session.engine
        assert session.fact_tables == []


def test_rows_added_behind_the_services_back_make_the_table_stale(store_dir):
    EmploymentMonthFactory(month="2024-04")
    call_command("facts", "rebuild")
    EmploymentMonth.objects.create(person=PersonFactory(), month="2024-04", place_class="in_county", channel="local")
    with engine_session() as session:
        session.engine
        assert EMPLOYMENT not in session.fact_tables
    call_command("facts", "refresh", "--verify")
    assert rows_in_store(store_dir) == rows_in_database()


KILLER = textwrap.dedent("""
    import os, signal, sys, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    django.setup()
    from django.conf import settings
    settings.BANGFU = {**settings.BANGFU, "FACTS_DIR": sys.argv[1]}
    from bangfu.core import facts
    from bangfu.core.actors import SYSTEM
    from bangfu.monitoring.services import employment_months_write

    def die(table):  # the database has committed; the refresh would come now
        os.kill(os.getpid(), signal.SIGKILL)

    facts._refresh_after_commit = die
    rows = [{"person_id": int(pid), "month": "2024-06", "place_class": "in_county", "destination_code": "",
             "channel": "local", "employer_name": "", "employer_uscc": "", "job_title": "",
             "occupation_code": "", "income_fen": 1} for pid in sys.argv[2:]]
    employment_months_write(rows=rows, actor=SYSTEM)
""")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the killed process opens the SQLite test file")
def test_a_process_killed_between_the_commit_and_the_refresh_leaves_a_dirty_month_the_next_refresh_repairs(
        store_dir):
    for month in ("2024-05", "2024-06"):
        EmploymentMonthFactory(month=month)
    call_command("facts", "rebuild")
    before = rows_in_store(store_dir)
    people = [PersonFactory() for _ in range(3)]

    env = os.environ | {"DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}"}
    killed = subprocess.run([sys.executable, "-c", KILLER, str(store_dir), *[str(p.pk) for p in people]],
                            env=env, timeout=600, capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()[-2000:]
    # committed in the database, not in the store: the month is marked, the engine reads the database
    assert rows_in_database() == {"2024-05": 1, "2024-06": 4}
    assert rows_in_store(store_dir) == before == {"2024-05": 1, "2024-06": 1}
    assert list(store.dirty_markers(store_dir, EMPLOYMENT)) == ["2024-06"]
    with engine_session() as session:
        t = session.engine.table(EMPLOYMENT)
        assert EMPLOYMENT not in session.fact_tables
        assert session.engine.to_pyarrow(t.count()).as_py() == 5
    status = {r["table"]: r for r in facts.status()}
    assert status[EMPLOYMENT]["dirty"] == ["2024-06"]

    call_command("facts", "refresh")
    assert rows_in_store(store_dir) == rows_in_database()
    assert store.dirty_markers(store_dir, EMPLOYMENT) == {}
    with engine_session() as session:
        session.engine
        assert EMPLOYMENT in session.fact_tables


def test_a_batch_runs_session_rewrites_the_dirty_months_it_reads_first(store_dir):
    EmploymentMonthFactory(month="2024-04")
    call_command("facts", "rebuild")
    EmploymentMonth.objects.create(person=PersonFactory(), month="2024-04", place_class="in_county", channel="local")
    store.mark_dirty(store_dir, EMPLOYMENT, ["2024-04"])  # as a write killed before its refresh leaves it
    with engine_session(for_write_back=True, tables=[EMPLOYMENT]) as session:
        assert session.engine.to_pyarrow(session.engine.table(EMPLOYMENT).count()).as_py() == 2
        assert session.fact_tables == [EMPLOYMENT]
    assert rows_in_store(store_dir) == {"2024-04": 2} and store.dirty_markers(store_dir, EMPLOYMENT) == {}


def test_status_and_a_rebuild_of_some_months(store_dir, capsys):
    for month in ("2023-12", "2024-01", "2024-02"):
        EmploymentMonthFactory(month=month)
    call_command("facts", "rebuild", "--from", "2024-01", "--to", "2024-02", "--table", EMPLOYMENT)
    assert rows_in_store(store_dir) == {"2023-12": 1, "2024-01": 1, "2024-02": 1}  # first build: all of it
    EmploymentMonth.objects.filter(month="2024-02").delete()  # behind the services' back
    capsys.readouterr()
    call_command("facts", "status", "--verify", "--json")
    out = json.loads(capsys.readouterr().out)
    row = next(r for r in out["tables"] if r["table"] == EMPLOYMENT)
    assert (row["partitions"], row["extra"], row["stale"]) == (3, ["2024-02"], [])
    call_command("facts", "rebuild", "--from", "2024-01", "--to", "2024-02", "--table", EMPLOYMENT)
    assert rows_in_store(store_dir) == {"2023-12": 1, "2024-01": 1}


def test_the_kpi_tables_are_the_same_with_and_without_the_fact_store(world, store_dir, monkeypatch):  # noqa: F811
    kpi_fill(actor=SYSTEM)
    without = snapshot()
    call_command("facts", "rebuild")
    read, original = [], facts.fresh_tables
    monkeypatch.setattr(facts, "fresh_tables", lambda *a, **k: read.extend(original(*a, **k)) or read[:])
    kpi_fill(actor=SYSTEM, force=True)
    assert {EMPLOYMENT, "monitoring_householdincome"} <= set(read)  # the fill read the files
    assert snapshot() == without and len(without[0]) > 5


@pytest.fixture(scope="module")
def spark_connect_url(tmp_path_factory):
    """A Spark Connect server on loopback, started from PySpark's own spark-submit (local mode)."""
    import socket
    import time
    from pathlib import Path

    pytest.importorskip("grpc", reason="the Spark Connect client needs grpcio (pyspark[connect])")
    import pyspark

    home = Path(pyspark.__file__).parent
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path_factory.mktemp("connect") / "server.log"
    env = os.environ | {"SPARK_HOME": str(home), "SPARK_CONNECT_MODE": "0", "PYSPARK_PYTHON": sys.executable}
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [str(home / "bin" / "spark-submit"), "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
             "--master", "local[1]", "--driver-memory", "1g",
             "--conf", f"spark.connect.grpc.binding.port={port}", "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
             "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
             "--conf", "spark.ui.enabled=false", "spark-internal"], stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 300
        while b"Spark Connect server started" not in log.read_bytes():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Spark Connect server did not start: " + log.read_text(errors="replace")[-2000:])
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()


CONNECT_FILL = textwrap.dedent("""
    import json, os, sys, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    django.setup()
    from django.conf import settings
    settings.BANGFU = {**settings.BANGFU, "FACTS_DIR": sys.argv[1]}
    from bangfu.core import facts
    from bangfu.core.actors import SYSTEM
    from bangfu.core.engine import set_spark_master, spark_session
    from bangfu.monitoring.services import kpi_fill

    read, original = [], facts.fresh_tables
    facts.fresh_tables = lambda *a, **k: read.extend(original(*a, **k)) or read[:]
    set_spark_master(sys.argv[2])
    spark = spark_session()
    try:
        report = kpi_fill(actor=SYSTEM, force=True, engine="spark", spark=spark)
        print(json.dumps({"module": spark.__class__.__module__, "engine": report.engine, "read": read}))
    finally:
        spark.stop()  # before the server goes: a client left open retries it for minutes at exit
""")


@pytest.mark.spark
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the client process opens the SQLite test file")
def test_spark_connect_reads_the_fact_store_and_fills_the_same_kpi_tables_as_duckdb(  # noqa: F811
        world, store_dir, spark_connect_url):
    """In a process of its own: PySpark refuses a remote session where a local one runs (the
    suite's other Spark tests keep one open)."""
    import json

    kpi_fill(actor=SYSTEM, engine="duckdb")
    duckdb_tables = snapshot()
    call_command("facts", "rebuild")
    env = os.environ | {"DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}"}
    env.pop("BANGFU_SPARK_MASTER", None)
    done = subprocess.run([sys.executable, "-c", CONNECT_FILL, str(store_dir), spark_connect_url],
                          env=env, timeout=900, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    out = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert out["module"].startswith("pyspark.sql.connect") and out["engine"] == "spark"
    assert EMPLOYMENT in out["read"]
    assert snapshot() == duckdb_tables


def _age(paths, seconds: float) -> None:
    import time

    for path in paths:
        os.utime(path, (time.time() - seconds, time.time() - seconds))


@pytest.mark.parametrize("in_thread", [False, True], ids=["main-thread", "scheduler-thread"])
def test_the_scheduled_task_repairs_the_months_a_killed_write_left_dirty_and_leaves_young_marks(
        store_dir, in_thread):
    import threading

    from bangfu.core import schedule

    for month in ("2024-04", "2024-05"):
        EmploymentMonthFactory(month=month)
    call_command("facts", "rebuild")
    # as a write killed after its commit leaves it: the rows in the database, an old mark, an old file
    for month in ("2024-04", "2024-05"):
        EmploymentMonth.objects.create(person=PersonFactory(), month=month, place_class="in_county", channel="local")
    _age(store.mark_dirty(store_dir, EMPLOYMENT, ["2024-04"]), facts.REPAIR_AFTER + 60)
    store.mark_dirty(store_dir, EMPLOYMENT, ["2024-05"])  # young: maybe a write still in its transaction
    job = schedule.get_job("facts_refresh")
    assert job is not None and job.cadence.minutes <= 5  # a leftover is repaired within minutes

    runs = []
    if in_thread:  # as `bangfu serve` runs the scheduler: the refresh goes to a child process on SQLite
        worker = threading.Thread(target=lambda: runs.append(schedule.scheduled_run_execute(job=job)))
        worker.start()
        worker.join(600)
    else:
        runs.append(schedule.scheduled_run_execute(job=job))
    assert runs[0].status == "ok", runs[0].error
    # and, on SQLite, the persons' snapshot, which the persons made since the rebuild left stale
    # (PostgreSQL keeps no snapshot: the engine reads its persons from the database)
    repaired = {EMPLOYMENT: ["2024-04"]} | ({"registry_person": ["*"]} if connection.vendor == "sqlite" else {})
    assert runs[0].summary == {"built": True, "repaired": repaired}
    assert rows_in_store(store_dir) == {"2024-04": 2, "2024-05": 1}  # 2024-05 not yet
    assert list(store.dirty_markers(store_dir, EMPLOYMENT)) == ["2024-05"]
    with engine_session() as session:
        session.engine
        assert EMPLOYMENT not in session.fact_tables  # still marked: the engine reads the database

    _age(store.dirty_markers(store_dir, EMPLOYMENT)["2024-05"], facts.REPAIR_AFTER + 1)  # its writer never came back
    assert facts.repair() == {"built": True, "repaired": {EMPLOYMENT: ["2024-05"]}}
    assert rows_in_store(store_dir) == rows_in_database() == {"2024-04": 2, "2024-05": 2}
    assert facts.repair() == {"built": True, "repaired": {}}  # nothing marked: nothing read
    with engine_session() as session:
        session.engine
        assert EMPLOYMENT in session.fact_tables


def test_the_scheduled_task_does_nothing_before_the_store_is_built(store_dir):
    EmploymentMonthFactory(month="2024-04")
    assert facts.repair() == {"built": False}
    assert not store_dir.exists()


PERSON = "registry_person"


def persons_category(session) -> dict[int, str]:
    t = session.engine.table(PERSON)
    return {r["id"]: r["category"] for r in session.engine.to_pyarrow(t.select("id", "category")).to_pylist()}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the persons' snapshot is SQLite's only")
def test_the_persons_snapshot_is_read_only_while_no_write_has_touched_the_persons_since(store_dir, capsys):
    from bangfu.registry.models import Person

    people = [PersonFactory(category="alleviated") for _ in range(3)]
    call_command("facts", "rebuild")
    with engine_session(tables=[PERSON, EMPLOYMENT]) as session:
        assert persons_category(session) == {p.pk: "alleviated" for p in people}
        assert PERSON in session.fact_tables
    Person.objects.filter(pk=people[0].pk).update(category="monitored")  # no save(), no signal, no touch()
    capsys.readouterr()
    call_command("facts", "status")
    assert "整表快照，3 行，待刷新" in capsys.readouterr().out
    with engine_session(for_write_back=True, tables=[PERSON]) as session:  # the database, with the change
        assert persons_category(session)[people[0].pk] == "monitored"
        assert session.fact_tables == []
    assert facts.repair()["repaired"] == {PERSON: ["*"]}
    with engine_session(tables=[PERSON]) as session:
        assert persons_category(session)[people[0].pk] == "monitored"
        assert session.fact_tables == [PERSON]
