"""Open the batch engine (``bangfu.engine.backends``) on Django's default database.

    from bangfu.core.engine import engine_for_default_database

    with engine_for_default_database() as eng:          # DuckDB attached read-only
        persons = eng.table("registry_person")

Kinds: ``duckdb`` (default), ``sqlite`` / ``postgres`` (in-database; must match the database),
``spark`` (give ``spark=SparkSession``; the tables are exported to Parquet first, ``tables=``
limits the export, ``parquet_dir=`` keeps the files).

The engine reads through its own connection, so it sees committed data only: tests that build
data and then run the engine need ``transactional_db`` (not ``db``), and services run the engine
outside ``transaction.atomic``. Committed rows still in SQLite's WAL are visible to DuckDB
(checked by the engine's tests), so no checkpoint is needed.

On SQLite, DuckDB's sqlite_scanner carries its own copy of the SQLite library. Two copies in one
process do not share POSIX file locks, so keep the DuckDB engine open only for the read, close it
before writing the results through Django, and never open it inside a write transaction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connections

from bangfu.engine.backends import DEFAULT_KIND, Engine, EngineError, open_engine


def default_database_source(alias: str = "default") -> dict[str, Any]:
    """``{"sqlite_path": ...}`` or ``{"pg_url": ...}`` for a Django database alias.

    Reads the connection's settings_dict, which under pytest-django names the test database.
    """
    settings_dict = connections[alias].settings_dict
    engine = settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        name = str(settings_dict["NAME"])
        if name == ":memory:" or name.startswith("file:"):
            raise EngineError("the batch engine needs a SQLite file, not an in-memory database")
        return {"sqlite_path": Path(name)}
    if "postgresql" in engine:
        return {"pg_url": postgres_url(settings_dict)}
    raise EngineError(f"no batch engine for the database backend {engine}")


def postgres_url(settings_dict: dict[str, Any]) -> str:
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    query = ""
    if host.startswith("/"):  # a Unix socket directory
        query = "?host=" + quote(host, safe="")
        host = "localhost"
    return f"postgresql://{auth}{host}:{port}/{quote(settings_dict['NAME'], safe='')}{query}"


def engine_for_default_database(kind: str = DEFAULT_KIND, *, alias: str = "default", **kwargs: Any) -> Engine:
    """Open the batch engine ``kind`` on Django's database (see the module docstring)."""
    source = default_database_source(alias)
    connection = connections[alias]
    if "sqlite_path" in source and not connection.in_atomic_block:
        # DuckDB's own SQLite library resets the shared-memory index of the WAL that Django's
        # open connection relies on; Django's next write then dies with SIGBUS. Closing
        # Django's connection first is cheap: it reopens on the next query.
        connection.close()
    if kind == "sqlite" and "sqlite_path" not in source:
        raise EngineError("the sqlite engine needs Django on SQLite")
    if kind == "postgres" and "pg_url" not in source:
        raise EngineError("the postgres engine needs Django on PostgreSQL (DATABASE_URL)")
    return open_engine(kind, **source, **kwargs)
