"""The same policies give the same entitlements on DuckDB, SQLite, PostgreSQL and Spark (no Django).

Hand-built facts with worked-out answers, plus a few hundred seeded random persons on which
every engine must agree with DuckDB to the fen.
"""

from __future__ import annotations

import random

import pytest

from bangfu.engine import features as ft
from bangfu.engine.backends import open_engine
from bangfu.engine.policy import eligible
from bangfu.engine.policy.testing import EXAMPLE_EXPECTED, FactsDB, example_definitions, example_facts

MONTHS = [f"{y}-{m:02d}" for y in (2022, 2023, 2024) for m in range(1, 13)]


def random_facts(seed: int = 11, n: int = 300) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    facts = example_facts()
    base = 1000
    for i in range(n):
        facts["registry_person"].append({
            "id": base + i, "birth_date": f"{rng.randint(1950, 2012)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "category": rng.choice(["alleviated", "monitored"]),
            "labour_ability": rng.choice(["ordinary", "skilled", "weak", "lost", "none"]),
            "health": rng.choice(["healthy", "healthy", "chronic", "disabled"]), "in_school": rng.random() < 0.1,
            "district_code": rng.choice(["500230", "500101"]),
            "township_code": "",
        })
        p = facts["registry_person"][-1]
        p["township_code"] = p["district_code"] + rng.choice(["101", "102"]) if p["district_code"] == "500230" else "500101001"
        for month in rng.sample(MONTHS[-15:], rng.randint(0, 6)):
            facts["monitoring_employmentmonth"].append({
                "person_id": base + i, "month": month,
                "place_class": rng.choice(["in_county", "in_city", "out_of_city", "abroad"]),
                "income_fen": rng.choice([None, rng.randint(100_000, 900_000)])})
        if rng.random() < 0.2:
            firm = rng.randint(1, 3)
            start = rng.randint(0, len(MONTHS) - 4)
            for month in MONTHS[start:start + rng.randint(3, 40)]:
                for kind in ("pension", "medical", "unemployment", "injury"):
                    facts[ft.CONTRIBUTION].append({"person_id": base + i, "employer_id": firm, "month": month,
                                                   "insurance_type": kind, "employer_fen": rng.randint(0, 90_000),
                                                   "worker_fen": rng.randint(0, 9_000)})
        if rng.random() < 0.2:
            facts[ft.VULNERABLE_GROUP].append({"person_id": base + i, "group": rng.choice(["dibao", "tekun", "severe_disability"]),
                                               "year": rng.choice([2023, 2024, 2024])})
        if rng.random() < 0.15:
            start = rng.choice(MONTHS[-24:])
            end = rng.choice(["", "2024-12", "2024-06", "2023-11"])
            if not end or end >= start:
                facts[ft.WORKSHOP_MEMBER].append({"workshop_id": rng.randint(1, 4), "person_id": base + i,
                                                  "start_month": start, "end_month": end})
    # two more workshops for the build grant: one recognised in 2024, one paid its first half in 2022
    facts[ft.WORKSHOP] += [{"id": 5, "employer_id": 2, "recognised_on": "2024-08-01"},
                           {"id": 6, "employer_id": 2, "recognised_on": "2022-06-01"}]
    facts[ft.WORKSHOP_RATING].append({"workshop_id": 6, "year": 2024, "rating": "qualified", "review_passed": True})
    facts[ft.POLICY] += [{"id": 1, "code": "transport_subsidy"}]
    facts[ft.ENTITLEMENT] += [{"policy_id": 1, "period": "2024", "beneficiary_id": base + i, "status": "paid"}
                              for i in range(0, n, 17)]
    facts[ft.ENTITLEMENT].append({"policy_id": 90, "period": "2022", "beneficiary_kind": "workshop",
                                  "beneficiary_id": 6, "status": "paid", "amount_fen": 25_000_000})
    # organised outflow (the broker award): six batches of helpers 2, 4, 5 and 6 (own generator,
    # so the draws above stay as they were)
    out = random.Random(seed + 1)
    facts[ft.HELPER] += [{"id": 5}, {"id": 6, "district_code": "500101", "township_code": "500101001"}]
    batches = [{"id": 100 + k, "helper_id": h, "month": out.choice(MONTHS[-15:])} for k, h in enumerate((5, 6, 2, 5, 6, 4))]
    facts[ft.OUTFLOW_BATCH] += batches
    for i in range(n):
        if out.random() < 0.3:
            facts[ft.OUTFLOW_MEMBER].append({"batch_id": out.choice(batches)["id"], "person_id": base + i})
    return facts


def load(db: FactsDB, facts: dict) -> None:
    for table, rows in facts.items():
        db.insert(table, rows)


def results(engine) -> dict[str, dict[int, int]]:
    out = {}
    for code, policy in sorted(example_definitions().items()):
        table = eligible(engine, policy, "2024")
        out[code] = {r["beneficiary_id"]: r["amount_fen"] for r in engine.to_pyarrow(table).to_pylist()}
    return out


@pytest.fixture(scope="module")
def sqlite_facts(tmp_path_factory):
    db = FactsDB(sqlite_path=tmp_path_factory.mktemp("engines") / "facts.sqlite3")
    load(db, random_facts())
    return db.sqlite_path


@pytest.fixture(scope="module")
def reference(sqlite_facts):
    with open_engine("duckdb", sqlite_path=sqlite_facts) as eng:
        return results(eng)


def test_the_random_facts_hold_beneficiaries_for_every_example_policy(reference):
    # A parity check over empty results would prove nothing.
    assert all(len(v) >= 2 for v in reference.values()), {k: len(v) for k, v in reference.items()}


def test_the_hand_built_beneficiaries_are_among_the_reference_results(reference):
    for code, expected in EXAMPLE_EXPECTED.items():
        got = {k: v for k, v in reference[code].items() if k < 1000}
        if code in ("transport_subsidy", "pension_premium_on_behalf"):
            assert got == expected


def test_sqlite_in_database_gives_the_same_entitlements_as_duckdb(sqlite_facts, reference):
    with open_engine("sqlite", sqlite_path=sqlite_facts) as eng:
        assert results(eng) == reference


@pytest.mark.postgres
def test_postgres_in_database_and_duckdb_attached_to_postgres_give_the_same_entitlements(fresh_pg_url, reference):
    db = FactsDB(pg_url=fresh_pg_url)
    load(db, random_facts())
    with open_engine("postgres", pg_url=fresh_pg_url) as eng:
        assert results(eng) == reference
    with open_engine("duckdb", pg_url=fresh_pg_url) as eng:
        assert results(eng) == reference


@pytest.mark.spark
def test_spark_over_the_parquet_export_gives_the_same_entitlements(sqlite_facts, reference, spark, tmp_path):
    with open_engine("spark", sqlite_path=sqlite_facts, spark=spark, tables=ft.POLICY_INPUT_TABLES,
                     parquet_dir=None) as eng:
        assert results(eng) == reference
