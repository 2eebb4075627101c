"""The columnar fact store: the engine's fact tables as Parquet, one directory per month (Django-free).

    <store>/<table>/<partition>=<value>/data.parquet     hive layout, e.g. month=2024-09
    <store>/<table>/manifest.json                         columns, types and one version per partition
    <store>/<table>/_dirty/<value>.<token>                 partitions a committed write has touched
                                                           and no refresh has rewritten yet

The OLTP database stays the truth; the store is a copy the engine reads instead of scanning
the database when it is fresh (``fresh_tables``). A partition is written to a temporary file and
renamed into place (readers see the old file or the new, never half of one); the manifest is
replaced the same way after it, and the dirty markers of the partitions just written are removed
last. A process killed anywhere in between leaves a marker (or a manifest whose version disagrees
with the database), and the next ``refresh`` rewrites that partition.

The version of a partition is (rows, max id) of its rows in the database at the time of writing:
``verify`` compares it with the database for every partition (the full check of
``bangfu facts status``). ``fresh_tables`` is the quick check an engine run makes: no marker, and
the table's max id equal to the manifest's (which catches rows appended behind the services' back).

DuckDB reads a table with ``read_parquet(..., hive_partitioning = true)``; Spark with
``spark.read.parquet`` over the same directory (``bangfu.engine.facts_spark``).

A snapshot table (``FactSpec(table, partition=None)``: a slowly-changing table such as the
persons, which every policy run reads whole) is one file, ``<store>/<table>/data.parquet``,
versioned by the database's own triggers: ``bangfu.engine.snapshots``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from bangfu.engine.backends import _attach, _ident, _sql_str, sqlite_bool_columns

MANIFEST = "manifest.json"
DIRTY = "_dirty"
TMP = "_tmp"
DATA_FILE = "data.parquet"
FORMAT_VERSION = 1
STAGE_PARTITIONS = 36  # partitions written per scan of the database
INDEXED_PARTITIONS = 3  # up to this many: read through SQLite's index on the partition column


@dataclass(frozen=True)
class FactSpec:
    """One fact table of the store: the database table and the column it is partitioned by."""

    table: str
    partition: str | None = "month"  # None: a snapshot of the whole table (one file, versioned)
    id_column: str = "id"

    @property
    def snapshot(self) -> bool:
        return self.partition is None


# ---------------------------------------------------------------------------------------- paths
def table_dir(store: str | Path, table: str) -> Path:
    return Path(store) / _ident(table)


def partition_dir(store: str | Path, spec: FactSpec, value: Any) -> Path:
    return table_dir(store, spec.table) / f"{spec.partition}={value}"


def _safe_value(value: Any) -> str:
    text = str(value)
    if not text or any(ch in text for ch in "/\\\0") or text.startswith("."):
        raise ValueError(f"not a partition value: {value!r}")
    return text


def read_manifest(store: str | Path, table: str) -> dict | None:
    path = table_dir(store, table) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def store_lock(store: str | Path, table: str) -> Iterator[None]:
    """One refresh of ``table`` at a time (across processes)."""
    folder = table_dir(store, table)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# ---------------------------------------------------------------------------------------- dirty
def mark_dirty(store: str | Path, table: str, values: Iterable[Any]) -> list[Path]:
    """Say that a write is about to change these partitions (call before its commit): a marker file
    per partition, on disk (fsync) before the database commits."""
    folder = table_dir(store, table) / DIRTY
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for value in sorted({_safe_value(v) for v in values}):
        path = folder / f"{value}.{uuid.uuid4().hex}"
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        made.append(path)
    if made:
        _fsync_dir(folder)
    return made


def dirty_markers(store: str | Path, table: str, *, older_than: float | None = None) -> dict[str, list[Path]]:
    """{partition value: its marker files}; ``older_than`` (seconds): only markers made at least
    that long ago (a younger one may belong to a write whose transaction has not committed yet)."""
    folder = table_dir(store, table) / DIRTY
    found: dict[str, list[Path]] = {}
    before = None if older_than is None else time.time() - older_than
    if folder.exists():
        for path in folder.iterdir():
            value, _, _token = path.name.rpartition(".")
            if not value:
                continue
            if before is not None:
                try:
                    if path.stat().st_mtime > before:
                        continue
                except FileNotFoundError:  # a refresh removed it meanwhile
                    continue
            found.setdefault(value, []).append(path)
    return found


# ---------------------------------------------------------------------------------------- write
def _source_columns(raw, catalog: str, schema: str, table: str) -> list[tuple[str, str]]:
    rows = raw.execute(
        "SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = ? AND schema_name = ? "
        "AND table_name = ? ORDER BY column_index", [catalog, schema, table]).fetchall()
    if not rows:
        raise ValueError(f"table not in the database: {table}")
    return [(name, kind) for name, kind in rows]


def _select_list(columns: list[tuple[str, str]], bools: list[str], partition: str) -> str:
    parts = []
    for name, _kind in columns:
        if name == partition:
            continue
        parts.append(f'CAST("{name}" AS BOOLEAN) AS "{name}"' if name in bools else f'"{name}"')
    return ", ".join(parts)


def refresh(store: str | Path, spec: FactSpec, *, sqlite_path: str | Path | None = None, pg_url: str | None = None,
            values: Iterable[Any] | None = None, rebuild: bool = False, verify: bool = False,
            settled: float | None = None) -> dict:
    """Rewrite partitions of ``spec.table`` from the database: those marked dirty, plus ``values``
    (all of them with ``rebuild``; with ``verify`` also those whose version disagrees with the
    database). ``settled`` (seconds): only the markers at least that old are taken (and removed);
    younger ones, perhaps of a write still in its transaction, are left for later.
    Returns {"written": [...], "removed": [...], "seconds": ...}. A snapshot table is copied whole
    when ``rebuild``, ``verify`` or ``values`` ask for it or when it is stale (``refresh_snapshot``)."""
    if spec.snapshot:
        from bangfu.engine import snapshots  # it builds on this module

        if sqlite_path is None:
            return {"table": spec.table, "written": [], "removed": [], "seconds": 0.0, "skipped": "postgresql"}
        if not (rebuild or verify or values) and snapshots.snapshot_fresh(store, spec.table, sqlite_path=sqlite_path):
            return {"table": spec.table, "written": [], "removed": [], "seconds": 0.0,
                    "version": read_manifest(store, spec.table)["version"]}
        return snapshots.refresh_snapshot(store, spec, sqlite_path=sqlite_path)
    started = time.perf_counter()
    store = Path(store)
    raw = duckdb.connect()
    try:
        catalog, schema = _attach(raw, sqlite_path=sqlite_path, pg_url=pg_url)
        source = f'{catalog}.{schema}."{_ident(spec.table)}"'
        columns = _source_columns(raw, catalog, schema, spec.table)
        kinds = dict(columns)
        if spec.partition not in kinds:
            raise ValueError(f"{spec.table} has no column {spec.partition}")
        bools = sqlite_bool_columns(sqlite_path, spec.table) if sqlite_path is not None else []
        with store_lock(store, spec.table):
            manifest = read_manifest(store, spec.table)
            names = [c for c, _ in columns]
            if (rebuild or manifest is None or manifest.get("columns") != names
                    or manifest.get("format") != FORMAT_VERSION):
                manifest = {"format": FORMAT_VERSION, "table": spec.table, "partition": spec.partition,
                            "partition_type": kinds[spec.partition], "columns": names, "partitions": {}}
                rebuild = True
            markers = dirty_markers(store, spec.table, older_than=settled)
            on_disk = {p.name.partition("=")[2] for p in table_dir(store, spec.table).glob(f"{spec.partition}=*")}
            wanted = set(markers) | {str(v) for v in (values or ())}
            if verify and not rebuild:
                versions = {str(v): (n, m) for v, n, m in raw.execute(
                    f'SELECT "{spec.partition}", count(*), max("{spec.id_column}") FROM {source} '
                    f'WHERE "{spec.partition}" IS NOT NULL GROUP BY 1').fetchall()}
                recorded = {k: (p["rows"], p["max_id"]) for k, p in manifest["partitions"].items()}
                wanted |= {k for k in set(versions) | set(recorded) if versions.get(k) != recorded.get(k)}
            written, removed = [], []
            select = _select_list(columns, bools, spec.partition)
            tmp_dir = table_dir(store, spec.table) / TMP
            tmp_dir.mkdir(parents=True, exist_ok=True)
            literal = _partition_literal(kinds[spec.partition])
            if rebuild:  # one scan of the whole table; then every directory left from before goes too
                chunks = [None]
            else:
                ordered = sorted(wanted)
                chunks = [ordered[i:i + STAGE_PARTITIONS] for i in range(0, len(ordered), STAGE_PARTITIONS)]
            for chunk in chunks:
                # one scan of the database per chunk of partitions (SQLite's scanner reads the
                # whole table for any WHERE), written one file per partition in a scratch folder
                where = (f'"{spec.partition}" IS NOT NULL' if chunk is None else
                         f'"{spec.partition}" IN ({", ".join(literal(_safe_value(v)) for v in chunk)})')
                folder = tmp_dir / uuid.uuid4().hex
                query = f'SELECT {select}, "{spec.partition}" AS "_p" FROM {source} WHERE {where}'
                if sqlite_path is not None and chunk is not None and len(chunk) <= INDEXED_PARTITIONS:
                    typed = [(c, "BOOLEAN" if c in bools else kind) for c, kind in columns]
                    query = _indexed_sqlite_rows(raw, sqlite_path, spec, typed, chunk) or query
                raw.execute(f"COPY ({query}) TO '{_sql_str(str(folder))}' "
                            "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (\"_p\"))")
                scratch = (f"read_parquet('{_sql_str(str(folder))}/*/*.parquet', hive_partitioning = true, "
                           f"hive_types = {{'_p': '{_sql_str(kinds[spec.partition])}'}})")
                counts = {} if not any(folder.glob("*/*.parquet")) else {str(v): (n, m) for v, n, m in raw.execute(
                    f'SELECT "_p", count(*), max("{spec.id_column}") FROM {scratch} GROUP BY 1').fetchall()}
                if chunk is None:
                    chunk = sorted(set(counts) | on_disk | wanted)
                files = _one_file_each(raw, folder, scratch, spec, sorted(v for v in chunk if v in counts), literal)
                for value in chunk:
                    target_dir = partition_dir(store, spec, _safe_value(value))
                    if value not in counts:
                        if target_dir.exists():
                            shutil.rmtree(target_dir)
                        manifest["partitions"].pop(value, None)
                        removed.append(value)
                        continue
                    n, max_id = counts[value]
                    target_dir.mkdir(parents=True, exist_ok=True)
                    os.replace(files[value], target_dir / DATA_FILE)  # readers see the old file or the new
                    manifest["partitions"][value] = {"rows": int(n), "max_id": int(max_id), "written_at": time.time()}
                    written.append(value)
            shutil.rmtree(tmp_dir, ignore_errors=True)
            manifest["max_id"] = max((p["max_id"] for p in manifest["partitions"].values()), default=0)
            manifest["rows"] = sum(p["rows"] for p in manifest["partitions"].values())
            _write_json(table_dir(store, spec.table) / MANIFEST, manifest)
            for value, paths in markers.items():  # only the markers seen before reading
                for path in paths:
                    path.unlink(missing_ok=True)
        return {"table": spec.table, "written": written, "removed": removed,
                "seconds": round(time.perf_counter() - started, 3)}
    finally:
        raw.close()


def _indexed_sqlite_rows(raw, sqlite_path: str | Path, spec: FactSpec, columns: list[tuple[str, str]],
                         values: list[str]) -> str | None:
    """A few partitions read through SQLite itself, which uses its index on the partition column
    (DuckDB's scanner reads the whole table whatever the WHERE), registered in DuckDB as Arrow and
    cast to the scanner's types (every partition file has the same schema). None: use the scanner."""
    import pyarrow as pa

    names = [c for c, _ in columns]
    quoted = ", ".join(f'"{c}"' for c in names)
    uri = Path(sqlite_path).resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        cursor = conn.execute(f'SELECT {quoted} FROM "{_ident(spec.table)}" WHERE "{spec.partition}" IN '
                              f'({", ".join("?" * len(values))})', values)
        batches = []
        while rows := cursor.fetchmany(100_000):
            batches.append(list(zip(*rows)))
    finally:
        conn.close()
    try:
        arrays = {f"c{i}": pa.array([v for batch in batches for v in batch[i]]) for i in range(len(names))}
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # SQLite's dynamic types: mixed values in a column
        return None
    if not batches:
        arrays = {f"c{i}": pa.array([], pa.null()) for i in range(len(names))}
    view = f"fresh_{uuid.uuid4().hex}"
    raw.register(view, pa.table(arrays))
    casts = ", ".join(f'CAST("c{i}" AS {kind}) AS "{name}"' for i, (name, kind) in enumerate(columns)
                      if name != spec.partition)
    position = names.index(spec.partition)
    return f'SELECT {casts}, CAST("c{position}" AS {dict(columns)[spec.partition]}) AS "_p" FROM {view}'


def _one_file_each(raw, folder: Path, scratch: str, spec: FactSpec, values: list[str], literal) -> dict[str, Path]:
    """{value: its one Parquet file (fsynced)} of a partitioned COPY in ``folder``; a partition that
    DuckDB split into several files is written again as one."""
    files: dict[str, Path] = {}
    for value in values:
        found = sorted((folder / f"_p={value}").glob("*.parquet"))
        if len(found) != 1:
            single = folder / f"{value}.parquet"
            raw.execute(f'COPY (SELECT * EXCLUDE ("_p") FROM {scratch} WHERE "_p" = {literal(value)}) '
                        f"TO '{_sql_str(str(single))}' (FORMAT parquet, COMPRESSION zstd)")
            found = [single]
        with open(found[0], "rb") as fh:
            os.fsync(fh.fileno())
        files[value] = found[0]
    return files


def _partition_literal(kind: str):
    if kind.upper() in ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"):
        return lambda value: str(int(value))
    return lambda value: "'" + _sql_str(str(value)) + "'"


def verify(store: str | Path, spec: FactSpec, *, sqlite_path: str | Path | None = None,
           pg_url: str | None = None) -> dict:
    """Every partition's version against the database: {"stale": [...], "missing": [...],
    "extra": [...], "dirty": [...], "partitions": n, "rows": n}. A snapshot table: stale ``["*"]``
    unless ``snapshot_fresh``."""
    manifest = read_manifest(store, spec.table)
    if spec.snapshot:
        from bangfu.engine import snapshots  # it builds on this module

        fresh = sqlite_path is not None and snapshots.snapshot_fresh(store, spec.table, sqlite_path=sqlite_path)
        return {"table": spec.table, "built": manifest is not None, "dirty": [], "missing": [], "extra": [],
                "stale": [] if fresh or manifest is None else ["*"], "partitions": 0,
                "rows": (manifest or {}).get("rows", 0)}
    dirty = sorted(dirty_markers(store, spec.table))
    raw = duckdb.connect()
    try:
        catalog, schema = _attach(raw, sqlite_path=sqlite_path, pg_url=pg_url)
        versions = {str(v): (n, m) for v, n, m in raw.execute(
            f'SELECT "{spec.partition}", count(*), max("{spec.id_column}") FROM {catalog}.{schema}."{_ident(spec.table)}" '
            f'WHERE "{spec.partition}" IS NOT NULL GROUP BY 1').fetchall()}
    finally:
        raw.close()
    recorded = {k: (p["rows"], p["max_id"]) for k, p in (manifest or {}).get("partitions", {}).items()}
    return {
        "table": spec.table, "built": manifest is not None, "dirty": dirty,
        "missing": sorted(set(versions) - set(recorded)), "extra": sorted(set(recorded) - set(versions)),
        "stale": sorted(k for k in set(versions) & set(recorded) if versions[k] != recorded[k]),
        "partitions": len(recorded), "rows": sum(n for n, _m in recorded.values()),
    }


# ---------------------------------------------------------------------------------------- read
def is_fresh(store: str | Path, table: str, *, max_id: int | None) -> bool:
    """The quick check: built, at least one partition, no dirty marker, same max id as the database."""
    manifest = read_manifest(store, table)
    if manifest is None or manifest.get("partition") is None or not manifest.get("partitions"):
        return False  # a snapshot table's freshness is snapshot_fresh's
    if dirty_markers(store, table):
        return False
    return int(manifest.get("max_id") or 0) == int(max_id or 0)


def duckdb_select(store: str | Path, table: str) -> str:
    """A DuckDB SELECT over the table's partitions, columns in the database's order."""
    manifest = read_manifest(store, table)
    if manifest is None:
        raise ValueError(f"no fact table {table} in {store}")
    columns = ", ".join(f'"{c}"' for c in manifest["columns"])
    if manifest["partition"] is None:  # a snapshot: one file
        return f"SELECT {columns} FROM read_parquet('{_sql_str(str(table_dir(store, table) / DATA_FILE))}')"
    glob = table_dir(store, table) / f"{manifest['partition']}=*" / DATA_FILE
    hive_type = _sql_str(manifest["partition_type"])
    return (f"SELECT {columns} FROM read_parquet('{_sql_str(str(glob))}', hive_partitioning = true, "
            f"hive_types = {{'{_sql_str(manifest['partition'])}': '{hive_type}'}})")


def duckdb_table(con: Any, store: str | Path, table: str):
    """The Ibis table of ``table`` in the store, as a view ``facts_<table>`` of an Ibis DuckDB
    connection (created on first use)."""
    view = f"facts_{_ident(table)}"
    if view not in con.list_tables():
        con.con.execute(f"CREATE VIEW {view} AS {duckdb_select(store, table)}")
    return con.table(view)
