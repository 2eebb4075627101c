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
from bangfu.engine.policy.testing_outflow import OUTFLOW_TABLES, outflow_facts

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
    ft.EMPLOYER: [
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
        ("employer_id", "bigint", "bigint", None),
        ("district_code", "varchar(6)", "varchar(6)", "500230"),
        ("township_code", "varchar(9)", "varchar(9)", "500230101"),
        ("active", "bool", "boolean", True),
        ("recognised_on", "date", "date", None),
    ],
    ft.WORKSHOP_RATING: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("workshop_id", "bigint", "bigint", None),
        ("year", "integer", "integer", None),
        ("rating", "varchar(20)", "varchar(20)", ""),
        ("review_passed", "bool", "boolean", False),
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
        ("employer_id", "bigint", "bigint", None),
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
    ft.VULNERABLE_GROUP: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("person_id", "bigint", "bigint", None),
        ("group", "varchar(20)", "varchar(20)", "dibao"),
        ("year", "integer", "integer", 2024),
    ],
    ft.UI_CONTRIBUTION: [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("employer_id", "bigint", "bigint", None),
        ("month", "varchar(7)", "varchar(7)", None),
        ("scale", "varchar(10)", "varchar(10)", "sme"),
        ("insured_count", "integer", "integer", 10),
        ("base_fen", "bigint", "bigint", 0),
        ("rate_bp", "integer", "integer", 100),
        ("paid_fen", "bigint", "bigint", 0),
        ("reduction_fen", "bigint", "bigint", 0),
        ("leavers_claiming", "integer", "integer", 0),
    ],
    # skills training (bangfu.engine.features.training) and unemployment-benefit months
    "training_course": [
        ("id", "integer PRIMARY KEY", "bigint PRIMARY KEY", None),
        ("provider_id", "bigint", "bigint", None),
        ("level", "varchar(20)", "varchar(20)", "junior"),
        ("days", "integer", "integer", 10),
        ("start_date", "date", "date", "2024-03-01"),
        ("end_date", "date", "date", "2024-03-15"),
    ],
    "training_enrolment": [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("course_id", "bigint", "bigint", None),
        ("person_id", "bigint", "bigint", None),
        ("status", "varchar(20)", "varchar(20)", "completed"),
        ("days_attended", "integer", "integer", 10),
        ("completed_on", "date", "date", None),
    ],
    "training_certificate": [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("enrolment_id", "bigint", "bigint", None),
    ],
    "insurance_unemploymentbenefitmonth": [
        ("id", "integer PRIMARY KEY", "bigserial PRIMARY KEY", None),
        ("person_id", "bigint", "bigint", None),
        ("month", "varchar(7)", "varchar(7)", None),
        ("amount_fen", "bigint", "bigint", 0),
    ],
}

TABLES.update(OUTFLOW_TABLES)

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


# --------------------------------------------------------------------------------------------
# Hand-built facts for the four example policies, with the answers worked out (period 2024)
# --------------------------------------------------------------------------------------------
def example_facts() -> dict[str, list[dict[str, Any]]]:
    """Facts where each example policy has known beneficiaries (see ``EXAMPLE_EXPECTED``).

    Persons 1-11 (transport and pension premium):
      1 alleviated 1980 ordinary, out_of_city in 2024-03          -> transport 200
      2 monitored 1990 weak, in_city 2024-05 and in_county 2024-06 -> transport 50, pension 50 (part)
      3 alleviated born 2009-01-01 (15 at the end of 2024), in_city -> nothing
      4 alleviated 1985 no labour ability, out_of_city            -> nothing
      5 alleviated 1985 ordinary, in_county only                  -> nothing
      6 monitored 2000 ordinary, abroad 2024-08                   -> transport 200, pension 50 (part)
      7 alleviated 1970 disabled, severely disabled in 2024       -> pension 100
      8 monitored born 1964-06-01 (60 at the end of 2024)         -> nothing
      9 monitored 2006 in school                                  -> nothing
     10 monitored 1990 with employee pension paid in 2024          -> nothing
     11 alleviated 1990 healthy, no work, 特困 in 2024             -> pension 100
      5 is 低保 in 2023 only: not in 2024's premium on behalf
    Enterprises: 1 pays 1500 fen a month for person 10 (Jan-Mar 2024) and 30 fen for person 1
    in June (worker shares excluded) -> 45.30 yuan; 2 paid only in 2023; 3 paid 0 employer share.
    Workshops (award: rating x workers who stayed >= 3 months): 1 active, rated good, 10 members
    all year -> 30,000, recognised 2023 with its first build-grant half paid and the 2024 review
    passed -> the second half 250,000; 2 active, rated excellent, 4 members all year + 2 for 5
    months (6 < 10) -> nothing; 3 inactive, 8 members -> nothing; 4 active, recognised 2024-05,
    rated excellent, 5 members 2024-07 onward + 11 for exactly Oct-Dec (16) -> 40,000, and the
    first build-grant half 250,000.
    Unemployment insurance (job-retention refund, 2024): 1 SME, 12 months of 2024, 20 insured, no
    layoffs, 100 yuan a month -> 60 % of 1,200 = 720; 2 large since 2023-07, 100 insured, 5 left
    and claimed in 2024 (5 %), 1,000 a month -> 30 % of 12,000 = 3,600; 3 SME since 2023, 10
    insured, 1 left (10 %, ≤ 20 % for ≤ 30 insured), 30 a month -> 216; 4 like 3 but 3 left
    (30 %) -> nothing; 5 SME since 2024-06 (7 months) -> nothing.
    Helpers (the broker award): see ``testing_outflow.outflow_facts``.
    """
    persons = [
        {"id": 1, "birth_date": "1980-05-01"},
        {"id": 2, "birth_date": "1990-03-03", "category": "monitored", "labour_ability": "weak",
         "district_code": "500101", "township_code": "500101001"},
        {"id": 3, "birth_date": "2009-01-01"},
        {"id": 4, "birth_date": "1985-01-01", "labour_ability": "none"},
        {"id": 5, "birth_date": "1985-01-01"},
        {"id": 6, "birth_date": "2000-07-07", "category": "monitored", "township_code": "500230102"},
        {"id": 7, "birth_date": "1970-02-02", "health": "disabled"},
        {"id": 8, "birth_date": "1964-06-01", "category": "monitored"},
        {"id": 9, "birth_date": "2006-09-09", "category": "monitored", "in_school": True},
        {"id": 10, "birth_date": "1990-01-01", "category": "monitored"},
        {"id": 11, "birth_date": "1990-01-01"},
    ] + [{"id": 100 + i, "birth_date": "1988-01-01"} for i in range(1, 41)]
    employment = [
        {"person_id": 1, "month": "2024-03", "place_class": "out_of_city"},
        {"person_id": 2, "month": "2024-05", "place_class": "in_city"},
        {"person_id": 2, "month": "2024-06", "place_class": "in_county"},
        {"person_id": 3, "month": "2024-05", "place_class": "in_city"},
        {"person_id": 4, "month": "2024-05", "place_class": "out_of_city"},
        {"person_id": 5, "month": "2024-05", "place_class": "in_county"},
        {"person_id": 6, "month": "2024-08", "place_class": "abroad"},
        {"person_id": 11, "month": "2023-08", "place_class": "out_of_city"},
    ]
    contributions = [
        {"person_id": 10, "employer_id": 1, "month": f"2024-0{m}", "insurance_type": t, "employer_fen": fen, "worker_fen": 400}
        for m in (1, 2, 3) for t, fen in (("pension", 1000), ("medical", 500))
    ] + [
        {"person_id": 1, "employer_id": 1, "month": "2024-06", "insurance_type": "unemployment", "employer_fen": 20},
        {"person_id": 1, "employer_id": 1, "month": "2024-06", "insurance_type": "injury", "employer_fen": 10},
        {"person_id": 11, "employer_id": 2, "month": "2023-06", "insurance_type": "pension", "employer_fen": 900},
        {"person_id": 5, "employer_id": 3, "month": "2024-06", "insurance_type": "medical", "employer_fen": 0, "worker_fen": 300},
    ]
    members = []
    for i in range(1, 11):
        members.append({"workshop_id": 1, "person_id": 100 + i, "start_month": "2023-01", "end_month": ""})
    for i in range(11, 15):
        members.append({"workshop_id": 2, "person_id": 100 + i, "start_month": "2024-01", "end_month": "2024-12"})
    for i in range(15, 17):
        members.append({"workshop_id": 2, "person_id": 100 + i, "start_month": "2024-08", "end_month": ""})
    for i in range(17, 25):
        members.append({"workshop_id": 3, "person_id": 100 + i, "start_month": "2024-01", "end_month": ""})
    for i in range(25, 30):
        members.append({"workshop_id": 4, "person_id": 100 + i, "start_month": "2024-07", "end_month": ""})
    for i in range(30, 41):
        members.append({"workshop_id": 4, "person_id": 100 + i, "start_month": "2024-10", "end_month": "2024-12"})
    groups = [{"person_id": 7, "group": "severe_disability", "year": 2024},
              {"person_id": 11, "group": "tekun", "year": 2024},
              {"person_id": 5, "group": "dibao", "year": 2023}]
    ui = []
    for firm, scale, insured, base, months, leavers in (
            (1, "sme", 20, 1_000_000, [f"2024-{m:02d}" for m in range(1, 13)], 0),
            (2, "large", 100, 10_000_000, [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)
                                           if f"{y}-{m:02d}" >= "2023-07"], 5),
            (3, "sme", 10, 300_000, [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)], 1),
            (4, "sme", 10, 300_000, [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)], 3),
            (5, "sme", 10, 300_000, [f"2024-{m:02d}" for m in range(6, 13)], 0)):
        for month in months:
            left = leavers if month == "2024-06" else 0
            ui.append({"employer_id": firm, "month": month, "scale": scale, "insured_count": insured,
                       "base_fen": base, "paid_fen": base // 100, "reduction_fen": base // 100,
                       "leavers_claiming": left})
    helpers = outflow_facts(persons, employment)
    return {
        **helpers,
        ft.VULNERABLE_GROUP: groups,
        ft.UI_CONTRIBUTION: ui,
        schema.PERSON: persons,
        schema.EMPLOYMENT: employment,
        ft.EMPLOYER: [{"id": 1, "district_code": "500230"}, {"id": 2, "district_code": "500230"},
                        {"id": 3, "district_code": "500101"}, {"id": 4, "district_code": "500230"},
                        {"id": 5, "district_code": "500230"}],
        ft.CONTRIBUTION: contributions,
        ft.WORKSHOP: [{"id": 1, "employer_id": 1, "recognised_on": "2023-03-01"}, {"id": 2, "employer_id": 1},
                      {"id": 3, "employer_id": 1, "active": False, "recognised_on": "2024-02-01"},
                      {"id": 4, "employer_id": 3, "district_code": "500101", "township_code": "500101001",
                       "recognised_on": "2024-05-01"}],
        ft.WORKSHOP_MEMBER: members,
        ft.WORKSHOP_RATING: [{"workshop_id": 1, "year": 2024, "rating": "good", "review_passed": True},
                             {"workshop_id": 2, "year": 2024, "rating": "excellent"},
                             {"workshop_id": 3, "year": 2024, "rating": "excellent", "review_passed": True},
                             {"workshop_id": 4, "year": 2024, "rating": "excellent"},
                             {"workshop_id": 1, "year": 2023, "rating": "qualified"}],
        ft.POLICY: [{"id": 90, "code": "workshop_build_grant_recognition"}],
        ft.ENTITLEMENT: [{"policy_id": 90, "period": "2023", "beneficiary_kind": "workshop", "beneficiary_id": 1,
                          "status": "paid", "amount_fen": 25_000_000}],
    }


# policy code -> {beneficiary id: amount in fen}
EXAMPLE_EXPECTED: dict[str, dict[int, int]] = {
    "transport_subsidy": {1: 20_000, 2: 5_000, 6: 20_000},
    "pension_premium_on_behalf": {2: 5_000, 6: 5_000, 7: 10_000, 11: 10_000},
    "employer_insurance_subsidy": {1: 4_530},
    "workshop_award": {1: 3_000_000, 4: 4_000_000},
    "workshop_build_grant_recognition": {4: 25_000_000},
    "workshop_build_grant_operation": {1: 25_000_000},
    "job_retention_refund": {1: 72_000, 2: 360_000, 3: 21_600},
    "broker_outflow_award": {1: 60_000},
}


def load_example_facts(db: FactsDB) -> None:
    for table, rows in example_facts().items():
        db.insert(table, rows)


# Where the example policies are shipped: the policies app's examples and the programmes' own.
EXAMPLE_FOLDERS = (("bangfu.policies", "examples"), ("bangfu.insurance", "policies"), ("bangfu.network", "policies"))


def example_definitions():
    """The example policies shipped in ``EXAMPLE_FOLDERS`` (read as files, no Django)."""
    from importlib import resources

    from bangfu.engine.policy.definition import from_yaml

    files = [f for package, name in EXAMPLE_FOLDERS for f in (resources.files(package) / name).iterdir()
             if f.name.endswith(".yaml")]
    return {d.code: d for d in (from_yaml(f.read_text(encoding="utf-8")) for f in files)}
