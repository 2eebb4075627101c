"""Open the batch engine on bangfu's database: one Ibis expression, several engines.

Django-free: give it the path of the SQLite file or the PostgreSQL URL (``bangfu.core.engine``
does that from Django's settings).

Kinds (DESIGN.md §1):

- ``duckdb`` (default): an in-memory DuckDB that ATTACHes the OLTP database READ_ONLY, through
  the ``sqlite_scanner`` or ``postgres_scanner`` extension, and runs the expression column-wise.
  DuckDB cannot download extensions here: the PyPI packages ``duckdb-extension-sqlite-scanner``
  and ``duckdb-extension-postgres-scanner`` ship the DuckDB-signed binaries in
  ``<package>/extensions/v<duckdb version>/<name>.duckdb_extension``; we LOAD that file.
  Committed rows still in SQLite's WAL file are visible (the scanner reads through SQLite).
  Django's BooleanField is declared ``bool`` in SQLite and stored as 0/1: the scanner reads it as
  an integer, so ``Engine.table`` (and ``export_parquet``) cast such columns back to boolean and
  every engine sees the same schema.
- ``sqlite`` / ``postgres``: the same expression in-database (parity checks, small data).
- ``spark``: PySpark over Parquet files (``export_parquet``), registered as temporary views.

    with open_engine("duckdb", sqlite_path="var/bangfu.sqlite3") as eng:
        t = eng.table("registry_person")
        eng.execute(t.group_by("district_code").aggregate(n=t.count()))
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import ibis

from bangfu import codes
from bangfu.engine.errors import EngineError
# The shipped DuckDB extensions; their names stay importable from here.
from bangfu.engine.extensions import (  # noqa: F401
    _EXTENSION_PACKAGES, extension_path, load_extension, verified_config,
)
from bangfu.engine.pgurl import libpq_dsn, pg_params, pg_schema  # noqa: F401 - importable from here

KINDS = codes.ENGINE.values
DEFAULT_KIND = codes.DEFAULT_ENGINE
ATTACH_ALIAS = "src"

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")



def _sql_str(value: str) -> str:
    return value.replace("'", "''")


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise EngineError(f"not a plain table name: {name!r}")
    return name


def sqlite_bool_columns(path: str | Path, table: str) -> list[str]:
    """Columns of ``table`` declared ``bool``/``boolean`` in the SQLite file (Django's BooleanField)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        rows = conn.execute(f'PRAGMA table_info("{_ident(table)}")').fetchall()
    conn.close()
    return [r[1] for r in rows if (r[2] or "").strip().lower() in ("bool", "boolean")]


def typed_select(sqlite_path: str | Path | None, table: str) -> str:
    """The select list that reads ``table`` with SQLite's integer booleans cast back to BOOLEAN."""
    bools = sqlite_bool_columns(sqlite_path, table) if sqlite_path is not None else []
    if not bools:
        return "*"
    return "* REPLACE (" + ", ".join(f'CAST("{c}" AS BOOLEAN) AS "{c}"' for c in bools) + ")"


def _duckdb_raw(con: Any) -> duckdb.DuckDBPyConnection:
    return con.con


def _attach(raw: duckdb.DuckDBPyConnection, *, sqlite_path: str | Path | None, pg_url: str | None) -> tuple[str, str]:
    """ATTACH the source READ_ONLY as ``src``; return (catalog, schema) where its tables live."""
    if sqlite_path is not None:
        path = Path(sqlite_path)
        if not path.exists():
            raise EngineError(f"SQLite database not found: {path}")
        load_extension(raw, "sqlite_scanner")
        raw.execute(f"ATTACH '{_sql_str(str(path.resolve()))}' AS {ATTACH_ALIAS} (TYPE sqlite, READ_ONLY)")
        return ATTACH_ALIAS, "main"
    if pg_url is not None:
        load_extension(raw, "postgres_scanner")
        raw.execute(f"ATTACH '{_sql_str(libpq_dsn(pg_url))}' AS {ATTACH_ALIAS} (TYPE postgres, READ_ONLY)")
        return ATTACH_ALIAS, pg_schema(pg_url)
    raise EngineError("give sqlite_path or pg_url")


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------
class Engine:
    """An Ibis connection plus where bangfu's tables live in it.

    ``table(name)`` gives the Ibis table; ``execute(expr)`` returns pandas, ``to_pyarrow(expr)``
    Arrow. Use as a context manager (or call ``close()``) to release the connection.
    """

    def __init__(
        self,
        kind: str,
        con: Any,
        *,
        database: Any = None,
        cleanup: list | None = None,
        sqlite_path: str | Path | None = None,
        facts: tuple[Path, frozenset[str]] | None = None,
    ):
        self.kind = kind
        self.con = con
        self.database = database
        self._cleanup = cleanup or []
        self._sqlite_path = sqlite_path  # set when DuckDB reads a SQLite file (boolean casts)
        self.fact_store, self.fact_tables = facts or (None, frozenset())  # read from bangfu.engine.facts
        self._tables: dict[str, Any] = {}  # name -> its Ibis table: one schema lookup per table and session
        # Results a batch run computed already that its later queries may reuse instead of
        # recomputing them (the KPI fill's employment cells, read by the figures): {key: value}.
        self.memo: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<Engine {self.kind}>"

    def table(self, name: str):
        if name not in self._tables:
            self._tables[name] = self._table(name)
        return self._tables[name]

    def _table(self, name: str):
        if name in self.fact_tables and self.kind == "duckdb":
            return importlib.import_module("bangfu.engine.facts").duckdb_table(self.con, self.fact_store, name)
        if self.database is None:
            return self.con.table(name)
        table = self.con.table(name, database=self.database)
        if self._sqlite_path is not None:
            bools = [c for c in sqlite_bool_columns(self._sqlite_path, name) if c in table.columns]
            if bools:
                table = table.cast({c: "boolean" for c in bools})
        return table

    def keep_in_memory(self, names: Iterable[str], *, drop: Iterable[str] = (),
                       only: Mapping[str, Iterable[str]] | None = None) -> list[str]:
        """DuckDB: copy each database table of ``names`` (less the ``drop`` columns; with ``only``,
        just the columns it names for that table) into a temporary table once, which ``table(name)``
        returns from then on: for a batch run whose many queries read the same table (the KPI
        fill's figures read the persons in dozens). Fewer columns copy faster: DuckDB converts
        every value it reads from SQLite (a text date, a free-text column) once per row.
        Fact-store tables (already columnar files) and other kinds are left. Returns the copied."""
        if self.kind != "duckdb":
            return []
        dropped, copied = set(drop), []
        for name in names:
            if name in self.fact_tables:
                continue
            t = self.table(name)
            kept = set(only[name]) if only is not None and name in only else set(t.columns)
            temp = f"mem_{re.sub(r'[^0-9A-Za-z_]', '_', name)}_{id(self):x}"
            self._tables[name] = self.con.create_table(
                temp, obj=t.select(*[c for c in t.columns if c in kept and c not in dropped]), temp=True)
            copied.append(name)
        return copied

    def list_tables(self) -> list[str]:
        if self.database is None:
            return sorted(self.con.list_tables())
        return sorted(self.con.list_tables(database=self.database))

    def execute(self, expr, **kwargs):
        return self.con.execute(expr, **kwargs)

    def to_pyarrow(self, expr, **kwargs):
        return self.con.to_pyarrow(expr, **kwargs)

    def sql(self, query: str):
        """A raw SQL query as an Ibis table (in the engine's own dialect)."""
        return self.con.sql(query)

    def close(self) -> None:
        for fn in reversed(self._cleanup):
            try:
                fn()
            except Exception:  # noqa: BLE001 - closing must not mask the caller's error
                pass
        self._cleanup = []
        if self.kind != "spark":  # the SparkSession belongs to the caller
            try:
                self.con.disconnect()
            except Exception:  # noqa: BLE001
                pass

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_engine(
    kind: str = DEFAULT_KIND,
    *,
    sqlite_path: str | Path | None = None,
    pg_url: str | None = None,
    parquet_dir: str | Path | None = None,
    spark: Any = None,
    tables: Iterable[str] | None = None,
    threads: int | None = None,
    fact_store: str | Path | None = None,
    fact_tables: Iterable[str] = (),
) -> Engine:
    """Open the batch engine ``kind`` on a SQLite file, a PostgreSQL URL or (spark) Parquet files.

    ``duckdb`` reads ``parquet_dir`` (files written by ``export_parquet``) when given no database.
    ``spark`` needs a SparkSession and either ``parquet_dir`` (``export_parquet``'s files) or a
    database (``sqlite_path``/``pg_url``; ``tables`` limits the export) then exported to a temporary
    directory removed on ``close()``. ``fact_tables`` (duckdb, spark): read from ``fact_store``.
    """
    fact_tables = frozenset(fact_tables) if fact_store is not None and kind in ("duckdb", "spark") else frozenset()
    facts = (Path(fact_store), fact_tables) if fact_tables else None
    if kind not in KINDS:
        raise EngineError(f"unknown engine {kind!r}; choose one of {', '.join(KINDS)}")
    if sqlite_path is not None and pg_url is not None:
        raise EngineError("give sqlite_path or pg_url, not both")

    if kind == "duckdb":
        config = verified_config("sqlite_scanner" if sqlite_path is not None else "postgres_scanner") \
            if sqlite_path is not None or pg_url is not None else {}
        con = ibis.duckdb.connect(**({"threads": threads} if threads else {}), **config)
        try:
            if parquet_dir is not None and sqlite_path is None and pg_url is None:
                register_parquet_duckdb(_duckdb_raw(con), parquet_dir, tables=tables)
                return Engine("duckdb", con, facts=facts)
            database = _attach(_duckdb_raw(con), sqlite_path=sqlite_path, pg_url=pg_url)
        except Exception:
            con.disconnect()
            raise
        return Engine("duckdb", con, database=database, sqlite_path=sqlite_path, facts=facts)

    if kind == "sqlite":
        if sqlite_path is None:
            raise EngineError("the sqlite engine needs sqlite_path")
        if not Path(sqlite_path).exists():
            raise EngineError(f"SQLite database not found: {sqlite_path}")
        return Engine("sqlite", ibis.sqlite.connect(str(sqlite_path)))

    if kind == "postgres":
        if pg_url is None:
            raise EngineError("the postgres engine needs pg_url")
        schema = pg_schema(pg_url)
        con = ibis.postgres.connect(**pg_params(pg_url))
        return Engine("postgres", con, database=None if schema == "public" else schema)

    # spark
    if spark is None:
        raise EngineError("the spark engine needs a SparkSession (spark=...)")
    cleanup: list = []
    tables = [t for t in tables if t not in fact_tables] if tables is not None else None
    if parquet_dir is None:
        if sqlite_path is None and pg_url is None:
            raise EngineError("the spark engine needs parquet_dir, or sqlite_path/pg_url to export from")
        tmp = tempfile.TemporaryDirectory(prefix="bangfu-parquet-")
        cleanup.append(tmp.cleanup)
        parquet_dir = tmp.name
        export_parquet(tables, parquet_dir, sqlite_path=sqlite_path, pg_url=pg_url)
    names = register_parquet_views(spark, parquet_dir, tables=tables)
    if fact_tables:  # after the exports' views: the store's files win
        names = sorted(set(names) | set(importlib.import_module("bangfu.engine.facts_spark").register_spark(
            spark, fact_store, fact_tables)))
    cleanup.append(lambda: [spark.catalog.dropTempView(n) for n in names])
    con = ibis.pyspark.connect(spark)
    return Engine("spark", con, cleanup=cleanup)


# --------------------------------------------------------------------------------------------
# Parquet export (for Spark and for `bangfu export parquet`)
# --------------------------------------------------------------------------------------------
def export_parquet(
    tables: Iterable[str] | None,
    out_dir: str | Path,
    *,
    sqlite_path: str | Path | None = None,
    pg_url: str | None = None,
    compression: str = "zstd",
) -> dict[str, Path]:
    """Write each table of the database to ``out_dir/<table>.parquet`` with DuckDB's COPY.

    ``tables=None`` exports every table. Returns {table: path}.
    """
    if (sqlite_path is None) == (pg_url is None):
        raise EngineError("give exactly one of sqlite_path or pg_url")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    raw = duckdb.connect()
    try:
        catalog, schema = _attach(raw, sqlite_path=sqlite_path, pg_url=pg_url)
        available = {
            r[0]
            for r in raw.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = ? AND schema_name = ?",
                [catalog, schema],
            ).fetchall()
        }
        available |= {
            r[0]
            for r in raw.execute(
                "SELECT view_name FROM duckdb_views() WHERE database_name = ? AND schema_name = ?",
                [catalog, schema],
            ).fetchall()
        }
        wanted = sorted(available) if tables is None else list(tables)
        missing = [t for t in wanted if t not in available]
        if missing:
            raise EngineError(f"tables not in the database: {', '.join(missing)}")
        written: dict[str, Path] = {}
        for name in wanted:
            target = out / f"{_ident(name)}.parquet"
            raw.execute(
                f'COPY (SELECT {typed_select(sqlite_path, name)} FROM {catalog}.{schema}."{name}") '
                f"TO '{_sql_str(str(target))}' (FORMAT parquet, COMPRESSION {compression})"
            )
            written[name] = target
        return written
    finally:
        raw.close()


def _parquet_files(parquet_dir: str | Path, tables: Iterable[str] | None) -> dict[str, Path]:
    base = Path(parquet_dir)
    paths = {p.name[: -len(".parquet")]: p for p in base.glob("*.parquet")}
    names = sorted(paths) if tables is None else list(tables)
    missing = [n for n in names if n not in paths]
    if missing:
        raise EngineError(f"no Parquet file for: {', '.join(missing)} in {base}")
    return {name: paths[name] for name in names}


def register_parquet_duckdb(raw: duckdb.DuckDBPyConnection, parquet_dir: str | Path, *,
                            tables: Iterable[str] | None = None) -> list[str]:
    """Views named <table> over ``<dir>/<table>.parquet`` in a DuckDB connection."""
    files = _parquet_files(parquet_dir, tables)
    for name, path in files.items():
        source = path / "**" / "*.parquet" if path.is_dir() else path  # Spark writes directories
        raw.execute(f"CREATE VIEW {_ident(name)} AS SELECT * FROM read_parquet('{_sql_str(str(source))}')")
    return list(files)


def register_parquet_views(spark: Any, parquet_dir: str | Path, *, tables: Iterable[str] | None = None) -> list[str]:
    """Register ``<dir>/<table>.parquet`` (file or directory) as Spark temporary views named <table>."""
    files = _parquet_files(parquet_dir, tables)
    for name, path in files.items():
        spark.read.parquet(str(path)).createOrReplaceTempView(_ident(name))
    return list(files)
