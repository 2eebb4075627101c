"""The generated employment months as rows: loaded into the database or written as files
(``monitoring.generate``)."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from bangfu.core.actors import SYSTEM

from bangfu.monitoring.generate_jobs import _job_index
from bangfu.monitoring.generate_params import (
    INCOME_NOT_REPORTED, CSV_HEADERS,
)


# ---- employment rows ------------------------------------------------------------------------------
EMPLOYMENT_FIELDS = ("place", "destination", "channel", "employer_name", "employer_uscc", "job_title",
                     "occupation")


def employment_columns(ctx, months, jobs, employed, incomes, persons: slice,
                       reported: np.ndarray | None = None, ids: np.ndarray | None = None) -> list[list]:
    """The rows of ``employment_rows`` as columns (lists), built with numpy, not row by row:
    person index (or ``ids[index]`` when given), month, the job's fields of ``EMPLOYMENT_FIELDS``,
    income fen or None. ``jobs`` as ``object_jobs`` gives them is quickest (no conversion per chunk)."""
    job_of = np.asarray(_job_index(months))
    people, month_of = [], []
    for m, e in enumerate(employed):
        who = np.flatnonzero(e[persons]) + persons.start
        people.append(who)
        month_of.append(np.full(len(who), m, dtype=np.int64))
    person = np.concatenate(people) if people else np.zeros(0, dtype=np.int64)
    month = np.concatenate(month_of) if month_of else np.zeros(0, dtype=np.int64)
    order = np.argsort(person, kind="stable")  # months were concatenated in order: person, month
    person, month = person[order], month[order]
    second = job_of[month] == 1
    columns: list[list] = [(person if ids is None else ids[person]).tolist(),
                           np.asarray(months, dtype=object)[month].tolist()]
    for name in EMPLOYMENT_FIELDS:
        value = np.asarray(jobs[0][name], dtype=object)[person]
        if second.any():
            value[second] = np.asarray(jobs[1][name], dtype=object)[person[second]]
        columns.append(value.tolist())
    income = np.empty(len(person), dtype=object)
    if len(person):
        local = person - persons.start
        stacked = np.stack([np.asarray(i)[persons] for i in incomes])
        income[:] = stacked[month, local].astype(np.int64).tolist()
        if reported is not None:
            income[~reported[month, local]] = None
    columns.append(income.tolist())
    return columns


def object_jobs(jobs) -> list[dict[str, np.ndarray]]:
    """The fields of ``EMPLOYMENT_FIELDS`` of each year's jobs as object arrays, converted once
    (a fixed-width string array would be converted again for every chunk)."""
    return [{name: _as_objects(job[name]) for name in EMPLOYMENT_FIELDS} for job in jobs]


def _as_objects(values) -> np.ndarray:
    values = np.asarray(values)
    if values.dtype == object:
        return values
    codes, distinct = pd.factorize(values, use_na_sentinel=False)  # one str object per distinct value
    return np.asarray(distinct, dtype=object)[codes]


def employment_rows(ctx, months, jobs, employed, incomes, persons: slice,
                    reported: np.ndarray | None = None) -> Iterator[tuple]:
    """(person index, month, place, destination, channel, employer, uscc, title, occupation,
    income fen or None), person by person, month by month, for the persons of ``persons``."""
    return zip(*employment_columns(ctx, months, jobs, employed, incomes, persons, reported))


def _reported(rng, months, size: int) -> np.ndarray:
    return rng.random((len(months), size)) >= INCOME_NOT_REPORTED


def _person_chunks(n: int, size: int = 100_000) -> Iterator[slice]:
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def _load(ctx, months, jobs, employed, incomes, households, targets) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.core.audit import audit_record
    from bangfu.monitoring.models import EmploymentMonth, HouseholdIncome, Target
    from bangfu.registry.generate.loader import _create_indexes, _drop_sqlite_indexes
    from bangfu.monitoring.services import kpi_months_mark_stale, months_close_bulk

    rng = np.random.default_rng([ctx.seed, 8013])
    person_ids = ctx.persons["id"]
    household_ids = ctx.households["id"].tolist()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    total = int(sum(e.sum() for e in employed))
    done = 0
    fields = object_jobs(jobs)
    _tune(connection, True)
    # A fresh table (SQLite): its indexes are built once after the load, one sort each, instead
    # of a B-tree insert per row; the unique one still checks every row when it is built.
    indexes = [] if EmploymentMonth.objects.exists() else _drop_sqlite_indexes((EmploymentMonth,))
    expand = connection.vendor == "sqlite" and len(months) <= MASK_MONTHS
    try:
        if expand:
            _expand_create(connection, months)
        for chunk in _person_chunks(ctx.person_count):
            reported = _reported(rng, months, chunk.stop - chunk.start)
            with transaction.atomic():
                if expand:
                    n_rows = _expand_chunk(connection, months, fields, employed, incomes, chunk, reported,
                                           person_ids, now)
                else:
                    columns = employment_columns(ctx, months, fields, employed, incomes, chunk, reported,
                                                 person_ids)
                    n_rows = len(columns[0])
                    # An iterator, not a list: each row's tuple is made as it is bound, then freed.
                    batch = zip(itertools.repeat(now, n_rows), itertools.repeat(now, n_rows), *columns)
                    _copy(connection, EmploymentMonth, EMPLOYMENT_COLUMNS, batch)
            done += n_rows
            ctx.progress("务工记录", done, total)
        if expand:
            _expand_drop(connection)
        _create_indexes(indexes)
        indexes = []
        with transaction.atomic():
            _copy(connection, HouseholdIncome, (
                "created_at", "updated_at", "household_id", "year", "wage_fen", "business_fen",
                "property_fen", "transfer_fen", "total_fen"),
                [(now, now, household_ids[h], *rest) for h, *rest in households])
            for area, year, target in targets:
                Target.objects.update_or_create(area_code=area, year=year,
                                                defaults={"employment_target": target})
            kpi_months_mark_stale(months=months)
            # Every district has reported its history except the newest month, which a demo
            # then shows as partial (if its deadline has not passed) beside the complete ones.
            months_close_bulk(actor=SYSTEM, months=months[:-1], audit=False)
            audit_record(actor=SYSTEM, action="monitoring.generate", area_code="50",
                         detail=ctx.counts.get("monitoring", {}) | {"months": [months[0], months[-1]],
                                                                    "closed": [months[0], months[-2]]})
    finally:
        _create_indexes(indexes)  # a failed load leaves the table with every index
        _tune(connection, False)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE monitoring_employmentmonth")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE monitoring_employmentmonth")


# ---- SQLite: the months expanded by SQLite itself ---------------------------------------------------
# Binding 12 values per employment month from Python costs about three times what SQLite's own
# insert does. So each worker of a chunk is bound once, as one row of a temporary table (a bit
# mask of the months worked, the two years' jobs, an income per month), and one INSERT ... SELECT
# joins it with the months and writes the employment months, in the same order (person, month)
# and so with the same ids as a row-by-row load.
EMPLOYMENT_COLUMNS = ("created_at", "updated_at", "person_id", "month", "place_class", "destination_code",
                      "channel", "employer_name", "employer_uscc", "job_title", "occupation_code", "income_fen")
MASK_MONTHS = 62  # bits of a signed 64-bit mask
_PERSONS = "temp.bangfu_generate_worker"
_MONTHS = "temp.bangfu_generate_month"


def _expand_create(connection, months) -> None:
    jobs = [f"j{j}_{k}" for j in (0, 1) for k in range(len(EMPLOYMENT_FIELDS))]
    incomes = [f"i{m}" for m in range(len(months))]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_PERSONS}")
        cursor.execute(f"DROP TABLE IF EXISTS {_MONTHS}")
        cursor.execute(f"CREATE TABLE {_PERSONS} (id INTEGER PRIMARY KEY, mask INTEGER, "
                       f"{', '.join(jobs + incomes)})")
        cursor.execute(f"CREATE TABLE {_MONTHS} (idx INTEGER PRIMARY KEY, month TEXT, job INTEGER)")
        cursor.executemany(f"INSERT INTO {_MONTHS} VALUES (%s, %s, %s)",
                           [(m, month, job) for m, (month, job) in enumerate(zip(months, _job_index(months)))])


def _expand_sql(months) -> str:
    def job(k: int) -> str:
        return f"CASE m.job WHEN 0 THEN p.j0_{k} ELSE p.j1_{k} END"

    income = "CASE m.idx " + " ".join(f"WHEN {m} THEN p.i{m}" for m in range(len(months))) + " END"
    table = '"monitoring_employmentmonth"'
    # CROSS JOIN keeps the persons the outer loop: rows come person by person, month by month.
    return (f"INSERT INTO {table} ({', '.join(EMPLOYMENT_COLUMNS)}) "
            f"SELECT %s, %s, p.id, m.month, {', '.join(job(k) for k in range(len(EMPLOYMENT_FIELDS)))}, "
            f"{income} FROM {_PERSONS} p CROSS JOIN {_MONTHS} m WHERE (p.mask >> m.idx) & 1 "
            "ORDER BY p.id, m.idx")


def _expand_chunk(connection, months, jobs, employed, incomes, persons: slice, reported, ids, now) -> int:
    """The employment months of the chunk's persons, written by SQLite from one row per worker."""
    worked = np.stack([np.asarray(e[persons]) for e in employed])  # months x persons
    who = np.flatnonzero(worked.any(axis=0))
    if not len(who):
        return 0
    worked = worked[:, who]
    mask = (worked.astype(np.int64) << np.arange(len(months), dtype=np.int64)[:, None]).sum(axis=0)
    columns: list[list] = [ids[persons.start + who].tolist(), mask.tolist()]
    for job in (jobs[0], jobs[min(1, len(jobs) - 1)]):
        columns.extend(np.asarray(job[name], dtype=object)[persons.start + who].tolist()
                       for name in EMPLOYMENT_FIELDS)
    for m, values in enumerate(incomes):
        income = np.asarray(values)[persons][who].astype(np.int64).astype(object)
        income[~(reported[m, who] & worked[m])] = None
        columns.append(income.tolist())
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_PERSONS}")
        cursor.executemany(f"INSERT INTO {_PERSONS} VALUES ({', '.join(['%s'] * len(columns))})",
                           zip(*columns))
        cursor.execute(_expand_sql(months), [now, now])
        rows = cursor.rowcount
    return rows


def _expand_drop(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_PERSONS}")
        cursor.execute(f"DROP TABLE IF EXISTS {_MONTHS}")


def _tune(connection, loading: bool) -> None:
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # PRAGMA refused in a transaction
        return
    from bangfu.registry.generate.loader import bulk_journal

    with connection.cursor() as cursor:
        bulk_journal(cursor, loading)
        cursor.execute("PRAGMA synchronous=OFF" if loading else "PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-524288" if loading else "PRAGMA cache_size=-2000")
        # Helper threads for the sorter: the index built after the load sorts every row.
        cursor.execute("PRAGMA threads=2" if loading else "PRAGMA threads=0")


def _copy(connection, model, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


# ---- files ------------------------------------------------------------------------------------------
def _write_files(ctx, months, jobs, employed, incomes, households, targets) -> None:
    """Import-format files: employment per month and district, incomes per year, targets."""
    from bangfu.registry.choices import Channel, PlaceClass

    out = Path(ctx.out_dir) / "monitoring"
    out.mkdir(parents=True, exist_ok=True)
    place_label = {v: str(lbl) for v, lbl in PlaceClass.choices}
    channel_label = {v: str(lbl) for v, lbl in Channel.choices}
    p = ctx.persons
    id_numbers, names, districts = p["id_number"], p["name"], p["district_code"]
    rng = np.random.default_rng([ctx.seed, 8013])
    fields = object_jobs(jobs)
    writers: dict[tuple[str, str], tuple] = {}
    try:
        for chunk in _person_chunks(ctx.person_count):
            reported = _reported(rng, months, chunk.stop - chunk.start)
            for i, month, place, dest, channel, employer, code, title, occ, income in employment_rows(
                    ctx, months, fields, employed, incomes, chunk, reported):
                key = (month, str(districts[i]))
                if key not in writers:
                    path = out / f"employment_{month}_{key[1]}.csv"
                    fh = path.open("w", newline="", encoding="utf-8-sig")
                    w = csv.writer(fh)
                    w.writerow(CSV_HEADERS)
                    writers[key] = (fh, w)
                    ctx.files.append(path)
                writers[key][1].writerow((
                    str(id_numbers[i]), str(names[i]), month, place_label[place], dest,
                    channel_label[channel], employer, code, title, occ,
                    "" if income is None else f"{income / 100:.0f}"))
    finally:
        for fh, _ in writers.values():
            fh.close()
    numbers, hh_districts = ctx.households["number"], ctx.households["district_code"]
    files: dict[tuple[int, str], tuple] = {}
    try:
        for h, year, wage, business, prop, transfer, total in households:
            key = (year, str(hh_districts[h]))
            if key not in files:
                path = out / f"income_{year}_{key[1]}.csv"
                fh = path.open("w", newline="", encoding="utf-8-sig")
                w = csv.writer(fh)
                w.writerow(("户编号", "年度", "工资性收入", "经营性收入", "财产性收入", "转移性收入", "家庭纯收入"))
                files[key] = (fh, w)
                ctx.files.append(path)
            files[key][1].writerow((str(numbers[h]), year, *(
                f"{v / 100:.2f}" for v in (wage, business, prop, transfer, total))))
    finally:
        for fh, _ in files.values():
            fh.close()
    path = out / "targets.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(("区域代码", "年度", "务工规模目标"))
        w.writerows(targets)
    ctx.files.append(path)
