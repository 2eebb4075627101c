"""The resumable KPI fill: the engine computes, this service writes (Zulip's FillState pattern).

1. The months to do are those of the range that are not DONE (all of them with ``force``).
2. They are marked STARTED in one transaction, before any computing.
3. The engine (``bangfu.engine.kpi`` in a ``bangfu.core.engine`` session, DuckDB attached to the
   database by default) computes all of them in one pass, outside any transaction, and is
   closed before writing.
4. Each month is then written in its own transaction: its old KPI rows deleted, the new ones
   bulk-inserted, its state set DONE. A process killed anywhere leaves every month either DONE
   with complete rows or STARTED, which the next fill redoes.
5. One audit row per fill, in the transaction of the last month written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Min
from django.utils import timezone

from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.core.engine import engine_kind, engine_session
from bangfu.engine.kpi import KpiInputs, compute_kpis, month_range, parse_month
from bangfu.engine.kpi import expressions as x
from bangfu.engine import schema as s
from bangfu.engine.schema import KPI_AREA_COLUMNS, KPI_BREAKDOWN_COLUMNS, KPI_INPUT_TABLES
from bangfu.monitoring.choices import FillStateChoice
from bangfu.monitoring.models import EmploymentMonth, KpiArea, KpiBreakdown, KpiFillState
from bangfu.monitoring.services.figures import figure_tables, figures_compute, figures_write_month

logger = logging.getLogger(__name__)

ERR_RANGE = "起始月份不能晚于结束月份"
ERR_NO_DATA = "还没有任何务工记录，无法计算指标"
ROWS_PER_STATEMENT = 250  # SQLite: rows bound to one INSERT
SQLITE_MAX_VARIABLES = 32_766  # SQLite's limit on bound variables (3.32 and later)
SQLITE_CACHE_KIB = 262_144
MEMORY_TABLES = (s.PERSON, s.HOUSEHOLD)  # copied into DuckDB once per fill (Engine.keep_in_memory)
# The columns of those that the KPIs and the programmes' figures (KPI_FIGURES) read: copying only
# these (no text dates, no free text) takes a fifth of the time of the whole rows. A figure reading
# another column fails on it (Ibis names the column): add it here.
MEMORY_COLUMNS = {
    s.PERSON: ("id", "household_id", "birth_date", "district_code", "township_code", "labour_ability",
               "category", "in_school"),
    s.HOUSEHOLD: ("id", "district_code", "township_code"),
}

Progress = Callable[[str, int, int], None]


@dataclass
class FillReport:
    months: list[str] = field(default_factory=list)  # months written
    skipped: list[str] = field(default_factory=list)  # already DONE
    empty: list[str] = field(default_factory=list)  # no employment recorded: no rows
    area_rows: int = 0
    breakdown_rows: int = 0
    figure_rows: int = 0  # the programmes' figures (KPI_FIGURES)
    engine: str = ""
    compute_seconds: float = 0.0
    write_seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "months": self.months, "skipped": self.skipped, "empty": self.empty,
            "area_rows": self.area_rows, "breakdown_rows": self.breakdown_rows,
            "figure_rows": self.figure_rows, "engine": self.engine, "compute_seconds": round(self.compute_seconds, 2),
            "write_seconds": round(self.write_seconds, 2),
        }


class FillError(ValueError):
    """The fill cannot run as asked; the message is Chinese."""


def data_month_range() -> tuple[str, str] | None:
    """(first, last) month with any employment recorded, from the month index."""
    # Two queries: SQLite answers a lone MIN or MAX from the index's end, both at once by a scan.
    first = EmploymentMonth.objects.aggregate(first=Min("month"))["first"]
    if not first:
        return None
    return first, EmploymentMonth.objects.aggregate(last=Max("month"))["last"]


def kpi_fill(
    *,
    actor: Actor,
    first: str | None = None,
    last: str | None = None,
    force: bool = False,
    engine: str | None = None,
    spark: Any = None,
    progress: Progress | None = None,
    compute: Callable[[list[str]], Any] | None = None,
) -> FillReport:
    """Fill the KPI tables for the months ``first``..``last`` (default: every month with data)
    on ``engine`` (default: the configured one, ``BANGFU["ENGINE"]``).

    ``compute`` replaces the engine run (tests); it takes the months and returns a KpiResult.
    """
    engine = engine_kind(engine)
    span = data_month_range()
    if span is None and (first is None or last is None):
        raise FillError(ERR_NO_DATA)
    first = first or span[0]
    last = last or span[1]
    parse_month(first)
    parse_month(last)
    if first > last:
        raise FillError(ERR_RANGE)
    months = month_range(first, last)
    done = set(KpiFillState.objects.filter(month__in=months, state=FillStateChoice.DONE)
               .values_list("month", flat=True))
    todo = months if force else [m for m in months if m not in done]
    report = FillReport(skipped=[] if force else sorted(done), engine=engine)
    if not todo:
        return report

    now = timezone.now()
    with transaction.atomic():
        for month in todo:
            KpiFillState.objects.update_or_create(
                month=month,
                # The month's old rows (and their counts) stay readable until it is rewritten.
                defaults={"state": FillStateChoice.STARTED, "engine": engine, "started_at": now,
                          "finished_at": None},
            )

    started = time.perf_counter()
    if progress:
        progress("compute", 0, len(todo))
    figures = None
    if compute is not None:
        result = compute(todo)
    else:
        tables = sorted(set(KPI_INPUT_TABLES) | set(figure_tables()))
        with engine_session(engine, for_write_back=True, tables=tables, spark=spark) as session:
            eng = session.engine
            # DuckDB: the registry's persons and households, read by dozens of queries (the KPIs
            # and the programmes' figures), copied in once: the columns they read, never the
            # encrypted and hash ones.
            eng.keep_in_memory(MEMORY_TABLES, drop=_unread_columns(), only=MEMORY_COLUMNS)
            # Spark, and DuckDB on the database, copy the window's employment months once (three
            # queries read them); DuckDB reads the fact store's Parquet files faster than a copy.
            cache = engine == "spark" or (engine == "duckdb" and s.EMPLOYMENT not in session.fact_tables)
            result = compute_kpis(KpiInputs.from_engine(eng), todo, execute=eng.to_pyarrow, cache=cache)
            eng.memo[x.CELLS_MEMO] = (result.cells, result.cell_months)
            if result.month_masks is not None:
                eng.memo[x.MASKS_MEMO] = result.month_masks
            figures = figures_compute(eng, todo, execute=eng.to_pyarrow)
    report.compute_seconds = time.perf_counter() - started
    if progress:
        progress("compute", len(todo), len(todo))

    started = time.perf_counter()
    for index, month in enumerate(todo, start=1):
        last_month = index == len(todo)
        with transaction.atomic():
            areas, breakdowns = _write_month(month, result, engine)
            report.figure_rows += figures_write_month(month, figures, _insert_rows)
            report.area_rows += areas
            report.breakdown_rows += breakdowns
            (report.months if month in result.months else report.empty).append(month)
            if last_month:
                report.write_seconds = time.perf_counter() - started
                audit_record(actor=actor, action="kpi.fill", area_code="50", detail=report.to_json())
        if progress:
            progress("write", index, len(todo))
    logger.info("kpi fill: %d months, %d area rows, %d breakdown rows, compute %.1fs write %.1fs",
                len(todo), report.area_rows, report.breakdown_rows, report.compute_seconds,
                report.write_seconds)
    return report


def _unread_columns() -> set[str]:
    """Columns of the registry tables no KPI reads: the encrypted PII and the hashes."""
    from bangfu.core.pii import EncryptedTextField
    from bangfu.registry.models import Household, Person

    return {f.column for model in (Person, Household) for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField) or f.column.endswith("_hash")}


def _write_month(month: str, result, engine: str) -> tuple[int, int]:
    KpiArea.objects.filter(month=month).delete()
    KpiBreakdown.objects.filter(month=month).delete()
    areas = result.area_rows(month)
    breakdowns = result.breakdown_tuples(month, KPI_BREAKDOWN_COLUMNS)
    _insert_rows(KpiArea, KPI_AREA_COLUMNS, areas)
    _insert_tuples(KpiBreakdown, KPI_BREAKDOWN_COLUMNS, breakdowns)
    KpiFillState.objects.filter(month=month).update(
        state=FillStateChoice.DONE, engine=engine, finished_at=timezone.now(),
        area_rows=len(areas), breakdown_rows=len(breakdowns),
    )
    return len(areas), len(breakdowns)


def _insert_rows(model, columns: tuple[str, ...], rows: list[dict]) -> None:
    """Bulk insert on the raw cursor: hundreds of thousands of small rows, no model objects."""
    _insert_tuples(model, columns, [tuple(r[c] for c in columns) for r in rows])


def _insert_tuples(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one stream, not a statement per row
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # SQLite: up to ROWS_PER_STATEMENT rows to a statement (its fixed cost paid once for them),
        # the rest one by one; a cache that holds the tables' B-trees while they are rewritten.
        per = max(1, min(ROWS_PER_STATEMENT, SQLITE_MAX_VARIABLES // len(columns)))
        full = len(rows) - len(rows) % per if per > 1 else 0
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        try:
            if full:
                many = f"INSERT INTO {table} ({names}) VALUES " + ", ".join([f"({marks})"] * per)
                cursor.executemany(many, ([v for row in rows[at:at + per] for v in row]
                                          for at in range(0, full, per)))
            if full < len(rows):
                cursor.executemany(sql, rows[full:])
        finally:
            cursor.execute("PRAGMA cache_size=-2000")
