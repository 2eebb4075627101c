"""Parity: the same KPI fill gives identical tables on DuckDB, SQLite, PostgreSQL and Spark."""

from __future__ import annotations

import pytest

from bangfu.core.months import month_range
from bangfu.engine.backends import export_parquet, open_engine
from bangfu.engine.kpi import KpiInputs, compute_kpis
from bangfu.engine.schema import KPI_INPUT_TABLES
from bangfu.engine.tests.test_kpi import build_postgres, build_sqlite

MONTHS = month_range("2023-08", "2024-12")


def kpi_tables(engine, cache: bool = False) -> tuple[list[dict], list[dict]]:
    result = compute_kpis(KpiInputs.from_engine(engine), MONTHS, cache=cache)
    areas = [row for month in result.months for row in result.area_rows(month)]
    breakdowns = [row for month in result.months for row in result.breakdown_rows(month)]
    return areas, breakdowns


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The tables computed by the default engine (DuckDB attached to the SQLite file)."""
    db = build_sqlite(tmp_path_factory.mktemp("parity") / "kpi.sqlite3")
    with open_engine("duckdb", sqlite_path=db) as engine:
        return db, kpi_tables(engine)


def test_the_reference_fill_is_not_empty(reference):
    _, (areas, breakdowns) = reference
    assert {r["month"] for r in areas} == {"2023-09", "2023-12", "2024-01", "2024-08", "2024-09", "2024-10"}
    assert len(breakdowns) > 50


def test_sqlite_in_database_gives_identical_tables(reference):
    db, expected = reference
    with open_engine("sqlite", sqlite_path=db) as engine:
        assert kpi_tables(engine) == expected


@pytest.mark.parametrize("kind", ["duckdb", "sqlite"])
def test_caching_the_employment_months_first_changes_nothing(reference, kind):
    db, expected = reference
    with open_engine(kind, sqlite_path=db) as engine:
        assert kpi_tables(engine, cache=True) == expected


@pytest.mark.postgres
def test_postgres_in_database_gives_identical_tables(reference, fresh_pg_url):
    _, expected = reference
    url = build_postgres(fresh_pg_url)
    with open_engine("postgres", pg_url=url) as engine:
        assert kpi_tables(engine) == expected
    with open_engine("duckdb", pg_url=url) as engine:
        assert kpi_tables(engine) == expected


@pytest.mark.spark
def test_spark_over_parquet_exports_gives_identical_tables(reference, spark, tmp_path):
    db, expected = reference
    export_parquet(KPI_INPUT_TABLES, tmp_path / "parquet", sqlite_path=db)
    with open_engine("spark", parquet_dir=tmp_path / "parquet", spark=spark,
                     tables=KPI_INPUT_TABLES) as engine:
        assert kpi_tables(engine) == expected
        assert kpi_tables(engine, cache=True) == expected
