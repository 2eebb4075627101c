"""The fact store (no Django): partitions written atomically, dirty markers, versions, and the
same KPI tables and entitlements whether the engine reads the Parquet files or the database."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from bangfu.engine import facts as fs
from bangfu.engine import features as ft
from bangfu.engine import schema, snapshots
from bangfu.engine.backends import open_engine
from bangfu.engine.tests.test_kpi import build_sqlite
from bangfu.engine.tests.test_kpi_parity import kpi_tables
from bangfu.engine.tests.test_policy_engines import load, random_facts, results
from bangfu.engine.policy.testing import FactsDB

EMPLOYMENT = fs.FactSpec(schema.EMPLOYMENT, "month")
INCOME = fs.FactSpec(schema.HOUSEHOLD_INCOME, "year")
CONTRIBUTION = fs.FactSpec(ft.CONTRIBUTION, "month")


def months_counted(engine):
    """A read for ``session.read`` in a child process (module level, Django-free)."""
    t = engine.table(schema.EMPLOYMENT)
    return t.group_by("month").aggregate(n=t.count()).order_by("month")


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def max_id(db, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0]


@pytest.fixture(scope="module")
def kpi_db(tmp_path_factory):
    return build_sqlite(tmp_path_factory.mktemp("facts") / "kpi.sqlite3")


def test_a_rebuild_writes_one_file_per_month_and_a_version_for_each(kpi_db, tmp_path):
    report = fs.refresh(tmp_path, EMPLOYMENT, sqlite_path=kpi_db, rebuild=True)
    manifest = fs.read_manifest(tmp_path, schema.EMPLOYMENT)
    with sqlite3.connect(kpi_db) as conn:
        expected = {m: (n, i) for m, n, i in conn.execute(
            "SELECT month, count(*), max(id) FROM monitoring_employmentmonth GROUP BY month")}
    assert sorted(report["written"]) == sorted(expected)
    assert {m: (p["rows"], p["max_id"]) for m, p in manifest["partitions"].items()} == expected
    for month in expected:
        assert (tmp_path / schema.EMPLOYMENT / f"month={month}" / fs.DATA_FILE).exists()
    assert fs.verify(tmp_path, EMPLOYMENT, sqlite_path=kpi_db)["stale"] == []
    assert fs.is_fresh(tmp_path, schema.EMPLOYMENT, max_id=max_id(kpi_db, schema.EMPLOYMENT))
    assert not fs.is_fresh(tmp_path, schema.EMPLOYMENT, max_id=max_id(kpi_db, schema.EMPLOYMENT) + 1)


def test_the_kpi_tables_are_the_same_read_from_the_fact_store(kpi_db, tmp_path):
    with open_engine("duckdb", sqlite_path=kpi_db) as engine:
        expected = kpi_tables(engine)
    for spec in (EMPLOYMENT, INCOME):
        fs.refresh(tmp_path, spec, sqlite_path=kpi_db, rebuild=True)
    with open_engine("duckdb", sqlite_path=kpi_db, fact_store=tmp_path,
                     fact_tables=[schema.EMPLOYMENT, schema.HOUSEHOLD_INCOME]) as engine:
        columns = [(f.name, f.type) for f in engine.to_pyarrow(engine.table(schema.EMPLOYMENT)).schema]
        got = kpi_tables(engine)
        assert "read_parquet" in str(engine.con.con.execute(
            "SELECT sql FROM duckdb_views() WHERE view_name = 'facts_monitoring_employmentmonth'").fetchone())
    with open_engine("duckdb", sqlite_path=kpi_db) as engine:
        assert [(f.name, f.type) for f in engine.to_pyarrow(engine.table(schema.EMPLOYMENT)).schema] == columns
    assert len(expected[0]) > 10 and digest(got) == digest(expected)


@pytest.fixture(scope="module")
def policy_db(tmp_path_factory):
    db = FactsDB(sqlite_path=tmp_path_factory.mktemp("facts") / "policy.sqlite3")
    load(db, random_facts())
    return db.sqlite_path


def test_a_policys_entitlements_are_the_same_read_from_the_fact_store(policy_db, tmp_path):
    with open_engine("duckdb", sqlite_path=policy_db) as engine:
        expected = results(engine)
    for spec in (EMPLOYMENT, CONTRIBUTION):
        fs.refresh(tmp_path, spec, sqlite_path=policy_db, rebuild=True)
    with open_engine("duckdb", sqlite_path=policy_db, fact_store=tmp_path,
                     fact_tables=[schema.EMPLOYMENT, ft.CONTRIBUTION]) as engine:
        got = results(engine)
    assert all(expected.values()) and digest(got) == digest(expected)


@pytest.fixture
def scratch_db(tmp_path):
    """Facts of the policy tests that a test may change."""
    db = FactsDB(sqlite_path=tmp_path / "scratch.sqlite3")
    load(db, random_facts(n=80))
    return db.sqlite_path


def test_a_dirty_month_is_rewritten_by_the_next_refresh_and_only_it(scratch_db, tmp_path):
    policy_db = scratch_db
    tmp_path = tmp_path / "store"
    fs.refresh(tmp_path, EMPLOYMENT, sqlite_path=policy_db, rebuild=True)
    before = fs.read_manifest(tmp_path, schema.EMPLOYMENT)["partitions"]
    fs.mark_dirty(tmp_path, schema.EMPLOYMENT, ["2024-03"])
    assert not fs.is_fresh(tmp_path, schema.EMPLOYMENT, max_id=max_id(policy_db, schema.EMPLOYMENT))
    with sqlite3.connect(policy_db) as conn:  # the write the marker announced, committed
        conn.execute("DELETE FROM monitoring_employmentmonth WHERE month = '2024-03' AND id IN "
                     "(SELECT min(id) FROM monitoring_employmentmonth WHERE month = '2024-03')")
    assert fs.verify(tmp_path, EMPLOYMENT, sqlite_path=policy_db)["stale"] == ["2024-03"]
    report = fs.refresh(tmp_path, EMPLOYMENT, sqlite_path=policy_db)
    assert report["written"] == ["2024-03"]
    after = fs.read_manifest(tmp_path, schema.EMPLOYMENT)["partitions"]
    assert after["2024-03"]["rows"] == before["2024-03"]["rows"] - 1
    assert {k: v for k, v in after.items() if k != "2024-03"} == {k: v for k, v in before.items() if k != "2024-03"}
    assert fs.dirty_markers(tmp_path, schema.EMPLOYMENT) == {}
    assert fs.is_fresh(tmp_path, schema.EMPLOYMENT, max_id=max_id(policy_db, schema.EMPLOYMENT))


def test_verify_finds_a_write_made_without_a_marker_and_refresh_repairs_it(scratch_db, tmp_path):
    policy_db = scratch_db
    tmp_path = tmp_path / "store"
    fs.refresh(tmp_path, CONTRIBUTION, sqlite_path=policy_db, rebuild=True)
    with sqlite3.connect(policy_db) as conn:
        conn.execute("UPDATE insurance_socialinsurancecontribution SET month = '2019-01' WHERE id = "
                     "(SELECT min(id) FROM insurance_socialinsurancecontribution)")
    state = fs.verify(tmp_path, CONTRIBUTION, sqlite_path=policy_db)
    assert state["missing"] == ["2019-01"] and len(state["stale"]) == 1
    fs.refresh(tmp_path, CONTRIBUTION, sqlite_path=policy_db, verify=True)
    state = fs.verify(tmp_path, CONTRIBUTION, sqlite_path=policy_db)
    assert (state["missing"], state["stale"], state["extra"]) == ([], [], [])


def test_a_month_whose_rows_are_all_gone_loses_its_directory(scratch_db, tmp_path):
    policy_db = scratch_db
    tmp_path = tmp_path / "store"
    fs.refresh(tmp_path, EMPLOYMENT, sqlite_path=policy_db, rebuild=True)
    with sqlite3.connect(policy_db) as conn:
        month = conn.execute("SELECT min(month) FROM monitoring_employmentmonth").fetchone()[0]
        conn.execute("DELETE FROM monitoring_employmentmonth WHERE month = ?", [month])
    report = fs.refresh(tmp_path, EMPLOYMENT, sqlite_path=policy_db, values=[month])
    assert report["removed"] == [month]
    assert not (tmp_path / schema.EMPLOYMENT / f"month={month}").exists()
    assert month not in fs.read_manifest(tmp_path, schema.EMPLOYMENT)["partitions"]


@pytest.mark.spark
def test_spark_reads_the_same_files_and_gives_the_same_entitlements(policy_db, tmp_path, spark):
    with open_engine("duckdb", sqlite_path=policy_db) as engine:
        expected = results(engine)
    for spec in (EMPLOYMENT, CONTRIBUTION, fs.FactSpec(schema.PERSON, None)):  # the persons as a snapshot too
        fs.refresh(tmp_path, spec, sqlite_path=policy_db, rebuild=True)
    with open_engine("spark", sqlite_path=policy_db, spark=spark, tables=ft.POLICY_INPUT_TABLES,
                     fact_store=tmp_path, fact_tables=[schema.EMPLOYMENT, ft.CONTRIBUTION, schema.PERSON]) as engine:
        assert digest(results(engine)) == digest(expected)


def test_a_few_months_read_through_sqlites_index_give_the_same_rows_and_types_as_the_scanner(tmp_path, monkeypatch):
    db = tmp_path / "typed.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute('CREATE TABLE "x_fact" (id integer PRIMARY KEY, month varchar(7) NOT NULL, flag bool NOT NULL, '
                     "day date NULL, at datetime NOT NULL, amount bigint NULL, note varchar(10) NOT NULL)")
        conn.execute('CREATE INDEX x_fact_month ON "x_fact" (month)')
        conn.executemany('INSERT INTO "x_fact" VALUES (?, ?, ?, ?, ?, ?, ?)', [
            (i, f"2024-{i % 4 + 1:02d}", i % 2, None if i % 3 else f"2024-01-{i % 28 + 1:02d}",
             f"2024-02-03 04:05:{i % 60:02d}.123456", None if i % 5 == 0 else i * 100, f"n{i}")
            for i in range(1, 200)])
    spec = fs.FactSpec("x_fact")
    store = tmp_path / "store"
    fs.refresh(store, spec, sqlite_path=db, rebuild=True)  # the scanner
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE x_fact SET amount = -1, flag = 1 WHERE month = '2024-02'")
    used, indexed = [], fs._indexed_sqlite_rows
    monkeypatch.setattr(fs, "_indexed_sqlite_rows", lambda *a, **k: used.append(a[-1]) or indexed(*a, **k))
    report = fs.refresh(store, spec, sqlite_path=db, values=["2024-02", "2024-03"])  # SQLite's index
    assert report["written"] == ["2024-02", "2024-03"] and used == [["2024-02", "2024-03"]]
    with open_engine("duckdb", sqlite_path=db) as engine:
        expected = engine.to_pyarrow(engine.table("x_fact").order_by("id"))
    with open_engine("duckdb", sqlite_path=db, fact_store=store, fact_tables=["x_fact"]) as engine:
        got = engine.to_pyarrow(engine.table("x_fact").order_by("id"))
    assert [(f.name, f.type) for f in got.schema] == [(f.name, f.type) for f in expected.schema]
    assert got.to_pylist() == expected.to_pylist()


PERSONS = fs.FactSpec(schema.PERSON, None)


def persons_read(db, store=None):
    """(the persons as the engine reads them, sorted by id; their Arrow schema)."""
    facts = {"fact_store": store, "fact_tables": [schema.PERSON]} if store is not None else {}
    with open_engine("duckdb", sqlite_path=db, **facts) as engine:
        t = engine.table(schema.PERSON)
        table = engine.to_pyarrow(t.order_by("id"))
        if store is not None:  # the snapshot's file, not the database
            assert "read_parquet" in str(engine.con.con.execute(
                "SELECT sql FROM duckdb_views() WHERE view_name = 'facts_registry_person'").fetchone())
    return table.to_pylist(), [(f.name, str(f.type)) for f in table.schema]


def test_a_snapshot_reads_the_same_persons_as_the_database_until_a_write_of_any_kind(scratch_db, tmp_path):
    store = tmp_path / "store"
    report = fs.refresh(store, PERSONS, sqlite_path=scratch_db)
    assert report["written"] == ["*"] and (store / schema.PERSON / fs.DATA_FILE).exists()
    assert snapshots.snapshot_fresh(store, schema.PERSON, sqlite_path=scratch_db)
    assert persons_read(scratch_db, store) == persons_read(scratch_db)  # in_school BOOLEAN both ways
    assert ("in_school", "bool") in persons_read(scratch_db, store)[1]
    assert fs.refresh(store, PERSONS, sqlite_path=scratch_db)["written"] == []  # fresh: not copied again
    for write in ("UPDATE registry_person SET category = 'monitored' WHERE id = (SELECT min(id) FROM registry_person)",
                  "DELETE FROM registry_person WHERE id = (SELECT max(id) FROM registry_person)",
                  "INSERT INTO registry_person (id, birth_date) VALUES (-5, '1990-01-01')"):  # an id below the max
        with sqlite3.connect(scratch_db) as conn:
            conn.execute(write)
        conn.close()
        assert not snapshots.snapshot_fresh(store, schema.PERSON, sqlite_path=scratch_db), write
        assert fs.verify(store, PERSONS, sqlite_path=scratch_db)["stale"] == ["*"]
        assert fs.refresh(store, PERSONS, sqlite_path=scratch_db)["written"] == ["*"]
        assert snapshots.snapshot_fresh(store, schema.PERSON, sqlite_path=scratch_db)
        assert persons_read(scratch_db, store) == persons_read(scratch_db)


def test_a_snapshot_whose_triggers_or_columns_changed_is_stale(scratch_db, tmp_path):
    store = tmp_path / "store"
    fs.refresh(store, PERSONS, sqlite_path=scratch_db)
    with sqlite3.connect(scratch_db) as conn:  # as Django's SQLite schema editor's table rebuild drops them
        conn.execute(f'DROP TRIGGER "{snapshots._trigger_name(schema.PERSON, "UPDATE")}"')
        conn.execute("UPDATE registry_person SET category = 'monitored'")  # not counted
    conn.close()
    assert not snapshots.snapshot_fresh(store, schema.PERSON, sqlite_path=scratch_db)
    version = fs.read_manifest(store, schema.PERSON)["version"]
    fs.refresh(store, PERSONS, sqlite_path=scratch_db)  # the trigger back, the counter raised
    assert fs.read_manifest(store, schema.PERSON)["version"] > version
    assert snapshots.snapshot_fresh(store, schema.PERSON, sqlite_path=scratch_db)
    assert {r["category"] for r in persons_read(scratch_db, store)[0]} == {"monitored"}
    with sqlite3.connect(scratch_db) as conn:
        conn.execute("ALTER TABLE registry_person ADD COLUMN note varchar(20)")
    conn.close()
    assert not snapshots.snapshot_fresh(store, schema.PERSON, sqlite_path=scratch_db)


def test_a_write_committed_between_the_version_read_and_the_copy_leaves_the_snapshot_stale(
        scratch_db, tmp_path, monkeypatch):
    store = tmp_path / "store"
    attach = snapshots._attach

    def write_then_attach(raw, **source):  # a service's write commits just before the copy reads
        with sqlite3.connect(scratch_db) as conn:
            conn.execute("UPDATE registry_person SET health = 'chronic' WHERE id = (SELECT min(id) FROM registry_person)")
        conn.close()
        return attach(raw, **source)

    monkeypatch.setattr(snapshots, "_attach", write_then_attach)
    fs.refresh(store, PERSONS, sqlite_path=scratch_db)
    monkeypatch.setattr(snapshots, "_attach", attach)
    assert not snapshots.snapshot_fresh(store, schema.PERSON, sqlite_path=scratch_db)


def test_a_snapshot_on_postgresql_is_never_written_nor_fresh(tmp_path):
    report = fs.refresh(tmp_path, PERSONS, pg_url="postgresql://nobody@127.0.0.1:1/none")
    assert report["written"] == [] and report["skipped"] == "postgresql"
    assert not snapshots.snapshot_fresh(tmp_path, schema.PERSON)
