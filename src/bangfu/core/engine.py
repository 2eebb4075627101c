"""Open the batch engine (``bangfu.engine.backends``) on Django's database: one session for the
policy runs, the KPI fill and every programme's batch work.

    from bangfu.core.engine import engine_session

    with engine_session(for_write_back=True, tables=KPI_INPUT_TABLES) as session:
        result = compute(session.engine)           # Ibis; DuckDB attached read-only by default
    write(result)                                  # through Django, after the block

    with engine_session(kind, for_write_back=True, tables=POLICY_INPUT_TABLES) as session:
        rows = session.read(eligible_rows, definition=text, period="2024")   # an Arrow table

Kind: ``kind``, else ``settings.BANGFU["ENGINE"]`` (env ``BANGFU_ENGINE``), default ``duckdb``.
``sqlite`` / ``postgres`` run in-database and must match the database. ``spark`` exports
``tables`` to Parquet first and reads them with ``spark=`` (a session of the caller's) or with
``spark_session()`` on ``BANGFU["SPARK_MASTER"]`` (env ``BANGFU_SPARK_MASTER``, default ``local[2]``).

The engine reads through its own connection, so it sees committed data only: tests that build
data and then run the engine need ``transactional_db`` (not ``db``), and services open the
session outside ``transaction.atomic`` and make no Django query inside the block.

On SQLite, DuckDB's sqlite_scanner (and the Parquet export for Spark, DuckDB too) reads the file
through its own copy of the SQLite library, and two copies in one process do not share POSIX
file locks. So the session

* closes this thread's Django connection before DuckDB attaches (Django reopens it on its next
  query): DuckDB's SQLite would otherwise reset the shared-memory WAL index Django has mapped,
  and Django's next write die with SIGBUS. With ``for_write_back`` (the caller writes results
  through Django afterwards) the WAL is checkpointed first, which a large WAL was seen to need;
* detaches DuckDB's own SQLite connection when the block ends, before Django reopens;
* outside the main thread (a web server's thread: other threads hold connections this one
  cannot close) leaves the SQLite file to a child process (``bangfu.engine.worker``):
  ``session.read`` runs there whole and returns Arrow; ``session.engine`` (and Spark) reads
  a Parquet copy of ``tables`` that the child exported. ``child_process=True/False`` decides
  instead of the thread.

DuckDB and Spark read the fact tables that the fact store (``bangfu.core.facts``) holds fresh
from its Parquet files instead of the database (``session.fact_tables`` names them).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

from bangfu.engine.backends import ATTACH_ALIAS, DEFAULT_KIND, KINDS, Engine, EngineError, open_engine

logger = logging.getLogger(__name__)

SQLITE_READERS = ("duckdb", "spark")  # the kinds that read a SQLite file with DuckDB's own SQLite
DEFAULT_SPARK_MASTER = "local[2]"
CHILD_TIMEOUT = 3600  # seconds; BANGFU["ENGINE_CHILD_TIMEOUT"]


def engine_kind(kind: str | None = None) -> str:
    """``kind``, else the configured engine (``BANGFU["ENGINE"]``), else duckdb."""
    kind = kind or getattr(settings, "BANGFU", {}).get("ENGINE") or DEFAULT_KIND
    if kind not in KINDS:
        raise EngineError(f"unknown engine {kind!r}; choose one of {', '.join(KINDS)}")
    return kind


def in_database_kind(alias: str = "default") -> str:
    """The engine that runs inside Django's own database (a few rows: no second SQLite library)."""
    return "postgres" if connections[alias].vendor == "postgresql" else "sqlite"


def spark_master() -> str:
    return (getattr(settings, "BANGFU", {}).get("SPARK_MASTER")
            or os.environ.get("BANGFU_SPARK_MASTER") or DEFAULT_SPARK_MASTER)


def spark_conf() -> dict[str, str]:
    """Extra Spark settings: ``BANGFU["SPARK_CONF"]`` (a dict), then env ``BANGFU_SPARK_CONF``
    (``key=value,key=value``), e.g. ``spark.sql.shuffle.partitions=400`` for a nation's run."""
    conf = {str(k): str(v) for k, v in (getattr(settings, "BANGFU", {}).get("SPARK_CONF") or {}).items()}
    for item in filter(None, (part.strip() for part in os.environ.get("BANGFU_SPARK_CONF", "").split(","))):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise EngineError(f"BANGFU_SPARK_CONF 的每一项应为 键=值，而不是“{item}”")
        conf[key.strip()] = value.strip()
    return conf


def set_spark_master(url: str | None) -> None:
    """Use ``url`` (``local[N]``, ``spark://host:port`` of a standalone cluster, ``sc://host:port``
    of a Spark Connect server) for this process's Spark runs (the commands' ``--spark-master``)."""
    if not url:
        return
    if not url.startswith(("local", "spark://", "sc://")):
        raise EngineError(f"Spark 集群地址应为 local[N]、spark://主机:端口 或 sc://主机:端口，而不是“{url}”")
    settings.BANGFU = {**getattr(settings, "BANGFU", {}), "SPARK_MASTER": url}
    os.environ["BANGFU_SPARK_MASTER"] = url


def spark_session():
    """A Spark session on ``spark_master()``; the process's active session when it has one."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    master = spark_master()
    if master.startswith("sc://"):
        # Spark Connect: a thin client; the server plans and runs (it reads the Parquet files by
        # their paths, so it shares this machine's file system or a network one)
        try:
            session = SparkSession.builder.remote(master).getOrCreate()
        except ImportError as exc:  # the client needs pyspark[connect]'s packages (grpcio, ...)
            raise EngineError(f"Spark Connect 客户端缺少依赖：{exc}（安装 pyspark[connect]）") from exc
        session.conf.set("spark.sql.session.timeZone", "UTC")
        for key, value in spark_conf().items():
            session.conf.set(key, value)
        return session
    builder = (
        SparkSession.builder.master(master).appName("bangfu")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "8")
        .config("spark.driver.memory", os.environ.get("BANGFU_SPARK_MEMORY", "4g"))
        .config("spark.sql.session.timeZone", "UTC")
    )
    for key, value in spark_conf().items():
        builder = builder.config(key, value)
    if master.startswith("local") or master.startswith(("spark://127.0.0.1:", "spark://localhost:")):
        # local mode, or a cluster on this machine (bangfu spark start): the executors reach the
        # driver on loopback; a cluster of other machines reaches it at BANGFU_SPARK_DRIVER_HOST
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    elif os.environ.get("BANGFU_SPARK_DRIVER_HOST"):
        builder = builder.config("spark.driver.host", os.environ["BANGFU_SPARK_DRIVER_HOST"])
    if master.startswith("spark://"):
        builder = builder.config("spark.executor.memory", os.environ.get("BANGFU_SPARK_EXECUTOR_MEMORY", "1g"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


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


class EngineSession:
    """The engine of one ``engine_session`` block: ``engine`` (opened on first use) or ``read``."""

    def __init__(self, kind: str, *, alias: str, for_write_back: bool, tables: Iterable[str] | None,
                 spark: Any, child_process: bool | None, facts: bool | None = None):
        self.kind = kind
        self.use_facts = facts is not False  # read fresh fact tables from the fact store (core.facts)
        self.fact_tables: list[str] = []  # the tables this session read from the store
        self.alias = alias
        self.child_process = False
        self.source = default_database_source(alias)
        self.for_write_back = for_write_back
        self.tables = list(tables) if tables is not None else None
        self._spark = spark
        self._engine: Engine | None = None
        self._scratch: tempfile.TemporaryDirectory | None = None
        self._pin: Any = None  # parameters.pinned() while DuckDB's SQLite holds the file
        on_sqlite = "sqlite_path" in self.source
        if kind == "sqlite" and not on_sqlite:
            raise EngineError("the sqlite engine needs Django on SQLite")
        if kind == "postgres" and on_sqlite:
            raise EngineError("the postgres engine needs Django on PostgreSQL (DATABASE_URL)")
        isolable = on_sqlite and kind in SQLITE_READERS
        if child_process is None:
            child_process = threading.current_thread() is not threading.main_thread()
        self.child_process = bool(child_process and isolable)

    def __repr__(self) -> str:
        return f"<EngineSession {self.kind}{' in a child process' if self.child_process else ''}>"

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = self._open()
        return self._engine

    def read(self, function: Callable[..., Any], /, **kwargs: Any):
        """``function(engine, **kwargs)`` as an Arrow table. The function is a module-level one of
        a Django-free module and the arguments plain JSON values: it may run in a child process."""
        import pyarrow as pa

        kwargs = json.loads(json.dumps(kwargs))  # the same plain values on both paths
        if self.child_process and self.kind == "duckdb":
            return self._read_in_child(function, kwargs)
        result = function(self.engine, **kwargs)
        return result if isinstance(result, pa.Table) else self.engine.to_pyarrow(result)

    def close(self) -> None:
        engine, self._engine = self._engine, None
        if engine is not None:
            if engine.kind == "duckdb" and "sqlite_path" in self.source:
                _detach(engine)
            engine.close()
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None
        pin, self._pin = self._pin, None
        if pin is not None:
            pin.__exit__(None, None, None)
        _holding().discard(self.alias)

    # ---- opening

    def _facts(self) -> dict[str, Any]:
        """The fact store's fresh tables among this session's, for ``open_engine``."""
        if not self.use_facts or self.kind not in ("duckdb", "spark"):
            return {}
        from bangfu.core import facts

        repair = self.for_write_back and threading.current_thread() is threading.main_thread()
        self.fact_tables = facts.fresh_tables(self.tables, alias=self.alias, repair=repair)
        return {"fact_store": facts.store_dir(), "fact_tables": self.fact_tables} if self.fact_tables else {}

    def _open(self) -> Engine:
        if self.kind == "spark":
            spark = self._spark or spark_session()
            if self.child_process:
                return open_engine("spark", spark=spark, parquet_dir=self._export_in_child(), tables=self.tables)
            store = self._facts()
            self._release_django_connection()
            return open_engine("spark", spark=spark, tables=self.tables, **self.source, **store)
        if self.child_process:  # DuckDB on a Parquet copy that a child process exported
            return open_engine("duckdb", parquet_dir=self._export_in_child(), tables=self.tables)
        store = self._facts() if self.kind == "duckdb" else {}
        if self.kind in SQLITE_READERS:
            self._release_django_connection()
        return open_engine(self.kind, **self.source, **store)

    def _release_django_connection(self) -> None:
        connection = connections[self.alias]
        if "sqlite_path" not in self.source or connection.in_atomic_block:
            return
        if self.for_write_back:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if self._pin is None:  # a parameter read inside the block must not reopen the connection
            from bangfu.core import parameters

            self._pin = parameters.pinned()
            self._pin.__enter__()
        connection.close()
        _holding().add(self.alias)  # until close(): Django may not reopen it (refuse_reopening)

    # ---- the child process

    def _scratch_dir(self) -> Path:
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="bangfu-engine-")
        return Path(self._scratch.name)

    def _run_worker(self, *args: str) -> None:
        timeout = int(getattr(settings, "BANGFU", {}).get("ENGINE_CHILD_TIMEOUT", CHILD_TIMEOUT))
        done = subprocess.run([sys.executable, "-m", "bangfu.engine.worker", *args,
                               "--sqlite", str(self.source["sqlite_path"])],
                              capture_output=True, timeout=timeout)
        if done.returncode != 0:
            logger.error("engine worker failed: %s", done.stderr.decode(errors="replace")[-2000:])
            raise EngineError(_("计算进程异常退出"))

    def _read_in_child(self, function: Callable[..., Any], kwargs: dict):
        import pyarrow as pa

        name = getattr(function, "__qualname__", "")
        if "<" in name:
            raise EngineError(f"{function!r} is not a module-level function: a child process cannot find it")
        scratch = self._scratch_dir()
        args_file, out = scratch / "kwargs.json", scratch / "rows.arrow"
        args_file.write_text(json.dumps(kwargs, ensure_ascii=False), encoding="utf-8")
        store = self._facts()  # the child reads the fresh fact tables from the files too
        extra = ["--fact-store", str(store["fact_store"]), "--fact-tables", ",".join(store["fact_tables"])] if store else []
        self._run_worker("read", "--engine", self.kind, "--function", f"{function.__module__}:{name}",
                         "--kwargs", str(args_file), "--out", str(out), *extra)
        with pa.memory_map(str(out)) as source:
            table = pa.ipc.open_file(source).read_all()
        return table

    def _export_in_child(self) -> Path:
        out = self._scratch_dir() / "parquet"
        self._run_worker("export", "--tables", ",".join(self.tables or ()), "--out", str(out))
        return out


_held = threading.local()


def _holding() -> set[str]:
    """The aliases whose SQLite file an engine session of this thread has handed to DuckDB."""
    if not hasattr(_held, "aliases"):
        _held.aliases = set()
    return _held.aliases


def refuse_reopening(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: a Django connection opened, in this thread, on a SQLite file
    an engine session holds is closed again and refused with an error. Reopening it there is the
    hazard of the module docstring (a reset WAL index, commits lost on a kill); the error makes a
    Django query inside the block a failure the tests see instead of a silent loss."""
    if connection.vendor == "sqlite" and connection.alias in _holding():
        connection.close()
        raise EngineError(f"a Django query on {connection.alias!r} inside an engine session on SQLite: "
                          "query before the block or after it")


def _detach(engine: Engine) -> None:
    """Close DuckDB's own SQLite connection now: a second SQLite library in the process that
    outlives Django's connection would touch a WAL index Django has already removed."""
    try:
        engine.con.con.execute(f"DETACH {ATTACH_ALIAS}")
    except Exception:  # noqa: BLE001 - nothing attached, or already closed
        logger.debug("nothing to detach", exc_info=True)


@contextmanager
def engine_session(kind: str | None = None, *, for_write_back: bool = False, tables: Iterable[str] | None = None,
                   spark: Any = None, child_process: bool | None = None,
                   alias: str = "default", facts: bool | None = None) -> Iterator[EngineSession]:
    """The batch engine on Django's database for one block (see the module docstring).
    ``facts=False``: read the database even where the fact store is fresh."""
    session = EngineSession(engine_kind(kind), alias=alias, for_write_back=for_write_back, tables=tables,
                            spark=spark, child_process=child_process, facts=facts)
    try:
        yield session
    finally:
        session.close()
