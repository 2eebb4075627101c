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
COPY_TABLE = "policies_entitlement_load"  # PostgreSQL: the temporary table the rows are COPYed into
COPY_CHUNK = 20_000  # rows fetched from DuckDB at a time


def _sql_text(value: str) -> str:
    return "'" + str(value).replace("'", "''") + "'"


@contextmanager
def entitlement_rows(run: PolicyRun, kind: str, calls, table) -> Iterator[Any]:
    """A DuckDB result of the entitlement rows, ``INSERT_COLUMNS`` in order, by beneficiary id (the
    unique index then grows at its end); facts a JSON text {feature text: value}, floats rounded
    to 2 places. An in-memory DuckDB over the Arrow table only: no database attached."""
    import duckdb
    import pyarrow as pa

    facts = []
    for call in calls:
        column = f'e."{call.column}"'
        if pa.types.is_floating(table.schema.field(call.column).type):
            column = f"round({column}, 2)"
        facts.append(f"{_sql_text(call.text)}, {column}")
    facts_sql = f"CAST(json_object({', '.join(facts)}) AS VARCHAR)" if facts else "'{}'"
    bid = "CAST(e.beneficiary_id AS BIGINT)"
    now = timezone.now()
    created_at = connection.ops.adapt_datetimefield_value(now)  # SQLite: Django's text form
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.register("e", table)
        yield con.execute(
            "SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR), CAST(? AS VARCHAR), "
            f"{bid}, {bid if kind == 'person' else 'NULL'}, {bid if kind == 'enterprise' else 'NULL'}, "
            f"{bid if kind == 'workshop' else 'NULL'}, {bid if kind == 'helper' else 'NULL'}, coalesce(e.district_code, ''), coalesce(e.township_code, ''), "
            f"CAST(e.amount_fen AS BIGINT), CAST(? AS VARCHAR), {facts_sql}, CAST(? AS VARCHAR), '' "
            "FROM e ORDER BY e.beneficiary_id",
            [run.policy_id, run.version_id, run.pk, run.period, kind, c.EntitlementStatus.PENDING,
             created_at if isinstance(created_at, str) else now.isoformat()],
        )
    finally:
        con.close()


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
