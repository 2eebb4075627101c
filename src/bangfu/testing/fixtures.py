"""bangfu's pytest plugin: PostgreSQL, Spark and browser fixtures, and the PostgreSQL suite.

Loaded for every run (``-p bangfu.testing.fixtures`` in pyproject's addopts, and
``pytest_plugins`` in ``src/bangfu/conftest.py``). Fixtures:

``pg_url``        (session) URL of a running PostgreSQL server's maintenance database
                  ``postgres``: ``$BANGFU_TEST_PG_URL`` (``make test`` starts the server on
                  port 54329), else a throwaway cluster this plugin starts in a temporary
                  directory (as the ``postgres`` user when run as root); skips when impossible.
``fresh_pg_url``  (function) URL of a new empty database on that server, dropped afterwards.
``pg_database``   (function) factory: ``pg_database("name") -> url`` for several databases.
``spark``         (session) one local[2] SparkSession per run (UI off, 2 shuffle partitions, UTC).
``browser``       (session) Playwright's Chromium (Debian's ``/usr/bin/chromium``, headless).
``page``          (function) a fresh page (1366x768, zh-CN); ``browser_page`` is the same.
``live_url``      (function) base URL of pytest-django's ``live_server`` (needs transactional_db).

Tests marked ``postgres``/``spark``/``browser`` are skipped with a reason when the tool is
missing. ``--pg-suite`` keeps only what the PostgreSQL run of ``make test`` needs (see Makefile), and refuses to
start without a PostgreSQL ``DATABASE_URL``; ``--part K/N`` keeps one of N parts of the files, for N
pytest processes side by side (``scripts/run-tests.sh``).
Nothing here imports Django at import time: engine tests stay Django-free.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
import uuid
import zlib
from pathlib import Path

import pytest

from bangfu.testing.pgcluster import ClusterError, PgCluster, free_port

CHROMIUM = os.environ.get("BANGFU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
BROWSER_TIMEOUT_MS = 45_000  # waits for an element or a navigation

# Apps whose database tests are repeated on PostgreSQL by `--pg-suite` (besides every test
# marked `postgres`): the foundation every other app stands on.
PG_SUITE_APPS = ("core", "accounts", "registry")
_DB_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback"}


# --------------------------------------------------------------------------------------------
# options and collection
# --------------------------------------------------------------------------------------------
def pytest_configure(config):
    # The PostgreSQL run must be on PostgreSQL: a DATABASE_URL that did not reach pytest would
    # otherwise run it on SQLite, with the PostgreSQL-only tests skipped, and pass.
    if config.getoption("--pg-suite") and not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise pytest.UsageError("--pg-suite runs on PostgreSQL: set DATABASE_URL=postgresql://... (make test does)")


def pytest_addoption(parser):
    group = parser.getgroup("bangfu")
    group.addoption(
        "--pg-suite",
        action="store_true",
        default=False,
        help="keep only tests marked postgres plus the database tests of "
        + ", ".join(PG_SUITE_APPS)
        + " (run with DATABASE_URL pointing at PostgreSQL)",
    )
    group.addoption(
        "--part",
        default=None,
        metavar="K/N",
        help="keep only the test files of part K of N (a file's part: crc32 of its path modulo N), "
        "so that N pytest processes side by side run the suite between them (make test)",
    )


def _part(value: str) -> tuple[int, int]:
    try:
        k, n = (int(x) for x in value.split("/"))
    except ValueError:
        raise pytest.UsageError(f"--part wants K/N, e.g. 1/2: {value!r}") from None
    if not 1 <= k <= n:
        raise pytest.UsageError(f"--part wants 1 <= K <= N: {value!r}")
    return k, n


def in_part(nodeid: str, k: int, n: int) -> bool:
    """A test's part: its file's path (as in the node id), crc32 modulo ``n``, plus one."""
    return zlib.crc32(nodeid.split("::")[0].encode()) % n == k - 1


def _uses_django_db(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & _DB_FIXTURES) or item.get_closest_marker("django_db") is not None


def _in_pg_suite_app(item) -> bool:
    parts = Path(str(item.fspath)).parts
    for app in PG_SUITE_APPS:
        for i in range(len(parts) - 1):
            if parts[i] == "bangfu" and parts[i + 1] == app:
                return True
    return False


def pytest_collection_modifyitems(config, items):
    if config.getoption("--pg-suite"):
        keep, drop = [], []
        for item in items:
            wanted = item.get_closest_marker("postgres") is not None or (
                _in_pg_suite_app(item)
                and _uses_django_db(item)
                and item.get_closest_marker("browser") is None
                and item.get_closest_marker("spark") is None
            )
            (keep if wanted else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep

    part = config.getoption("--part")
    if part:
        k, n = _part(part)
        drop = [item for item in items if not in_part(item.nodeid, k, n)]
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = [item for item in items if in_part(item.nodeid, k, n)]

    # Browser tests last: Playwright's sync API leaves an asyncio loop in the main thread for
    # the rest of the session, which would trip asyncio.run() in tests collected after them.
    items[:] = sorted(items, key=lambda item: item.get_closest_marker("browser") is not None)

    skip_browser = _browser_missing()
    skip_spark = _spark_missing()
    for item in items:
        if skip_browser and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=skip_browser))
        if skip_spark and item.get_closest_marker("spark"):
            item.add_marker(pytest.mark.skip(reason=skip_spark))


def pytest_runtest_setup(item):
    # A Django test marked `postgres` that does not ask for `pg_url` needs Django itself on
    # PostgreSQL (DATABASE_URL): skip it on SQLite instead of passing for the wrong reason.
    if item.get_closest_marker("postgres") is None or not _uses_django_db(item):
        return
    if "pg_url" in item.fixturenames or "fresh_pg_url" in item.fixturenames or "pg_database" in item.fixturenames:
        return
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine:
        pytest.skip("needs Django on PostgreSQL: run with DATABASE_URL=postgresql://... (make test does)")


def _browser_missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def _spark_missing() -> str | None:
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install -e '.[test]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Java is not installed (Spark needs Java 17)"
    return None


@pytest.fixture(autouse=True)
def _default_language_after_each_test():
    """A request in English (LocaleMiddleware) leaves English active in the thread: reset it,
    so a later test does not see English messages depending on the order tests run in."""
    yield
    import sys

    if "django.utils.translation" in sys.modules:
        from django.conf import settings

        if settings.configured:
            from django.utils import translation

            translation.activate(settings.LANGUAGE_CODE)


# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def pg_url():
    """URL of the maintenance database of a running PostgreSQL (create your own from it)."""
    url = os.environ.get("BANGFU_TEST_PG_URL")
    if url:
        yield url
        return
    base = Path(tempfile.mkdtemp(prefix="bangfu-pg-"))
    try:
        base.chmod(0o755)  # the postgres user must reach its data directory inside
        cluster = PgCluster(base, free_port())
        cluster.start()
    except (ClusterError, OSError) as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"no PostgreSQL: set BANGFU_TEST_PG_URL or install the postgresql package ({exc})")
    try:
        yield cluster.url
    finally:
        cluster.destroy()


def _admin_execute(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)


def _with_database(url: str, dbname: str) -> str:
    from urllib.parse import urlparse, urlunparse

    return urlunparse(urlparse(url)._replace(path="/" + dbname))


def create_database(pg_url: str, name: str | None = None) -> str:
    """Create a new empty database on pg_url's server; return its URL."""
    name = name or f"t_{uuid.uuid4().hex[:12]}"
    _admin_execute(pg_url, f'CREATE DATABASE "{name}"')
    return _with_database(pg_url, name)


def drop_database(pg_url: str, name: str) -> None:
    _admin_execute(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_database(pg_url):
    """Factory of fresh databases: ``url = pg_database()``; all are dropped after the test."""
    made: list[str] = []

    def _make(name: str | None = None) -> str:
        name = name or f"t_{uuid.uuid4().hex[:12]}"
        url = create_database(pg_url, name)
        made.append(name)
        return url

    yield _make
    for name in made:
        drop_database(pg_url, name)


@pytest.fixture
def fresh_pg_url(pg_database):
    """URL of one new empty PostgreSQL database for this test."""
    return pg_database()


# --------------------------------------------------------------------------------------------
# Spark
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def spark(tmp_path_factory):
    """One SparkSession per test run (starting one costs several seconds)."""
    reason = _spark_missing()
    if reason:
        pytest.skip(reason)
    import sys

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    local_dir = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[2]")
        .appName("bangfu-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.memory", "1g")
        .config("spark.local.dir", str(local_dir))
        .config("spark.sql.warehouse.dir", str(local_dir / "warehouse"))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
    )
    from bangfu.core.engine import spark_conf  # BANGFU_SPARK_CONF, parsed and checked as for a run

    for key, value in spark_conf().items():
        session = session.config(key, value)
    session = session.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


# --------------------------------------------------------------------------------------------
# Browser (Playwright driving Debian's Chromium)
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    """Headless Chromium through Playwright's sync API, one per run.

    Playwright's sync API keeps an asyncio loop in the main thread, which makes Django refuse
    ORM calls there (SynchronousOnlyOperation): DJANGO_ALLOW_ASYNC_UNSAFE is set while it lives.
    """
    reason = _browser_missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        pw.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A new browser context and page for one test (1366x768, Chinese locale)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai")
    # make test runs four pytest processes on two cores: a page that imports a sheet (the fact
    # store refreshed in a child process) can take well over 15 s to answer there.
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def browser_page(page):
    """Alias of ``page``."""
    return page


@pytest.fixture
def live_url(live_server, transactional_db):
    """Base URL (no trailing slash) of the live test server; the database is transactional."""
    return live_server.url.rstrip("/")

from bangfu.testing.races import db_vendor  # noqa: E402,F401 - the fixture of the race tests
