"""Loading generated households and persons with bulk inserts on the raw DB-API cursor.

The ORM is bypassed on purpose: 1.9 million ``Person`` objects would cost minutes and
gigabytes. Primary keys are assigned here (after the current maximum) so persons can point
at their households without reading ids back. Each chunk of households is one transaction
holding the households and all their members, so a killed load leaves no half household.
One audit row records the whole load. ``content_hash`` is left empty: the importer treats
such a row as changed once and fills it.
"""

from __future__ import annotations

import itertools
import os
import time
from typing import Any

import numpy as np
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from bangfu.core.actors import SYSTEM
from bangfu.core.audit import audit_record
from bangfu.registry.generate.context import GenerateContext
from bangfu.registry.generate.protect import protect_chunks
from bangfu.registry.models import Household, Person

ERR_NOT_EMPTY = "花名册中已有 {count} 户数据；--load 只能装入空的花名册（请换一个空数据库）"
CHUNK_HOUSEHOLDS = 20_000  # about 66,000 persons a transaction
POOL_THRESHOLD = 200_000  # below this many persons, encrypting in-process is quicker


class RegistryNotEmpty(RuntimeError):
    pass


def local_datetime(year: int, month: int, day: int, hour: int):
    """A wall-clock time of the programme's zone as the database stores a DateTimeField."""
    import datetime as dt

    return connection.ops.adapt_datetimefield_value(timezone.make_aware(dt.datetime(year, month, day, hour)))


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
        (current,) = cursor.fetchone()
    return int(current or 0) + 1


def _insert(model, values: dict[str, Any], n: int) -> None:
    """Insert ``n`` rows; ``values`` maps a field's attname to a list (one per row) or a constant.

    Fields not in ``values`` get their model default, so a column added later still loads.
    """
    fields = model._meta.concrete_fields
    columns = []
    for f in fields:
        value = values[f.attname] if f.attname in values else f.get_db_prep_save(f.get_default(), connection)
        columns.append(value if isinstance(value, list) else itertools.repeat(value, n))
    rows = zip(*columns)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def _tune_sqlite(loading: bool) -> None:
    """Bigger cache and no fsync while loading; WAL keeps every committed chunk consistent."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return  # inside a transaction (tests) SQLite would not take these settings anyway
    with connection.cursor() as cursor:
        bulk_journal(cursor, loading)
        if loading:
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-524288")  # 512 MiB
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.execute("PRAGMA threads=2")  # helper threads for the sorts of the index builds
        else:
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute("PRAGMA temp_store=DEFAULT")
            cursor.execute("PRAGMA threads=0")


def bulk_journal(cursor, loading: bool) -> None:
    """SQLite, a bulk load (no transaction open): a rollback journal instead of the WAL while
    loading, so each new page is written once to the database file, not to the WAL and then
    again by the checkpoint; the WAL again afterwards. A rollback still undoes a failed chunk.
    With another connection open the mode cannot change and the load keeps the WAL."""
    from django.db import OperationalError

    try:
        cursor.execute("PRAGMA journal_mode=TRUNCATE" if loading else "PRAGMA journal_mode=WAL")
    except OperationalError:  # locked by another connection: stay as it is
        pass


def _drop_sqlite_indexes(models) -> list[str]:
    """SQLite, loading an empty registry: drop the tables' secondary indexes (the CREATE INDEX
    statements are returned, to run after the load). Each of them kept while millions of rows
    go in costs a random B-tree insert per row; built once afterwards it is one sort. The
    unique constraints (SQLite's own autoindexes) stay and keep checking every row."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return []
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                       f"AND tbl_name IN ({', '.join(['%s'] * len(tables))}) ORDER BY name", tables)
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1)
            .replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", 1) for _name, sql in found]


def _create_indexes(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _household_chunks(ctx: GenerateContext) -> list[tuple[slice, slice]]:
    """(households, persons) slices; persons are ordered by household so both are contiguous."""
    first = ctx.households["first_person"]
    count = ctx.household_count
    out = []
    for start in range(0, count, CHUNK_HOUSEHOLDS):
        stop = min(start + CHUNK_HOUSEHOLDS, count)
        p_start = int(first[start])
        p_stop = int(first[stop]) if stop < count else ctx.person_count
        out.append((slice(start, stop), slice(p_start, p_stop)))
    return out


def _statistics() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA analysis_limit=1000")  # sampled: seconds, not minutes
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            for model in (Household, Person):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def registry_load_generated(ctx: GenerateContext, *, processes: int | None = None) -> dict[str, int]:
    """Write ``ctx.households`` and ``ctx.persons``; fill their ``id`` with the database keys."""
    existing = Household.objects.count()
    if existing:
        raise RegistryNotEmpty(ERR_NOT_EMPTY.format(count=existing))
    h, p = ctx.households, ctx.persons
    h["id"] = np.arange(ctx.household_count, dtype=np.int64) + _next_id(Household)
    p["id"] = np.arange(ctx.person_count, dtype=np.int64) + _next_id(Person)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    birth = p["birth_date"].astype(np.dtypes.StringDType())
    if processes is None:
        # One worker encrypts while this process inserts; on two cores a second worker only
        # takes CPU from the inserts, which are the slower side.
        processes = max(1, min(2, (os.cpu_count() or 2) - 1)) if ctx.person_count >= POOL_THRESHOLD else 0
    chunks = _household_chunks(ctx)
    plain = ((p["id_number"][ps].tolist(), p["phone"][ps].tolist()) for _, ps in chunks)
    started = time.perf_counter()
    _tune_sqlite(True)
    indexes = _drop_sqlite_indexes((Household, Person))
    try:
        done = 0
        for (hs, ps), protected in zip(chunks, protect_chunks(settings.PII_KEY, plain, processes=processes)):
            id_tokens, id_hashes, phone_tokens, phone_hashes = protected
            n_h, n_p = hs.stop - hs.start, ps.stop - ps.start
            wage = p["expected_wage_fen"][ps]
            with transaction.atomic():
                _insert(Household, {
                    "id": h["id"][hs].tolist(), "created_at": now, "updated_at": now,
                    "number": h["number"][hs].tolist(), "district_code": h["district_code"][hs].tolist(),
                    "township_code": h["township_code"][hs].tolist(), "village": h["village"][hs].tolist(),
                    "category": h["category"][hs].tolist(),
                }, n_h)
                _insert(Person, {
                    "id": p["id"][ps].tolist(), "created_at": now, "updated_at": now,
                    "household_id": h["id"][p["household_index"][ps]].tolist(),
                    "name": p["name"][ps].tolist(),
                    "id_number": id_tokens, "id_number_hash": id_hashes,
                    "sex": p["sex"][ps].tolist(), "birth_date": birth[ps].tolist(),
                    "relation": p["relation"][ps].tolist(),
                    "phone": phone_tokens, "phone_hash": phone_hashes,
                    "district_code": p["district_code"][ps].tolist(),
                    "township_code": p["township_code"][ps].tolist(),
                    "village": p["village"][ps].tolist(), "category": p["category"][ps].tolist(),
                    "labour_ability": p["labour_ability"][ps].tolist(),
                    "education": p["education"][ps].tolist(), "health": p["health"][ps].tolist(),
                    "in_school": p["in_school"][ps].tolist(), "skills": p["skills"][ps].tolist(),
                    "certificates": p["certificates"][ps].tolist(),
                    "accepted_places": p["accepted_places"][ps].tolist(),
                    "expected_wage_fen": np.where(wage > 0, wage, None).tolist(),
                    "content_hash": "",
                }, n_p)
            done += n_p
            ctx.progress("load", done, ctx.person_count)
        _create_indexes(indexes)
        indexes = []
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person]):
                cursor.execute(sql)
        _statistics()
    finally:
        _create_indexes(indexes)  # a failed load leaves its tables with every index
        _tune_sqlite(False)
    counts = {"households": ctx.household_count, "persons": ctx.person_count}
    with transaction.atomic():
        audit_record(actor=SYSTEM, action="registry.generate", area_code="50", detail={
            **counts, "seed": ctx.seed, "scenario": ctx.scenario, "as_of": ctx.as_of.isoformat(),
            "seconds": round(time.perf_counter() - started, 1),
        })
    return counts
