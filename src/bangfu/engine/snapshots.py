"""Snapshots of whole slowly-changing tables in the fact store (``FactSpec(table, partition=None)``,
see ``bangfu.engine.facts``): the change counter the database's own triggers raise on every write,
whether a snapshot may be read, and its copy. SQLite only (Django-free).

A snapshot table (``FactSpec(table, partition=None)``: a slowly-changing table such as the
persons, which every policy run reads whole) is one file, the whole table:

    <store>/<table>/data.parquet                          every row, the database's columns
    <store>/<table>/manifest.json                         columns, rows and the table's version

Its version is a counter in the database itself (``VERSION_TABLE``) that triggers on the table
raise in the writing transaction on every insert, update and delete, whoever writes (a service,
raw SQL, a migration's copy). ``refresh`` installs the triggers (raising the counter when it adds
one), reads the counter, then copies the table: a write committed after that read leaves the
counter ahead of the manifest. ``snapshot_fresh`` reads the snapshot only while the counter
equals the manifest's, every trigger is in place and the columns are the same (a table that
Django's SQLite schema editor rebuilt has lost its triggers: stale until the next refresh).
SQLite only for now: on PostgreSQL a snapshot table is never fresh (the database is read)."""

from __future__ import annotations

import os
import sqlite3
import time
import uuid
from pathlib import Path

import duckdb

from bangfu.engine.backends import _attach, _ident, _sql_str, typed_select
from bangfu.engine.facts import (
    DATA_FILE, FORMAT_VERSION, MANIFEST, FactSpec, _source_columns, _write_json, read_manifest, store_lock, table_dir,
)

VERSION_TABLE = "bangfu_table_version"  # snapshot tables' change counters, raised by triggers
TRIGGER_EVENTS = ("INSERT", "UPDATE", "DELETE")


def _trigger_name(table: str, event: str) -> str:
    return f"bangfu_version_{_ident(table)}_{event.lower()}"


def _trigger_sql(table: str, event: str) -> str:
    return (f'CREATE TRIGGER IF NOT EXISTS "{_trigger_name(table, event)}" AFTER {event} ON "{_ident(table)}" '
            f"BEGIN UPDATE {VERSION_TABLE} SET version = version + 1 WHERE name = '{_ident(table)}'; END")


def install_versioning(conn: sqlite3.Connection, table: str) -> bool:
    """Create the counter table, the table's counter row and its triggers where missing (one write
    transaction); raise the counter when a trigger was added (writes made while it was missing were
    not counted). True when something was added."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} "
                     "(name TEXT NOT NULL PRIMARY KEY, version INTEGER NOT NULL)")
        conn.execute(f"INSERT OR IGNORE INTO {VERSION_TABLE} (name, version) VALUES (?, 0)", [table])
        missing = [e for e in TRIGGER_EVENTS if _trigger_name(table, e) not in _triggers(conn, table)]
        for event in missing:
            conn.execute(_trigger_sql(table, event))
        if missing:
            conn.execute(f"UPDATE {VERSION_TABLE} SET version = version + 1 WHERE name = ?", [table])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return bool(missing)


def _triggers(cursor, table: str) -> set[str]:
    return {r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                                         [table]).fetchall()}


def database_version(cursor, table: str) -> int | None:
    """The table's change counter, read with a DB-API cursor on the SQLite database (Django's or
    sqlite3's); None when it is not counted: no counter, or a trigger missing."""
    if not cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                          [VERSION_TABLE]).fetchall():
        return None
    if not {_trigger_name(table, e) for e in TRIGGER_EVENTS} <= _triggers(cursor, table):
        return None
    row = cursor.execute(f"SELECT version FROM {VERSION_TABLE} WHERE name = ?", [table]).fetchone()
    return None if row is None else int(row[0])


def _database_columns(cursor, table: str) -> list[str]:
    return [r[1] for r in cursor.execute(f'PRAGMA table_info("{_ident(table)}")').fetchall()]


def snapshot_fresh(store: str | Path, table: str, *, sqlite_path: str | Path | None = None, cursor=None) -> bool:
    """The snapshot of ``table`` may be read: built, its version the database's counter (triggers in
    place) and its columns the table's. ``cursor``: a DB-API cursor on the database (else a
    read-only connection to ``sqlite_path`` is opened)."""
    manifest = read_manifest(store, table)
    if manifest is None or manifest.get("partition") is not None or manifest.get("format") != FORMAT_VERSION:
        return False
    if not (table_dir(store, table) / DATA_FILE).exists():
        return False
    if cursor is None:
        if sqlite_path is None:
            return False
        conn = sqlite3.connect(Path(sqlite_path).resolve().as_uri() + "?mode=ro", uri=True)
        try:
            return snapshot_fresh(store, table, cursor=conn.cursor())
        finally:
            conn.close()
    version = database_version(cursor, table)
    return (version is not None and version == manifest.get("version")
            and _database_columns(cursor, table) == manifest.get("columns"))


def refresh_snapshot(store: str | Path, spec: FactSpec, *, sqlite_path: str | Path) -> dict:
    """Copy the whole table into ``<store>/<table>/data.parquet`` with the version read before the
    copy (see the module docstring), the file renamed into place before the manifest; all of it
    under the table's lock (two refreshes must not pair one's file with the other's version)."""
    started = time.perf_counter()
    store = Path(store)
    with store_lock(store, spec.table):
        conn = sqlite3.connect(str(Path(sqlite_path).resolve()), timeout=60, isolation_level=None)
        try:
            install_versioning(conn, spec.table)
            version = database_version(conn.cursor(), spec.table)  # before the copy: a later write leaves it stale
        finally:
            conn.close()
        raw = duckdb.connect()
        try:
            catalog, schema = _attach(raw, sqlite_path=sqlite_path, pg_url=None)
            columns = [c for c, _kind in _source_columns(raw, catalog, schema, spec.table)]
            folder = table_dir(store, spec.table)
            tmp = folder / f".{DATA_FILE}.{uuid.uuid4().hex}"
            try:
                raw.execute(f'COPY (SELECT {typed_select(sqlite_path, spec.table)} FROM {catalog}.{schema}."{_ident(spec.table)}") '
                            f"TO '{_sql_str(str(tmp))}' (FORMAT parquet, COMPRESSION zstd)")
                rows = raw.execute(f"SELECT count(*) FROM read_parquet('{_sql_str(str(tmp))}')").fetchone()[0]
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, folder / DATA_FILE)  # readers see the old file or the new
            finally:
                tmp.unlink(missing_ok=True)
        finally:
            raw.close()
        _write_json(folder / MANIFEST, {"format": FORMAT_VERSION, "table": spec.table, "partition": None,
                                        "columns": columns, "version": version, "rows": int(rows),
                                        "written_at": time.time()})
    return {"table": spec.table, "written": ["*"], "removed": [], "version": version,
            "seconds": round(time.perf_counter() - started, 3)}
