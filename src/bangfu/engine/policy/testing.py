"""Hand-built facts for engine tests and benchmarks, without Django.

``FactsDB`` creates the tables the policy engine reads, under their database names and with the
column types Django gives them (``bool`` in SQLite, as Django declares BooleanField), in a SQLite
file or a PostgreSQL database, and inserts rows given as dicts (missing columns get defaults).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bangfu.engine import features as ft
from bangfu.engine import schema

# table -> [(column, sqlite type, postgres type, default)]
TABLES: dict[str, list[tuple[str, str, str, Any]]] = {
    schema.PERSON: [
        ("id", "integer PRIMARY KEY", "bigint PRIMARY KEY", None),
        ("household_id", "bigint", "bigint", 1),
        ("sex", "varchar(1)", "varchar(1)", "M"),
        ("birth_date", "date", "date", "1985-06-01"),
        ("district_code", "varchar(6)", "varchar(6)", "500230"),
        ("township_code", "varchar(9)", "varchar(9)", "500230101"),
        ("category", "varchar(20)", "varchar(20)", "alleviated"),
        ("labour_ability", "varchar(20)", "varchar(20)", "ordinary"),
        ("health", "varchar(20)", "varchar(20)", "healthy"),
        ("in_school", "bool", "boolean", False),
    ],
    schema.DIVISION: [
        ("code", "varchar(12) PRIMARY KEY", "varchar(12) PRIMARY KEY", None),
        ("name", "varchar(60)", "varchar(60)", ""),
        ("level", "varchar(20)", "varchar(20)", "county"),
        ("parent_code", "varchar(12)", "varchar(12)", "50"),
        ("region_group", "varchar(20)", "varchar(20)", "northeast"),
    ],
    schema.EMPLOYMENT: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("person_id", "bigint", "bigint", None),
        ("month", "varchar(7)", "varchar(7)", None),
        ("place_class", "varchar(20)", "varchar(20)", "in_county"),
        ("destination_code", "varchar(12)", "varchar(12)", ""),
        ("channel", "varchar(20)", "varchar(20)", "migrant"),
        ("employer_name", "varchar(200)", "varchar(200)", ""),
        ("employer_uscc", "varchar(18)", "varchar(18)", ""),
        ("income_fen", "bigint", "bigint", None),
    ],
    ft.ENTERPRISE: [
        ("id", "integer PRIMARY KEY", "bigint PRIMARY KEY", None),
        ("name", "varchar(200)", "varchar(200)", "企业"),
        ("uscc", "varchar(18)", "varchar(18)", ""),
        ("district_code", "varchar(6)", "varchar(6)", "500230"),
        ("township_code", "varchar(9)", "varchar(9)", ""),
    ],
    ft.WORKSHOP: [
        ("id", "integer PRIMARY KEY", "bigint PRIMARY KEY", None),
        ("code", "varchar(40)", "varchar(40)", ""),
        ("name", "varchar(200)", "varchar(200)", "车间"),
        ("enterprise_id", "bigint", "bigint", None),
        ("district_code", "varchar(6)", "varchar(6)", "500230"),
        ("township_code", "varchar(9)", "varchar(9)", "500230101"),
        ("active", "bool", "boolean", True),
    ],
    ft.WORKSHOP_MEMBER: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("workshop_id", "bigint", "bigint", None),
        ("person_id", "bigint", "bigint", None),
        ("start_month", "varchar(7)", "varchar(7)", None),
        ("end_month", "varchar(7)", "varchar(7)", ""),
    ],
    ft.CONTRIBUTION: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("person_id", "bigint", "bigint", None),
        ("enterprise_id", "bigint", "bigint", None),
        ("month", "varchar(7)", "varchar(7)", None),
        ("insurance_type", "varchar(20)", "varchar(20)", "pension"),
        ("employer_fen", "bigint", "bigint", 0),
        ("worker_fen", "bigint", "bigint", 0),
    ],
    ft.POLICY: [
        ("id", "integer PRIMARY KEY", "bigint PRIMARY KEY", None),
        ("code", "varchar(50)", "varchar(50)", None),
    ],
    ft.ENTITLEMENT: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("policy_id", "bigint", "bigint", None),
        ("period", "varchar(7)", "varchar(7)", None),
        ("beneficiary_kind", "varchar(20)", "varchar(20)", "person"),
        ("beneficiary_id", "bigint", "bigint", None),
        ("status", "varchar(20)", "varchar(20)", "pending"),
        ("amount_fen", "bigint", "bigint", 0),
        ("district_code", "varchar(6)", "varchar(6)", ""),
        ("township_code", "varchar(9)", "varchar(9)", ""),
    ],
}

DIVISIONS = [
    {"code": "500230", "name": "丰都县", "level": "county", "parent_code": "50", "region_group": "northeast"},
    {"code": "500230101", "name": "三合街道", "level": "subdistrict", "parent_code": "500230", "region_group": "northeast"},
    {"code": "500230102", "name": "名山街道", "level": "subdistrict", "parent_code": "500230", "region_group": "northeast"},
    {"code": "500101", "name": "万州区", "level": "district", "parent_code": "50", "region_group": "northeast"},
    {"code": "500101001", "name": "高笋塘街道", "level": "subdistrict", "parent_code": "500101", "region_group": "northeast"},
    {"code": "500103", "name": "渝中区", "level": "district", "parent_code": "50", "region_group": "main_metro"},
    {"code": "500103001", "name": "七星岗街道", "level": "subdistrict", "parent_code": "500103", "region_group": "main_metro"},
]


class FactsDB:
    """Write facts tables into a SQLite file (``sqlite_path``) or a PostgreSQL database (``pg_url``)."""

    def __init__(self, *, sqlite_path: str | Path | None = None, pg_url: str | None = None):
        if (sqlite_path is None) == (pg_url is None):
            raise ValueError("give sqlite_path or pg_url")
        self.sqlite_path = Path(sqlite_path) if sqlite_path else None
        self.pg_url = pg_url
        self._create()

    def _connect(self):
        if self.sqlite_path is not None:
            return sqlite3.connect(self.sqlite_path)
        import psycopg

        return psycopg.connect(self.pg_url)

    def _create(self) -> None:
        pg = self.pg_url is not None
        con = self._connect()
        try:
            for table, columns in TABLES.items():
                cols = ", ".join(f'"{c}" {pt if pg else st}' for c, st, pt, _ in columns)
                con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({cols})')
            con.commit()
        finally:
            con.close()
        self.insert(schema.DIVISION, DIVISIONS)

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> None:
        rows = list(rows)
        if not rows:
            return
        columns = TABLES[table]
        names = [c for c, *_ in columns if any(c in r for r in rows) or _default(columns, c) is not None]
        mark = "%s" if self.pg_url else "?"
        sql = f'INSERT INTO "{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) VALUES ({", ".join([mark] * len(names))})'
        values = [tuple(r.get(n, _default(columns, n)) for n in names) for r in rows]
        con = self._connect()
        try:
            if self.pg_url:
                with con.cursor() as cur:
                    cur.executemany(sql, values)
            else:
                con.executemany(sql, values)
            con.commit()
        finally:
            con.close()

    def execute(self, sql: str) -> None:
        con = self._connect()
        try:
            con.execute(sql)
            con.commit()
        finally:
            con.close()


def _default(columns, name):
    for c, _, _, default in columns:
        if c == name:
            return default
    return None
