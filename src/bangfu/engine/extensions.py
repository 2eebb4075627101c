"""DuckDB extensions shipped as Python packages (``backends`` loads them): where the binary of
the installed DuckDB version is, and loading it with its signature checked once per process."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import duckdb

from bangfu.engine.errors import EngineError

_EXTENSION_PACKAGES = {
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
}


def extension_path(name: str) -> Path:
    """Path of the shipped DuckDB extension binary ``name`` for the installed DuckDB version."""
    package = _EXTENSION_PACKAGES.get(name)
    if package is None:
        raise EngineError(f"unknown DuckDB extension {name!r}; known: {sorted(_EXTENSION_PACKAGES)}")
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise EngineError(f"the Python package {package} is not installed (it ships the {name} extension)")
    base = Path(next(iter(spec.submodule_search_locations))) / "extensions"
    path = base / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.exists():
        shipped = sorted(p.name for p in base.glob("v*")) if base.exists() else []
        raise EngineError(
            f"{package} ships {shipped or 'nothing'} but DuckDB is {duckdb.__version__}: "
            "pin both to the same version"
        )
    return path


_VERIFIED: dict[Path, tuple[int, int, int]] = {}  # extension file -> (inode, size, mtime) DuckDB verified here


def _identity(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def load_extension(raw: duckdb.DuckDBPyConnection, name: str) -> None:
    path = extension_path(name)
    quoted = str(path).replace("'", "''")
    raw.execute(f"LOAD '{quoted}'")
    if not raw.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0]:
        _VERIFIED[path] = _identity(path)  # DuckDB checked its signature


def verified_config(name: str) -> dict[str, Any]:
    """DuckDB checks the signature of a 35 MB extension file on every LOAD (0.1-0.3 s per engine
    session): once it has checked this very file in this process (same inode, size and mtime),
    new connections skip the check ({"allow_unsigned_extensions": True}); {} until then."""
    path = extension_path(name)
    return {"allow_unsigned_extensions": True} if _VERIFIED.get(path) == _identity(path) else {}
