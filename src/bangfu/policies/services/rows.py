"""The rows a policy commit writes (``runs._write``), built column-wise by DuckDB from the engine's
Arrow table: no Python loop per entitlement, the facts JSON included; and PostgreSQL's COPY of them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.utils import timezone

from bangfu.policies import choices as c

if TYPE_CHECKING:
    from bangfu.policies.models import PolicyRun

INSERT_COLUMNS = (
    "policy_id", "version_id", "run_id", "period", "beneficiary_kind", "beneficiary_id", "person_id", "employer_id",
    "workshop_id", "helper_id", "district_code", "township_code", "amount_fen", "status", "facts", "created_at", "decision_reason",
)
VALUE_COLUMNS = ("beneficiary_id", "district_code", "township_code", "amount_fen", "facts")  # SQLite: bound per row
COPY_TABLE = "policies_entitlement_load"  # PostgreSQL: the temporary table the rows are COPYed into
COPY_CHUNK = 20_000  # rows fetched from DuckDB at a time


def _sql_text(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def _facts_sql(calls, table) -> str:
    """The facts JSON text of a row: {feature text: value}, floats rounded to 2 places."""
    import pyarrow as pa

    facts = []
    for call in calls:
        column = f'e."{call.column}"'
        if pa.types.is_floating(table.schema.field(call.column).type):
            column = f"round({column}, 2)"
        facts.append(f"{_sql_text(call.text)}, {column}")
    return f"CAST(json_object({', '.join(facts)}) AS VARCHAR)" if facts else "'{}'"


def _created_at() -> str:
    now = timezone.now()
    created_at = connection.ops.adapt_datetimefield_value(now)  # SQLite: Django's text form
    return created_at if isinstance(created_at, str) else now.isoformat()


@contextmanager
def _over_arrow(table, query: str, params: list | None = None) -> Iterator[Any]:
    """``query`` run by an in-memory DuckDB over the Arrow table ``e`` (no database attached)."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("e", table)
        yield con.execute(query, params or [])
    finally:
        con.close()


@contextmanager
def entitlement_rows(run: PolicyRun, kind: str, calls, table) -> Iterator[Any]:
    """A DuckDB result of the entitlement rows, ``INSERT_COLUMNS`` in order, by beneficiary id (the
    unique index then grows at its end); facts a JSON text {feature text: value}, floats rounded
    to 2 places. An in-memory DuckDB over the Arrow table only: no database attached."""
    bid = "CAST(e.beneficiary_id AS BIGINT)"
    with _over_arrow(table, (
        "SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
        f"{bid}, {bid if kind == 'person' else 'NULL'}, {bid if kind == 'enterprise' else 'NULL'}, "
        f"{bid if kind == 'workshop' else 'NULL'}, {bid if kind == 'helper' else 'NULL'}, coalesce(e.district_code, ''), coalesce(e.township_code, ''), "
        f"CAST(e.amount_fen AS BIGINT), CAST(? AS VARCHAR), {_facts_sql(calls, table)}, CAST(? AS VARCHAR), '' "
        "FROM e ORDER BY e.beneficiary_id"
    ), [run.policy_id, run.version_id, run.pk, run.period, kind, c.EntitlementStatus.PENDING, _created_at()]) as result:
        yield result


@contextmanager
def entitlement_values(calls, table) -> Iterator[Any]:
    """SQLite: a DuckDB result of the values that differ from row to row, ``VALUE_COLUMNS`` in
    order, by beneficiary id; ``sqlite_insert_sql`` writes the rest into the statement."""
    with _over_arrow(table, (
        "SELECT CAST(e.beneficiary_id AS BIGINT), coalesce(e.district_code, ''), coalesce(e.township_code, ''), "
        f"CAST(e.amount_fen AS BIGINT), {_facts_sql(calls, table)} FROM e ORDER BY e.beneficiary_id"
    )) as result:
        yield result


def sqlite_insert_sql(run: PolicyRun, kind: str, rows: int = 1, created_at: str | None = None) -> str:
    """SQLite's INSERT of one commit's entitlements: the run's constants are literals of the
    statement (integers, and texts quoted), the ``VALUE_COLUMNS`` bound per row as ?1..?5 (the
    beneficiary id also fills its kind's foreign key): a third of the values bound per row.
    ``rows``: that many rows per statement, the k-th (from 0) bound as ?(5k+1)..?(5k+5);
    ``created_at``: the commit's time (default now) in Django's text form."""
    constants = {
        "policy_id": str(int(run.policy_id)), "version_id": str(int(run.version_id)), "run_id": str(int(run.pk)),
        "period": _sql_text(run.period), "beneficiary_kind": _sql_text(kind),
        "status": _sql_text(c.EntitlementStatus.PENDING), "created_at": _sql_text(created_at or _created_at()),
        "decision_reason": "''",
    }
    foreign_keys = {"person_id": "person", "employer_id": "enterprise", "workshop_id": "workshop", "helper_id": "helper"}
    tuples = []
    for k in range(rows):
        bound = {name: f"?{len(VALUE_COLUMNS) * k + i}" for i, name in enumerate(VALUE_COLUMNS, start=1)}
        bound.update({name: bound["beneficiary_id"] if kind == of else "NULL" for name, of in foreign_keys.items()})
        values = {**constants, **bound}
        tuples.append(f"({', '.join(values[name] for name in INSERT_COLUMNS)})")
    return (f"INSERT INTO policies_entitlement ({', '.join(INSERT_COLUMNS)}) "
            f"VALUES {', '.join(tuples)} ON CONFLICT DO NOTHING")


def copy_rows(cursor, result, write_chunk, chunk_size: int = COPY_CHUNK) -> int:
    """PostgreSQL: COPY the rows into a temporary table dropped at commit, then one INSERT
    ... SELECT ... ON CONFLICT DO NOTHING; its row count is the number of new entitlements.
    ``write_chunk(copy, rows)`` writes each chunk of rows into the COPY."""
    columns = ", ".join(INSERT_COLUMNS)
    cursor.execute(f"CREATE TEMPORARY TABLE {COPY_TABLE} ON COMMIT DROP AS "
                   f"SELECT {columns} FROM policies_entitlement WITH NO DATA")
    with cursor.cursor.copy(f"COPY {COPY_TABLE} ({columns}) FROM STDIN") as copy:
        while chunk := result.fetchmany(chunk_size):
            write_chunk(copy, chunk)
    cursor.execute(f"INSERT INTO policies_entitlement ({columns}) SELECT {columns} FROM {COPY_TABLE} "
                   "ORDER BY beneficiary_id ON CONFLICT DO NOTHING")
    created = cursor.rowcount
    cursor.execute(f"DROP TABLE {COPY_TABLE}")
    return created
