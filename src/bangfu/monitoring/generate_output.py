"""The generated employment months as rows: loaded into the database or written as files
(``monitoring.generate``)."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from bangfu.core.actors import SYSTEM

from bangfu.monitoring.generate_jobs import _job_index
from bangfu.monitoring.generate_params import (
    INCOME_NOT_REPORTED, CSV_HEADERS,
)


# ---- employment rows ------------------------------------------------------------------------------
def employment_rows(ctx, months, jobs, employed, incomes, persons: slice,
                    reported: np.ndarray | None = None) -> Iterator[tuple]:
    """(person index, month, place, destination, channel, employer, uscc, title, occupation,
    income fen or None), person by person, month by month, for the persons of ``persons``."""
    job_of = _job_index(months)
    by_month = [np.flatnonzero(e[persons]) + persons.start for e in employed]
    per_person: list[tuple[int, int]] = []
    for m, people in enumerate(by_month):
        per_person.extend((int(i), m) for i in people)
    per_person.sort()
    for i, m in per_person:
        job = jobs[job_of[m]]
        income = int(incomes[m][i])
        if reported is not None and not reported[m][i - persons.start]:
            income = None
        yield (i, months[m], job["place"][i], job["destination"][i], job["channel"][i],
               job["employer_name"][i], job["employer_uscc"][i], job["job_title"][i],
               job["occupation"][i], income)


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
    from bangfu.monitoring.services import kpi_months_mark_stale, months_close_bulk

    rng = np.random.default_rng([ctx.seed, 8013])
    person_ids = ctx.persons["id"]
    household_ids = ctx.households["id"]
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    total = int(sum(e.sum() for e in employed))
    done = 0
    _tune(connection, True)
    try:
        for chunk in _person_chunks(ctx.person_count):
            reported = _reported(rng, months, chunk.stop - chunk.start)
            batch = []
            for row in employment_rows(ctx, months, jobs, employed, incomes, chunk, reported):
                batch.append((now, now, int(person_ids[row[0]]), *row[1:]))
            with transaction.atomic():
                _copy(connection, EmploymentMonth, (
                    "created_at", "updated_at", "person_id", "month", "place_class", "destination_code",
                    "channel", "employer_name", "employer_uscc", "job_title", "occupation_code",
                    "income_fen"), batch)
            done += len(batch)
            ctx.progress("务工记录", done, total)
        with transaction.atomic():
            _copy(connection, HouseholdIncome, (
                "created_at", "updated_at", "household_id", "year", "wage_fen", "business_fen",
                "property_fen", "transfer_fen", "total_fen"),
                [(now, now, int(household_ids[h]), *rest) for h, *rest in households])
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
        _tune(connection, False)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE monitoring_employmentmonth")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE monitoring_employmentmonth")


def _tune(connection, loading: bool) -> None:
    if connection.vendor != "sqlite" or connection.in_atomic_block:  # PRAGMA refused in a transaction
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=OFF" if loading else "PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-524288" if loading else "PRAGMA cache_size=-2000")


def _copy(connection, model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
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
    writers: dict[tuple[str, str], tuple] = {}
    try:
        for chunk in _person_chunks(ctx.person_count):
            reported = _reported(rng, months, chunk.stop - chunk.start)
            for i, month, place, dest, channel, employer, code, title, occ, income in employment_rows(
                    ctx, months, jobs, employed, incomes, chunk, reported):
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
