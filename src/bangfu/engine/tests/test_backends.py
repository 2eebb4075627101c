"""One Ibis expression gives the same answer on every engine (no Django here)."""

from __future__ import annotations

import sqlite3

import pytest

from bangfu.engine.backends import (
    EngineError,
    export_parquet,
    extension_path,
    libpq_dsn,
    open_engine,
    pg_params,
)

# person: id, district, category, age, labour ability, in work (BooleanField-like), income in fen
PEOPLE = [
    (1, "500230", "alleviated", 34, "ordinary", True, 420000),
    (2, "500230", "alleviated", 15, "none", False, 0),
    (3, "500230", "monitored", 52, "weak", True, 180000),
    (4, "500230", "alleviated", 66, "ordinary", False, 0),
    (5, "500101", "alleviated", 28, "skilled", True, 560000),
    (6, "500101", "monitored", 41, "lost", False, 0),
    (7, "500101", "monitored", 19, "ordinary", True, 300000),
    (8, "500101", "alleviated", 65, "weak", True, 120000),
    (9, "500236", "alleviated", 45, "ordinary", False, 0),
]
# Workers (16..65, able to work) by district: in work, income of those in work.
EXPECTED = [
    ("500101", 3, 3, 980000),
    ("500230", 2, 2, 600000),
    ("500236", 1, 0, 0),
]

DDL = (
    'CREATE TABLE person ("id" integer NOT NULL PRIMARY KEY, "district" varchar(6) NOT NULL, '
    '"category" varchar(20) NOT NULL, "age" integer NOT NULL, "ability" varchar(10) NOT NULL, '
    '"employed" {bool} NOT NULL, "income_fen" bigint NOT NULL)'
)


def workers_by_district(engine):
    """Workers aged 16..65 with labour ability, per district: count, in work, their income."""
    p = engine.table("person")
    workers = p.filter(p.age.between(16, 65), p.ability.isin(["ordinary", "skilled", "weak"]))
    expr = (
        workers.group_by("district")
        .aggregate(
            workers=workers.count(),
            employed=workers.employed.sum(),
            income_fen=workers.employed.ifelse(workers.income_fen, 0).sum(),
        )
        .order_by("district")
    )
    return [
        (str(r["district"]), int(r["workers"]), int(r["employed"]), int(r["income_fen"]))
        for r in engine.to_pyarrow(expr).to_pylist()
    ]


@pytest.fixture
def sqlite_db(tmp_path):
    """A SQLite file like Django's (WAL mode, booleans declared `bool`); the writer stays open."""
    path = tmp_path / "bangfu.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(DDL.format(bool="bool"))
    conn.executemany("INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?)", PEOPLE)
    conn.commit()
    yield path
    conn.close()


@pytest.fixture
def pg_db(fresh_pg_url):
    import psycopg

    with psycopg.connect(fresh_pg_url, autocommit=True) as conn:
        conn.execute(DDL.format(bool="boolean"))
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO person VALUES (%s, %s, %s, %s, %s, %s, %s)", PEOPLE)
    return fresh_pg_url


ENGINES = [
    pytest.param("duckdb", "sqlite", id="duckdb-over-sqlite"),
    pytest.param("sqlite", "sqlite", id="sqlite"),
    pytest.param("duckdb", "postgres", id="duckdb-over-postgres", marks=pytest.mark.postgres),
    pytest.param("postgres", "postgres", id="postgres", marks=pytest.mark.postgres),
    pytest.param("spark", "sqlite", id="spark-over-sqlite-export", marks=pytest.mark.spark),
    pytest.param("duckdb", "parquet", id="duckdb-over-sqlite-export"),
]


@pytest.mark.parametrize(("kind", "source"), ENGINES)
def test_every_engine_counts_the_workers_by_district_the_same(kind, source, request, tmp_path):
    if source in ("sqlite", "parquet"):
        where = {"sqlite_path": request.getfixturevalue("sqlite_db")}
    else:
        where = {"pg_url": request.getfixturevalue("pg_db")}
    extra = {}
    if source == "parquet":  # what bangfu.core.engine does outside the main thread
        export_parquet(["person"], tmp_path / "parquet", **where)
        where, extra = {}, {"parquet_dir": tmp_path / "parquet", "tables": ["person"]}
    if kind == "spark":
        extra = {"spark": request.getfixturevalue("spark"), "parquet_dir": tmp_path / "parquet"}
        export_parquet(["person"], extra["parquet_dir"], **where)

    with open_engine(kind, **where, **extra) as engine:
        assert engine.kind == kind
        assert "person" in engine.list_tables()
        assert workers_by_district(engine) == EXPECTED


@pytest.mark.spark
@pytest.mark.postgres
def test_spark_reads_a_postgres_export_like_the_database_itself(pg_db, spark):
    with open_engine("spark", pg_url=pg_db, spark=spark, tables=["person"]) as engine:
        assert workers_by_district(engine) == EXPECTED


def test_duckdb_sees_rows_committed_to_the_sqlite_wal_before_any_checkpoint(sqlite_db):
    writer = sqlite3.connect(sqlite_db)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("INSERT INTO person VALUES (10, '500236', 'monitored', 30, 'skilled', 1, 250000)")
    writer.commit()
    assert (sqlite_db.parent / (sqlite_db.name + "-wal")).stat().st_size > 0

    with open_engine("duckdb", sqlite_path=sqlite_db) as engine:
        rows = workers_by_district(engine)
    writer.close()
    assert rows[-1] == ("500236", 2, 1, 250000)


def test_duckdb_over_sqlite_gives_django_booleans_as_booleans(sqlite_db):
    with open_engine("duckdb", sqlite_path=sqlite_db) as engine:
        assert engine.table("person").schema()["employed"].is_boolean()


def test_parquet_export_writes_one_file_per_table_with_every_row(sqlite_db, tmp_path):
    written = export_parquet(None, tmp_path / "out", sqlite_path=sqlite_db)
    assert set(written) == {"person"}
    import pyarrow.parquet as pq

    table = pq.read_table(written["person"])
    assert table.num_rows == len(PEOPLE)
    assert str(table.schema.field("employed").type) == "bool"


def test_the_attached_database_cannot_be_written_through_duckdb(sqlite_db):
    import duckdb

    with open_engine("duckdb", sqlite_path=sqlite_db) as engine:
        with pytest.raises(duckdb.Error):
            engine.con.con.execute("DELETE FROM src.main.person")


def test_shipped_extensions_match_the_installed_duckdb():
    import duckdb

    for name in ("sqlite_scanner", "postgres_scanner"):
        path = extension_path(name)
        assert path.is_file()
        assert f"v{duckdb.__version__}" in str(path)



def test_an_extension_file_is_verified_once_per_process_and_again_when_it_changes(sqlite_db, monkeypatch):
    from bangfu.engine import extensions

    def unsigned(engine):
        return engine.con.con.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0]

    monkeypatch.setattr(extensions, "_VERIFIED", {})
    with open_engine("duckdb", sqlite_path=sqlite_db) as first:
        assert unsigned(first) is False  # DuckDB checks the signature
    assert list(extensions._VERIFIED) == [extension_path("sqlite_scanner")]
    with open_engine("duckdb", sqlite_path=sqlite_db) as second:
        assert unsigned(second) is True
        assert second.table("person").count().execute() == len(PEOPLE)
    real = extensions._identity
    monkeypatch.setattr(extensions, "_identity", lambda path: (*real(path)[:2], 0))  # the file was replaced
    with open_engine("duckdb", sqlite_path=sqlite_db) as third:
        assert unsigned(third) is False


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "oracle", "sqlite_path": "x"}, "unknown engine"),
        ({"kind": "duckdb"}, "give sqlite_path or pg_url"),
        ({"kind": "sqlite", "sqlite_path": "/nonexistent/bangfu.sqlite3"}, "not found"),
        ({"kind": "postgres"}, "needs pg_url"),
        ({"kind": "spark", "sqlite_path": "x"}, "SparkSession"),
    ],
)
def test_open_engine_refuses_what_it_cannot_open(kwargs, message):
    kind = kwargs.pop("kind")
    with pytest.raises(EngineError, match=message):
        open_engine(kind, **kwargs)


def test_a_postgres_url_becomes_connection_parameters():
    url = "postgresql://bf:p%40ss@db.example:6543/bangfu"
    assert pg_params(url) == {
        "host": "db.example",
        "port": 6543,
        "user": "bf",
        "password": "p@ss",
        "database": "bangfu",
    }
    assert libpq_dsn(url) == "host=db.example port=6543 dbname=bangfu user=bf password='p@ss'"
