"""The batch engine opens on Django's own database (SQLite, or PostgreSQL with DATABASE_URL)
through one session: the configured kind, Django's SQLite connection out of its way, a child
process outside the main thread, Spark on the configured master."""

import os
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse

from bangfu.core.engine import (
    engine_session, in_database_kind, postgres_url, set_spark_master, spark_conf, spark_master,
)
from bangfu.engine.backends import EngineError

USERS = ["accounts_user"]


def _users_by_role(engine):
    users = engine.table("accounts_user")
    expr = users.group_by("role").aggregate(n=users.count()).order_by("role")
    return {r["role"]: r["n"] for r in engine.to_pyarrow(expr).to_pylist()}


def users_by_role(engine):
    """A read for ``session.read``: module level, plain arguments, Django-free."""
    users = engine.table("accounts_user")
    return users.group_by("role").aggregate(n=users.count()).order_by("role")


def active_users(engine, *, active: bool):
    users = engine.table("accounts_user")
    return users.filter(users.is_active == active).select("username").order_by("username")


def failing_read(engine):
    raise RuntimeError("the disk is gone")


def on_sqlite() -> bool:
    return connection.vendor == "sqlite"


def open_files(path: Path) -> int:
    """How many file descriptors of this process point at ``path`` (Linux)."""
    target = str(path.resolve())
    count = 0
    for fd in Path("/proc/self/fd").iterdir():
        try:
            count += os.readlink(fd) == target
        except OSError:
            pass
    return count


@pytest.fixture
def three_users(transactional_db, make_user):
    make_user("district_officer", "500230")
    make_user("district_officer", "500101")
    make_user("auditor", "50", is_active=False)
    return {"auditor": 1, "district_officer": 2}


def test_the_default_engine_reads_committed_rows_of_the_django_database(three_users):
    with engine_session() as session:
        assert session.kind == "duckdb" and not session.child_process
        assert _users_by_role(session.engine) == three_users


def test_the_in_database_engine_gives_the_same_counts(transactional_db, make_user):
    make_user("township_officer", "500230100")
    with engine_session(in_database_kind()) as session:
        assert _users_by_role(session.engine) == {"township_officer": 1}


def test_the_engine_reads_django_booleans_as_booleans(three_users):
    with engine_session() as session:
        users = session.engine.table("accounts_user")
        assert users.schema()["is_active"].is_boolean()
        assert session.engine.execute(users.filter(~users.is_active).count()) == 1


def test_the_engine_kind_comes_from_the_setting_unless_given(three_users, settings):
    settings.BANGFU = {**settings.BANGFU, "ENGINE": in_database_kind()}
    with engine_session() as session:
        assert session.kind == in_database_kind()
        assert _users_by_role(session.engine) == three_users
    with engine_session("duckdb") as session:
        assert session.kind == "duckdb"


def test_an_unknown_engine_is_refused(transactional_db, settings):
    with pytest.raises(EngineError, match="unknown engine"):
        with engine_session("oracle"):
            pass
    settings.BANGFU = {**settings.BANGFU, "ENGINE": "excel"}
    with pytest.raises(EngineError, match="excel"):
        with engine_session():
            pass


def test_the_spark_master_comes_from_the_setting_then_the_environment(settings, monkeypatch):
    settings.BANGFU = {**settings.BANGFU, "SPARK_MASTER": "spark://10.0.0.5:7077"}
    assert spark_master() == "spark://10.0.0.5:7077"
    settings.BANGFU = {k: v for k, v in settings.BANGFU.items() if k != "SPARK_MASTER"}
    monkeypatch.setenv("BANGFU_SPARK_MASTER", "spark://10.0.0.6:7077")
    assert spark_master() == "spark://10.0.0.6:7077"
    monkeypatch.delenv("BANGFU_SPARK_MASTER")
    assert spark_master() == "local[2]"


def test_extra_spark_settings_come_from_the_setting_then_the_environment(settings, monkeypatch):
    settings.BANGFU = {**settings.BANGFU, "SPARK_CONF": {"spark.sql.shuffle.partitions": 400}}
    monkeypatch.setenv("BANGFU_SPARK_CONF", " spark.sql.codegen.wholeStage = false ,spark.sql.shuffle.partitions=64")
    assert spark_conf() == {"spark.sql.shuffle.partitions": "64", "spark.sql.codegen.wholeStage": "false"}
    monkeypatch.setenv("BANGFU_SPARK_CONF", "spark.sql.shuffle.partitions")
    with pytest.raises(EngineError, match="键=值"):
        spark_conf()


def test_on_sqlite_a_write_back_session_checkpoints_the_wal_and_closes_djangos_connection(three_users):
    if not on_sqlite():
        pytest.skip("SQLite connection handling")
    database = Path(connection.settings_dict["NAME"])
    wal = database.with_name(database.name + "-wal")
    with connection.cursor() as cursor:  # the committed users are in the WAL, not yet in the file
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    assert wal.exists() and wal.stat().st_size > 0
    with engine_session(for_write_back=True) as session:
        assert _users_by_role(session.engine) == three_users
        assert connection.connection is None
        assert not wal.exists() or wal.stat().st_size == 0
    # the block is over: nothing of the engine holds the file, and Django writes again
    assert open_files(database) == 0
    from bangfu.accounts.models import User

    User.objects.filter(role="auditor").update(display_name="审计")
    assert User.objects.get(role="auditor").display_name == "审计"


def test_a_parameter_read_inside_a_sqlite_session_reopens_no_django_connection(three_users, monkeypatch):
    # A KPI figure reads a parameter inside the fill's session; were the cache expired, Django
    # would reopen the file under DuckDB's SQLite, and the fill's commits after it were lost.
    if not on_sqlite():
        pytest.skip("SQLite connection handling")
    from bangfu.core import parameters

    monkeypatch.setattr(parameters, "CACHE_SECONDS", -1)  # every read outside a session queries
    with engine_session(for_write_back=True) as session:
        assert _users_by_role(session.engine) == three_users
        assert connection.connection is None
        assert parameters.get("PAGE_SIZE") == parameters.get("PAGE_SIZE")
        assert connection.connection is None
    parameters.get("PAGE_SIZE")
    assert connection.connection is not None  # outside the block it reads the database again


def test_a_django_query_inside_a_sqlite_session_is_refused_and_allowed_again_after_it(three_users):
    # Any Django query that would reopen the file under DuckDB's SQLite fails loudly, not silently.
    if not on_sqlite():
        pytest.skip("SQLite connection handling")
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    with engine_session(for_write_back=True) as session:
        assert _users_by_role(session.engine) == three_users
        with pytest.raises(EngineError, match="inside an engine session"):
            users.count()
        assert connection.connection is None  # refused and closed again
        assert _users_by_role(session.engine) == three_users  # the engine reads on
    assert users.count() == sum(three_users.values())


def test_read_gives_the_same_rows_in_this_process_and_in_a_child(three_users):
    with engine_session(child_process=False) as here:
        expected = here.read(users_by_role).to_pylist()
    with engine_session(child_process=True) as child:
        assert child.child_process == on_sqlite()  # PostgreSQL has no second SQLite to keep away
        assert child.read(users_by_role).to_pylist() == expected
        assert [r["username"] for r in child.read(active_users, active=False).to_pylist()] != []
    assert {r["role"]: r["n"] for r in expected} == three_users


def test_in_a_server_thread_duckdb_reads_in_a_child_process_and_the_engine_a_parquet_copy(three_users):
    seen = {}

    def in_thread():
        try:
            with engine_session(for_write_back=True, tables=USERS) as session:
                seen["child"] = session.child_process
                seen["read"] = {r["role"]: r["n"] for r in session.read(users_by_role).to_pylist()}
                seen["engine"] = _users_by_role(session.engine)
        finally:
            connection.close()

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join(timeout=300)
    assert seen == {"child": on_sqlite(), "read": three_users, "engine": three_users}


def test_a_failing_child_process_is_an_engine_error(three_users, monkeypatch):
    if not on_sqlite():
        pytest.skip("the child process serves SQLite only")
    with engine_session(child_process=True) as session:
        with pytest.raises(EngineError):
            session.read(failing_read)


def test_a_function_defined_inside_another_cannot_run_in_a_child(three_users):
    if not on_sqlite():
        pytest.skip("the child process serves SQLite only")
    with engine_session(child_process=True) as session:
        with pytest.raises(EngineError, match="module-level"):
            session.read(lambda engine: users_by_role(engine))


@pytest.mark.spark
def test_spark_reads_the_exported_tables_here_and_from_a_child_export(three_users, spark):
    with engine_session("spark", spark=spark, tables=USERS) as session:
        assert _users_by_role(session.engine) == three_users
    with engine_session("spark", spark=spark, tables=USERS, child_process=True) as session:
        assert _users_by_role(session.engine) == three_users


def test_the_parameter_page_shows_the_engine_settings_with_their_labels(db, client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("core:parameters")).content.decode()
    assert "批处理计算引擎" in html and "<td>duckdb</td>" in html
    assert "Spark 集群地址" in html


@pytest.mark.parametrize(
    ("settings_dict", "url"),
    [
        ({"NAME": "bangfu", "USER": "bf", "PASSWORD": "p@ss", "HOST": "db", "PORT": "6543"},
         "postgresql://bf:p%40ss@db:6543/bangfu"),
        ({"NAME": "bangfu", "USER": "", "PASSWORD": "", "HOST": "", "PORT": ""},
         "postgresql://127.0.0.1:5432/bangfu"),
        ({"NAME": "bangfu", "USER": "postgres", "PASSWORD": "", "HOST": "/run/postgresql", "PORT": ""},
         "postgresql://postgres@localhost:5432/bangfu?host=%2Frun%2Fpostgresql"),
    ],
)
def test_django_postgres_settings_become_an_engine_url(settings_dict, url):
    assert postgres_url(settings_dict) == url


def test_the_spark_master_is_local_a_standalone_cluster_or_a_spark_connect_server(settings, monkeypatch):
    monkeypatch.setenv("BANGFU_SPARK_MASTER", "local[2]")  # restored after the test
    for url in ("local[4]", "spark://127.0.0.1:7077", "sc://127.0.0.1:15002"):
        set_spark_master(url)
        assert spark_master() == url
    with pytest.raises(EngineError, match="sc://"):
        set_spark_master("yarn")
