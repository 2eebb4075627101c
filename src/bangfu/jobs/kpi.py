"""渝职聘's figures for the KPI tables (``KPI_FIGURES`` in ``jobs/hooks.py``), as engine queries.

Django-free: each takes an open ``bangfu.engine.backends.Engine`` and the month window and
returns an Ibis expression, so the same query runs on DuckDB, SQLite, PostgreSQL and Spark.
"""

from __future__ import annotations

PUSH = "jobs_push"
SERVICE_RECORD = "jobs_servicerecord"


def _count_by_month(table, first: str, last: str):
    t = table.filter((table.month >= first) & (table.month <= last))
    return t.group_by(["month", "district_code", "township_code"]).aggregate(value=t.count())


def pushes_by_month(engine, *, first: str, last: str):
    """Jobs pushed (岗位推送): one per push, in the month it was pushed, in the worker's area."""
    return _count_by_month(engine.table(PUSH), first, last)


def services_by_month(engine, *, first: str, last: str):
    """Employment services (就业服务人次): one per service record, in the month of the service."""
    return _count_by_month(engine.table(SERVICE_RECORD), first, last)
