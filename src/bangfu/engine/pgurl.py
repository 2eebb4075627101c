"""PostgreSQL URLs as the engine takes them: keyword arguments, the schema, a libpq DSN (Django-free)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

from bangfu.engine.errors import EngineError


def pg_params(url: str) -> dict[str, Any]:
    """postgresql://user:pw@host:port/db → keyword arguments (host, port, user, password, database)."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise EngineError(f"not a PostgreSQL URL: scheme {parsed.scheme!r}")
    params: dict[str, Any] = {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 5432,
        "user": unquote(parsed.username or ""),
        "password": unquote(parsed.password or ""),
        "database": unquote(parsed.path.lstrip("/")) or "postgres",
    }
    query = _query(url)
    if query.get("host"):  # libpq style: ?host=/run/postgresql for a Unix socket directory
        params["host"] = query["host"]
    return {k: v for k, v in params.items() if v != ""}


def _query(url: str) -> dict[str, str]:
    out = {}
    for part in urlparse(url).query.split("&"):
        key, _, value = part.partition("=")
        if key and value:
            out[key] = unquote(value)
    return out


def pg_schema(url: str) -> str:
    """The schema to read: ``?schema=...`` in the URL, else ``public``."""
    return _query(url).get("schema", "public")


def libpq_dsn(url: str) -> str:
    """A libpq key=value connection string (what postgres_scanner's ATTACH takes)."""
    p = pg_params(url)
    parts = [f"host={p['host']}", f"port={p['port']}", f"dbname={p['database']}"]
    if "user" in p:
        parts.append(f"user={p['user']}")
    if "password" in p:
        parts.append("password='" + p["password"].replace("\\", "\\\\").replace("'", "\\'") + "'")
    return " ".join(parts)
