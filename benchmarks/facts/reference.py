"""The physical reference of the benchmarks: DuckDB over its own tables, copied in from the
benchmark's database (SQLite or PostgreSQL) (the copy timed apart)."""

from __future__ import annotations

import time


def duckdb_own_tables(tables) -> tuple[object, float]:
    """(an Engine over DuckDB tables holding a copy of ``tables``, seconds the copy took)."""
    import ibis
    from django.db import connection

    from bangfu.core.engine import default_database_source
    from bangfu.engine.backends import Engine, _attach, typed_select

    source = default_database_source()
    connection.close()
    con = ibis.duckdb.connect()
    raw = con.con
    path = source.get("sqlite_path")
    catalog, schema = _attach(raw, sqlite_path=path, pg_url=source.get("pg_url"))
    started = time.perf_counter()
    for table in tables:
        raw.execute(f'CREATE TABLE "{table}" AS SELECT {typed_select(path, table)} FROM {catalog}.{schema}."{table}"')
    copy = time.perf_counter() - started
    raw.execute("DETACH src")
    return Engine("duckdb", con), copy


def transport_definition() -> str:
    """The transport subsidy in force, read before an engine session (no Django query inside one)."""
    from bangfu.policies.models import Policy

    return Policy.objects.get(code="transport_subsidy").current_version.to_definition().to_yaml()


def transport_query(engine, definition: str) -> tuple[float, int, float]:
    """(seconds, rows, this process's CPU seconds, DuckDB's threads included) for the transport
    preview's query (every eligible row with its features, as Arrow)."""
    from bangfu.engine.policy.evaluate import eligible_rows

    started, cpu = time.perf_counter(), time.process_time()
    rows = eligible_rows(engine, definition=definition, period="2024", area_code="50")
    n = engine.to_pyarrow(rows).num_rows
    seconds = time.perf_counter() - started
    return seconds, n, time.process_time() - cpu
