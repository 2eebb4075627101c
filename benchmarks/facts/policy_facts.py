"""Facts for ``policy_run.py``: households, persons, employment months, enterprises,
contributions and workshops written straight into the Django schema with numpy and
``executemany`` (the generator's registry step encrypts every ID number and is far slower at
this size). The PII columns hold one valid token shared by every row: no policy reads them.
"""

from __future__ import annotations

import time

import numpy as np

from facts import say

MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]
PLACES = np.array(["in_county", "in_city", "out_of_city", "abroad"])
PLACE_P = [0.42, 0.24, 0.32, 0.02]
CHANNELS = np.array(["migrant", "local", "welfare_post", "workshop", "gig", "self_employed", "flexible"])
CHANNEL_P = [0.5, 0.2, 0.06, 0.05, 0.09, 0.05, 0.05]
ABILITIES = np.array(["ordinary", "skilled", "weak", "lost", "none"])
ABILITY_P = [0.62, 0.08, 0.12, 0.1, 0.08]
HEALTH = np.array(["healthy", "chronic", "serious", "disabled"])
HEALTH_P = [0.8, 0.1, 0.04, 0.06]


def _without_indexes(cursor, table: str):
    """Drop the secondary indexes of ``table``; return their CREATE statements to put them back."""
    rows = cursor.execute("SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=? AND sql IS NOT NULL",
                          [table]).fetchall()
    for name, _sql in rows:
        cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in rows]


def generate(people: int, months_target: int, seed: int) -> dict:
    """Write households, persons, employment months, enterprises, contributions and workshops."""
    import sqlite3

    from django.conf import settings
    from django.utils import timezone

    from bangfu.core.pii import pii_encrypt
    from bangfu.registry import reference

    rng = np.random.default_rng(seed)
    path = settings.DATABASES["default"]["NAME"]
    con = sqlite3.connect(path)
    cur = con.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=OFF")
    cur.execute("PRAGMA cache_size=-1048576")
    now = timezone.now().isoformat(sep=" ")
    token = pii_encrypt("500230198506010018")
    timings = {}

    townships = [code for code, row in reference.divisions().items() if len(code) == 9]
    t_of_person = rng.choice(np.array(townships), people)
    district_of = np.array([t[:6] for t in t_of_person])

    started = time.perf_counter()
    households = max(1, people // 3)
    hh_of_person = np.sort(rng.integers(1, households + 1, people))
    restore = _without_indexes(cur, "registry_household")
    cur.executemany(
        "INSERT INTO registry_household (id, created_at, updated_at, number, district_code, township_code, village, category) "
        "VALUES (?, ?, ?, ?, ?, ?, '村', 'alleviated')",
        ((i, now, now, f"B{i:09d}", "500230", "500230101") for i in range(1, households + 1)))
    for sql in restore:
        cur.execute(sql)
    con.commit()

    birth = (np.datetime64("1950-01-01") + rng.integers(0, 365 * 62, people).astype("timedelta64[D]")).astype(str)
    category = np.where(rng.random(people) < 0.12, "monitored", "alleviated")
    ability = rng.choice(ABILITIES, people, p=ABILITY_P)
    health = rng.choice(HEALTH, people, p=HEALTH_P)
    in_school = rng.random(people) < 0.06
    sex = np.where(rng.random(people) < 0.5, "M", "F")
    restore = _without_indexes(cur, "registry_person")
    chunk = 100_000
    for start in range(0, people, chunk):
        stop = min(people, start + chunk)
        cur.executemany(
            "INSERT INTO registry_person (id, created_at, updated_at, name, id_number, id_number_hash, sex, birth_date, "
            "relation, phone, phone_hash, district_code, township_code, village, category, labour_ability, education, "
            "health, in_school, skills, certificates, accepted_places, expected_wage_fen, content_hash, household_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'head', '', '', ?, ?, '村', ?, ?, 'junior', ?, ?, '', '', '', NULL, '', ?)",
            ((i + 1, now, now, f"人员{i + 1}", token, f"h{i + 1}", sex[i], birth[i], district_of[i], t_of_person[i],
              category[i], ability[i], health[i], int(in_school[i]), int(hh_of_person[i])) for i in range(start, stop)))
    for sql in restore:
        cur.execute(sql)
    con.commit()
    timings["persons"] = round(time.perf_counter() - started, 1)
    say(f"  persons: {people:,} in {timings['persons']} s")

    # Employment: a share of persons employed for a contiguous spell of 12-24 of the 24 months.
    started = time.perf_counter()
    mean_spell = 18.0
    employed_share = min(1.0, months_target / (people * mean_spell))
    employed = np.flatnonzero(rng.random(people) < employed_share)
    spell = rng.integers(12, 25, len(employed))
    first = (rng.random(len(employed)) * (25 - spell)).astype(int)
    place_of = rng.choice(PLACES, len(employed), p=PLACE_P)
    channel_of = rng.choice(CHANNELS, len(employed), p=CHANNEL_P)
    restore = _without_indexes(cur, "monitoring_employmentmonth")
    total = 0
    batch = []
    for k, p in enumerate(employed):
        pid = int(p) + 1
        place, channel = place_of[k], channel_of[k]
        income = int(rng.integers(2000, 9000)) * 100
        for m in range(first[k], first[k] + spell[k]):
            batch.append((now, now, MONTHS[m], place, "", channel, "", "", "", "", income, pid))
        if len(batch) >= 500_000:
            cur.executemany(
                "INSERT INTO monitoring_employmentmonth (created_at, updated_at, month, place_class, destination_code, "
                "channel, employer_name, employer_uscc, job_title, occupation_code, income_fen, person_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
            total += len(batch)
            batch = []
    if batch:
        cur.executemany(
            "INSERT INTO monitoring_employmentmonth (created_at, updated_at, month, place_class, destination_code, "
            "channel, employer_name, employer_uscc, job_title, occupation_code, income_fen, person_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch)
        total += len(batch)
    con.commit()
    timings["employment_load"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    for sql in restore:
        cur.execute(sql)
    con.commit()
    timings["employment_indexes"] = round(time.perf_counter() - started, 1)
    say(f"  employment months: {total:,} in {timings['employment_load']} s + indexes {timings['employment_indexes']} s")

    # Enterprises, contributions (2% of workers, up to 40 months), workshops with members.
    started = time.perf_counter()
    districts = sorted(set(district_of.tolist()))
    n_firms = max(10, people // 150)
    firm_district = rng.choice(np.array(districts), n_firms)
    cur.executemany(
        "INSERT INTO employers_employer (id, created_at, updated_at, name, uscc, place_code, district_code, township_code, "
        "cooperation_region, contact_name, contact_phone, contact_phone_hash, credit_rating, bank_name, bank_account, "
        "bank_account_hash, owner_area_code) VALUES (?, ?, ?, ?, ?, ?, ?, '', '', '', '', '', 'B', '', '', '', ?)",
        ((i, now, now, f"企业{i}", f"91500000BENCH{i:05d}", firm_district[i - 1], firm_district[i - 1],
          firm_district[i - 1]) for i in range(1, n_firms + 1)))
    all_months = [f"{y}-{m:02d}" for y in (2021, 2022, 2023, 2024) for m in range(1, 13)]
    insured = np.flatnonzero((rng.random(people) < 0.02) & np.isin(ability, ["ordinary", "skilled", "weak"]))
    rows = []
    for p in insured:
        firm = int(rng.integers(1, n_firms + 1))
        length = int(rng.integers(3, 41))
        end = len(all_months) - 1 - int(rng.integers(0, 6))
        for month in all_months[max(0, end - length + 1):end + 1]:
            for kind, er in (("pension", 0.16), ("medical", 0.085), ("unemployment", 0.005), ("injury", 0.004)):
                rows.append((now, int(p) + 1, firm, month, kind, round(450_000 * er), round(450_000 * er / 2)))
    restore = _without_indexes(cur, "insurance_socialinsurancecontribution")
    cur.executemany(
        "INSERT INTO insurance_socialinsurancecontribution (created_at, person_id, employer_id, month, insurance_type, "
        "employer_fen, worker_fen) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    for sql in restore:
        cur.execute(sql)
    n_shops = max(3, people // 400)
    shop_town = rng.choice(t_of_person, n_shops)
    cur.executemany(
        "INSERT INTO network_workshop (id, created_at, updated_at, code, name, employer_id, district_code, "
        "township_code, recognised_on, active, workshop_type, status, exit_reason, industry, total_workers) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 1, 'factory', 'running', '', '', 0)",
        ((i, now, now, f"BENCH{i:06d}", f"车间{i}", int(rng.integers(1, n_firms + 1)), shop_town[i - 1][:6],
          shop_town[i - 1]) for i in range(1, n_shops + 1)))
    members = []
    for shop in range(1, n_shops + 1):
        for p in rng.choice(people, int(rng.integers(3, 31)), replace=False):
            months = int(rng.integers(2, 25))
            start = int(rng.integers(0, 25 - months))
            end = start + months - 1
            members.append((now, now, shop, int(p) + 1, MONTHS[start], "" if end == 23 else MONTHS[end]))
    cur.executemany(
        "INSERT OR IGNORE INTO network_workshopmember (created_at, updated_at, workshop_id, person_id, start_month, end_month) "
        "VALUES (?, ?, ?, ?, ?, ?)", members)
    con.commit()
    cur.execute("ANALYZE")
    con.commit()
    cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # start the runs from a clean database file
    con.close()
    timings["other_facts"] = round(time.perf_counter() - started, 1)
    say(f"  enterprises {n_firms:,}, contributions {len(rows):,}, workshops {n_shops:,}, members {len(members):,} "
        f"in {timings['other_facts']} s")
    return {"persons": people, "employment_months": total, "contributions": len(rows), "enterprises": n_firms,
            "workshops": n_shops, "workshop_members": len(members), "seconds": timings}


COPIED_TABLES = ("registry_household", "registry_person", "monitoring_employmentmonth", "employers_employer",
                 "insurance_socialinsurancecontribution", "network_workshop", "network_workshopmember")


def copy_to_postgres(sqlite_path, pg_url: str) -> dict:
    """Copy the generated facts from a benchmark SQLite file into the (migrated, empty) PostgreSQL
    database with DuckDB (sqlite_scanner to postgres_scanner, which writes with COPY), then
    move the id sequences past the copied ids and ANALYZE."""
    import duckdb
    import psycopg

    from bangfu.engine.backends import libpq_dsn, load_extension, typed_select

    started = time.perf_counter()
    raw = duckdb.connect()
    load_extension(raw, "sqlite_scanner")
    load_extension(raw, "postgres_scanner")
    raw.execute(f"ATTACH '{sqlite_path}' AS lite (TYPE sqlite, READ_ONLY)")
    raw.execute(f"ATTACH '{libpq_dsn(pg_url)}' AS pg (TYPE postgres)")
    rows = {}
    for table in COPIED_TABLES:
        begun = time.perf_counter()
        raw.execute(f'INSERT INTO pg.public."{table}" BY NAME SELECT {typed_select(sqlite_path, table)} '
                    f'FROM lite.main."{table}"')
        rows[table] = raw.execute(f'SELECT count(*) FROM lite.main."{table}"').fetchone()[0]
        say(f"  copied {table}: {rows[table]:,} rows in {time.perf_counter() - begun:.1f} s")
    raw.close()
    with psycopg.connect(libpq_dsn(pg_url), autocommit=True) as con:
        for table in COPIED_TABLES:
            con.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM \"{table}\"))")
        con.execute("ANALYZE")
    return {"rows": rows, "seconds": round(time.perf_counter() - started, 1)}


def sqlite_source(sqlite_var, script: str, args):
    """The BANGFU_VAR of the SQLite database whose facts ``--database`` copies into PostgreSQL:
    generated by a child run of ``script --generate-only`` when it holds none yet."""
    import subprocess
    import sys

    if not (sqlite_var / "bangfu.sqlite3").exists():
        say(f"generating the facts in SQLite ({sqlite_var}) to copy into PostgreSQL …")
        subprocess.run([sys.executable, script, "--var", str(sqlite_var), "--people", str(args.people),
                        "--months", str(args.months), "--seed", str(args.seed), "--generate-only"], check=True)
    return sqlite_var
