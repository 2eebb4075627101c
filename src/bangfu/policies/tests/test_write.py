"""The rows a commit writes, built column-wise by DuckDB from the engine's Arrow table (no database)."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pyarrow as pa

from bangfu.policies.services import rows as runs


def _rows(kind: str, table: pa.Table, calls) -> list[tuple]:
    run = SimpleNamespace(policy_id=11, version_id=12, pk=13, period="2024")
    with runs.entitlement_rows(run, kind, calls, table) as result:
        return result.fetchall()


def test_the_rows_come_in_beneficiary_order_with_their_facts_as_json():
    table = pa.table({
        "beneficiary_id": pa.array([7, 3], pa.int64()), "district_code": ["500230", None],
        "township_code": [None, "500230101"], "amount_fen": pa.array([20_000, 5_000], pa.int64()),
        "f_share": [2 / 3, 1.0], "f_place": ['重庆"丰都', None], "f_out": [True, False], "f_months": [7, 0],
    })
    calls = [SimpleNamespace(text="income_share(2024)", column="f_share"),
             SimpleNamespace(text="place('it''s')", column="f_place"),
             SimpleNamespace(text="worked_outside_city", column="f_out"),
             SimpleNamespace(text="months_outside_county(2024)", column="f_months")]
    rows = _rows("person", table, calls)
    assert len(rows[0]) == len(runs.INSERT_COLUMNS)
    first, second = (dict(zip(runs.INSERT_COLUMNS, row)) for row in rows)
    assert [first["beneficiary_id"], second["beneficiary_id"]] == [3, 7]
    assert (first["policy_id"], first["version_id"], first["run_id"], first["period"]) == (11, 12, 13, "2024")
    assert (first["person_id"], first["employer_id"], first["workshop_id"]) == (3, None, None)
    assert (first["district_code"], first["township_code"], second["township_code"]) == ("", "500230101", "")
    assert (first["amount_fen"], first["status"], first["decision_reason"]) == (5_000, "pending", "")
    assert json.loads(second["facts"]) == {"income_share(2024)": 0.67, "place('it''s')": '重庆"丰都',
                                           "worked_outside_city": True, "months_outside_county(2024)": 7}
    assert json.loads(first["facts"]) == {"income_share(2024)": 1.0, "place('it''s')": None,
                                          "worked_outside_city": False, "months_outside_county(2024)": 0}
    assert list(json.loads(second["facts"])) == [call.text for call in calls]  # in the definition's order


def test_an_enterprise_row_names_the_employer_and_no_features_give_empty_facts():
    table = pa.table({"beneficiary_id": pa.array([5], pa.int64()), "district_code": ["500230"],
                      "township_code": [""], "amount_fen": pa.array([100], pa.int64())})
    (row,) = _rows("enterprise", table, [])
    row = dict(zip(runs.INSERT_COLUMNS, row))
    assert (row["person_id"], row["employer_id"], row["workshop_id"]) == (None, 5, None)
    assert json.loads(row["facts"]) == {}


def test_sqlite_binds_per_row_only_the_values_that_differ_and_writes_the_rest_into_the_statement():
    table = pa.table({"beneficiary_id": pa.array([9, 4], pa.int64()), "district_code": ["500230", None],
                      "township_code": ["500230101", None], "amount_fen": pa.array([5_000, 20_000], pa.int64()),
                      "f_out": [False, True]})
    calls = [SimpleNamespace(text="worked_outside_city", column="f_out")]
    run = SimpleNamespace(policy_id=11, version_id=12, pk=13, period="2024")
    full = [dict(zip(runs.INSERT_COLUMNS, row)) for row in _rows("person", table, calls)]
    with runs.entitlement_values(calls, table) as result:
        values = result.fetchall()
    assert values == [tuple(row[name] for name in runs.VALUE_COLUMNS) for row in full]
    sql = runs.sqlite_insert_sql(run, "workshop")
    assert sql.startswith("INSERT INTO policies_entitlement (policy_id, version_id, run_id, period, beneficiary_kind, ")
    assert "VALUES (11, 12, 13, '2024', 'workshop', ?1, NULL, NULL, ?1, NULL, ?2, ?3, ?4, 'pending', ?5, '" in sql
    assert sql.endswith("', '') ON CONFLICT DO NOTHING")


def test_sqlite_writes_several_rows_a_statement_the_same_rows_and_counts_only_the_new_ones():
    import sqlite3

    from bangfu.policies.services import runs as service

    run = SimpleNamespace(policy_id=11, version_id=12, pk=13, period="2024")
    two = runs.sqlite_insert_sql(run, "person", rows=2, created_at="2026-01-01 00:00:00")
    assert "'person', ?1, ?1, NULL, NULL, NULL, ?2, ?3, ?4, 'pending', ?5, " in two
    assert "'person', ?6, ?6, NULL, NULL, NULL, ?7, ?8, ?9, 'pending', ?10, " in two
    values = [(bid, "500230", "500230101", 100 * bid, json.dumps({"n": bid})) for bid in (1, 2, 3, 4, 5)]
    written = {}
    for per in (1, 2):
        conn = sqlite3.connect(":memory:")
        conn.execute(f"CREATE TABLE policies_entitlement ({', '.join(runs.INSERT_COLUMNS)}, "
                     "UNIQUE (policy_id, period, beneficiary_kind, beneficiary_id))")
        insert = service._SqliteInsert(conn.cursor(), run, "person", per)
        insert.write_rows(values)  # two statements of two rows and one of one
        before = conn.total_changes
        insert.write_rows(values[3:] + [(6, "500230", "", 600, "{}")])  # two already there, one new
        assert conn.total_changes - before == 1
        written[per] = [row[:-2] + row[-1:] for row in conn.execute(  # less created_at (the moment of each)
            "SELECT * FROM policies_entitlement ORDER BY beneficiary_id").fetchall()]
        assert len({row[-2] for row in conn.execute("SELECT * FROM policies_entitlement")}) == 1  # one commit time
        conn.close()
    assert len(written[2]) == 6 and written[2] == written[1]
