"""The fact store on Django's database (``bangfu.engine.facts`` does the files): which tables,
where, kept fresh by the writes, and read by the engine sessions instead of the database.

Fact tables are contributed by the apps (``bangfu.core.hooks`` convention):

    # <app>/hooks.py
    FACT_TABLES = [FactTable("monitoring_employmentmonth", "month", _("务工月份"))]

The store lives in ``settings.BANGFU["FACTS_DIR"]`` (default ``var/facts``) and is opt-in: it
exists once ``bangfu facts rebuild`` has written it; ``BANGFU["FACTS"] = False`` switches it off.

A service that writes a fact table calls ``touch(table, months)`` inside its transaction: the
months are marked dirty on disk at once (before the commit) and rewritten from the database after
the commit (``transaction.on_commit``), in the same operation. A process killed between the two
leaves the markers: the table is not fresh (the engine reads the database) until the next refresh
(``bangfu facts refresh``, the scheduled task ``facts_refresh`` every few minutes (``repair``), or
the next write's) rewrites those months.

``engine_session`` asks ``fresh_tables`` which of its tables to read from the files: a table is
fresh when it has no dirty month and the database's max id equals the manifest's. A batch run's
session (``for_write_back``: the KPI fill, policy runs) first rewrites the dirty months it reads.

A ``FactTable`` with ``partition=None`` is a snapshot of a whole slowly-changing table (the
persons, which every policy run reads in full): fresh only while the change counter that the
database's own triggers raise on every write equals the snapshot's (``bangfu.engine.facts``); a
refresh (``bangfu facts refresh``, the scheduled ``facts_refresh``) copies it again once stale.
Services need not ``touch`` it. SQLite only: on PostgreSQL the engine reads the database.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from django.conf import settings
from django.db import connections, transaction

from bangfu.core.hooks import ListHook
from bangfu.engine import facts as store
from bangfu.engine import snapshots

logger = logging.getLogger(__name__)

REPAIR_AFTER = 120  # seconds: a dirty marker this old is taken for a write killed before its refresh


@dataclass(frozen=True)
class FactTable:
    """A table the engine reads, kept as Parquet partitioned by ``partition`` (a month ``YYYY-MM``
    column, or a year)."""

    table: str
    partition: str | None = "month"  # None: a snapshot of the whole table
    label: Any = ""
    order: int = 50

    @property
    def spec(self) -> store.FactSpec:
        return store.FactSpec(self.table, self.partition)


FACT_TABLES = ListHook("FACT_TABLES", key=lambda fact: fact.table, order=lambda fact: (fact.order, fact.table))


def fact_tables() -> list[FactTable]:
    return FACT_TABLES.items()


def fact_table(table: str) -> FactTable | None:
    return FACT_TABLES.get(table)


def store_dir() -> Path:
    configured = getattr(settings, "BANGFU", {}).get("FACTS_DIR")
    return Path(configured) if configured else Path(settings.VAR_DIR) / "facts"


def enabled() -> bool:
    """The store is switched on and has been built (``bangfu facts rebuild``)."""
    if getattr(settings, "BANGFU", {}).get("FACTS") is False:
        return False
    folder = store_dir()
    return folder.is_dir() and any((folder / f.table / store.MANIFEST).exists() for f in fact_tables())


# ---------------------------------------------------------------------------------------- writes
def touch(table: str, values: Iterable[Any], *, using: str = "default") -> None:
    """A write of ``table`` inside the current transaction changes these months (or years):
    mark them dirty now, rewrite them after the commit."""
    fact = fact_table(table)
    values = {str(v) for v in values if v not in (None, "")}
    if fact is None or fact.partition is None or not values or not enabled():  # a snapshot counts its writes
        return
    store.mark_dirty(store_dir(), table, values)
    transaction.on_commit(lambda: _refresh_after_commit(table), using=using)


def _refresh_after_commit(table: str) -> None:
    if not store.dirty_markers(store_dir(), table):  # an earlier callback of the same commit did it
        return
    try:
        refresh(tables=[table])
    except Exception:  # noqa: BLE001 - the commit stands; the markers make the next refresh redo it
        logger.exception("fact store refresh after commit failed; the dirty months stay marked")


# ---------------------------------------------------------------------------------------- refresh
def _source(alias: str = "default") -> dict:
    from bangfu.core.engine import default_database_source

    return default_database_source(alias)


def refresh(*, tables: Iterable[str] | None = None, values: Iterable[Any] | None = None, rebuild: bool = False,
            verify: bool = False, settled: float | None = None, alias: str = "default") -> list[dict]:
    """Rewrite the dirty partitions (and ``values``; every one with ``rebuild``; the stale ones
    with ``verify``) of ``tables`` (default: every fact table). ``settled``: only the dirty
    markers at least that many seconds old. Returns one report per table."""
    wanted = [f for f in fact_tables() if tables is None or f.table in set(tables)]
    source = _source(alias)
    if "sqlite_path" in source and threading.current_thread() is not threading.main_thread():
        return [_refresh_in_child(f, source, values=values, rebuild=rebuild, verify=verify, settled=settled)
                for f in wanted]
    _release_sqlite(alias, source)
    reports = []
    for fact in wanted:
        reports.append(store.refresh(store_dir(), fact.spec, values=values, rebuild=rebuild, verify=verify,
                                     settled=settled, **source))
    return reports


def repair(*, settled: float | None = None, alias: str = "default") -> dict:
    """The scheduled task: rewrite the months that dirty markers at least ``settled`` seconds old
    name (``BANGFU["FACTS_REPAIR_AFTER"]``, default ``REPAIR_AFTER``): what a process killed
    between its commit and its refresh left. A younger marker may be a write still inside its
    transaction, whose own refresh follows its commit; it is left for the next run.
    Nothing is read while no table has such a marker, or before the store is built."""
    if not enabled():
        return {"built": False}
    if settled is None:
        settled = float(getattr(settings, "BANGFU", {}).get("FACTS_REPAIR_AFTER", REPAIR_AFTER))
    marked = [f.table for f in fact_tables() if store.dirty_markers(store_dir(), f.table, older_than=settled)
              or (f.partition is None and _stale_snapshot(f.table, alias))]
    reports = refresh(tables=marked, settled=settled, alias=alias) if marked else []
    return {"built": True, "repaired": {r["table"]: r["written"] + r["removed"] for r in reports
                                        if r.get("written") or r.get("removed")}}


def _stale_snapshot(table: str, alias: str = "default") -> bool:
    """A snapshot table built once and no longer fresh (a refresh copies it again)."""
    return store.read_manifest(store_dir(), table) is not None and not _snapshot_fresh(table, alias)


def _snapshot_fresh(table: str, alias: str = "default") -> bool:
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return False
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        return snapshots.snapshot_fresh(store_dir(), table, cursor=cursor)
    finally:
        cursor.close()


def _release_sqlite(alias: str, source: dict) -> None:
    """DuckDB's SQLite is a second library in this process: close Django's connection first
    (``bangfu.core.engine`` explains why); Django reopens it on its next query."""
    connection = connections[alias]
    if "sqlite_path" in source and not connection.in_atomic_block:
        connection.close()


def _refresh_in_child(fact: FactTable, source: dict, **options) -> dict:
    import json

    args = [sys.executable, "-m", "bangfu.engine.worker", "facts", "--sqlite", str(source["sqlite_path"]),
            "--out", str(store_dir()), "--table", fact.table, "--partition", fact.partition or ""]
    if options.get("values"):
        args += ["--values", ",".join(str(v) for v in options["values"])]
    if options.get("rebuild"):
        args.append("--rebuild")
    if options.get("verify"):
        args.append("--verify")
    if options.get("settled") is not None:
        args += ["--settled", str(options["settled"])]
    done = subprocess.run(args, capture_output=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"fact store refresh of {fact.table} failed: {done.stderr.decode(errors='replace')[-2000:]}")
    return json.loads(done.stdout.decode() or "{}")


def status(*, verify: bool = False, alias: str = "default") -> list[dict]:
    """One row per fact table: built, partitions, rows, dirty months, and (``verify``: a scan of
    the database) the months whose version differs from the database's."""
    rows = []
    source = _source(alias) if verify else None
    if verify:
        _release_sqlite(alias, source)
    for fact in fact_tables():
        manifest = store.read_manifest(store_dir(), fact.table)
        row = {"table": fact.table, "label": str(fact.label), "partition": fact.partition,
               "built": manifest is not None, "partitions": len((manifest or {}).get("partitions", {})),
               "rows": (manifest or {}).get("rows", 0),
               "dirty": sorted(store.dirty_markers(store_dir(), fact.table))}
        if fact.partition is None:  # a snapshot: fresh or not by the database's change counter
            row["snapshot"] = True
            row["stale"] = ["*"] if manifest is not None and not _snapshot_fresh(fact.table, alias) else []
        if verify and manifest is not None:
            checked = store.verify(store_dir(), fact.spec, **source)
            row.update(stale=checked["stale"], missing=checked["missing"], extra=checked["extra"])
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------- reads
def fresh_tables(tables: Iterable[str] | None, *, alias: str = "default", repair: bool = False) -> list[str]:
    """The fact tables among ``tables`` (all when None) that the engine may read from the store.
    ``repair``: first rewrite their dirty months (a batch run's session, in the main thread)."""
    if not enabled():
        return []
    wanted = [f.table for f in fact_tables() if tables is None or f.table in set(tables)]
    if not wanted:
        return []
    dirty = [t for t in wanted if store.dirty_markers(store_dir(), t)]
    if repair and dirty:
        try:
            refresh(tables=dirty, alias=alias)
        except Exception:  # noqa: BLE001 - the engine reads the database instead
            logger.exception("fact store repair before an engine run failed")
    connection = connections[alias]
    fresh = []
    snapshot_tables = {f.table for f in fact_tables() if f.partition is None}
    with connection.cursor() as cursor:
        for table in wanted:
            if table in snapshot_tables:
                if _snapshot_fresh(table, alias):
                    fresh.append(table)
                continue
            cursor.execute(f'SELECT max(id) FROM {connection.ops.quote_name(table)}')  # an index lookup
            if store.is_fresh(store_dir(), table, max_id=cursor.fetchone()[0]):
                fresh.append(table)
    return fresh
