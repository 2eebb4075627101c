"""The batch engine opens on Django's own database (SQLite, or PostgreSQL with DATABASE_URL)."""

import pytest
from django.db import connection

from bangfu.core.engine import engine_for_default_database, postgres_url


def _users_by_role(engine):
    users = engine.table("accounts_user")
    expr = users.group_by("role").aggregate(n=users.count()).order_by("role")
    return {r["role"]: r["n"] for r in engine.to_pyarrow(expr).to_pylist()}


def test_the_default_engine_reads_committed_rows_of_the_django_database(transactional_db, make_user):
    make_user("district_officer", "500230")
    make_user("district_officer", "500101")
    make_user("auditor", "50")

    with engine_for_default_database() as engine:
        assert engine.kind == "duckdb"
        counts = _users_by_role(engine)
    assert counts == {"auditor": 1, "district_officer": 2}


def test_the_in_database_engine_gives_the_same_counts(transactional_db, make_user):
    make_user("township_officer", "500230100")
    kind = "postgres" if connection.vendor == "postgresql" else "sqlite"
    with engine_for_default_database(kind) as engine:
        assert _users_by_role(engine) == {"township_officer": 1}


def test_the_engine_reads_django_booleans_as_booleans(transactional_db, make_user):
    make_user("auditor", "50", is_active=False)
    with engine_for_default_database() as engine:
        users = engine.table("accounts_user")
        assert users.schema()["is_active"].is_boolean()
        assert engine.execute(users.filter(~users.is_active).count()) == 1


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
