"""Features on hand-built facts, each value worked out by hand (no Django).

Period 2024. People (birth date, ability):
    1  1980-05-01 ordinary   worked 2024-03 out_of_city, 2024-04 in_city, 2024-05 in_county
    2  2008-12-31 ordinary   turns 16 on 2024-12-31: age 16 at the end of 2024
    3  2009-01-01 skilled    15 at the end of 2024
    4  1959-06-01 weak       65 at the end of 2024: still a worker; worked 2023-12 abroad only
    5  1990-01-01 none       monitored, disabled, in school
"""

from __future__ import annotations

import pytest

from bangfu.engine import features as ft
from bangfu.engine.backends import open_engine
from bangfu.engine.policy.testing import FactsDB

PERSONS = [
    {"id": 1, "birth_date": "1980-05-01"},
    {"id": 2, "birth_date": "2008-12-31", "township_code": "500230102"},
    {"id": 3, "birth_date": "2009-01-01", "labour_ability": "skilled"},
    {"id": 4, "birth_date": "1959-06-01", "labour_ability": "weak", "district_code": "500101", "township_code": "500101001"},
    {"id": 5, "birth_date": "1990-01-01", "labour_ability": "none", "category": "monitored", "health": "disabled",
     "in_school": True, "district_code": "500103", "township_code": "500103001"},
]
EMPLOYMENT = [
    {"person_id": 1, "month": "2024-03", "place_class": "out_of_city", "channel": "migrant", "income_fen": 500000},
    {"person_id": 1, "month": "2024-04", "place_class": "in_city", "channel": "migrant", "income_fen": 420050},
    {"person_id": 1, "month": "2024-05", "place_class": "in_county", "channel": "workshop", "income_fen": None},
    {"person_id": 4, "month": "2023-12", "place_class": "abroad", "channel": "migrant"},
    {"person_id": 2, "month": "2025-01", "place_class": "abroad", "channel": "migrant"},
]


def call(kind: str, name: str, *args) -> ft.FeatureCall:
    feature = ft.feature_lookup(kind, name, len(args))
    assert feature is not None, name
    return ft.FeatureCall(feature, tuple(args))


def values(engine, kind: str, *calls: ft.FeatureCall, period: str = "2024") -> dict[int, dict]:
    table = ft.feature_table(engine, kind=kind, period=period, calls=calls)
    return {r["bid"]: r for r in engine.to_pyarrow(table).to_pylist()}


@pytest.fixture
def facts(tmp_path):
    db = FactsDB(sqlite_path=tmp_path / "facts.sqlite3")
    db.insert("registry_person", PERSONS)
    db.insert("monitoring_employmentmonth", EMPLOYMENT)
    return db


@pytest.fixture(params=["duckdb", "sqlite"])
def engine(request, facts):
    with open_engine(request.param, sqlite_path=facts.sqlite_path) as eng:
        yield eng


def test_age_is_counted_in_completed_years_on_the_last_day_of_the_period(engine):
    got = values(engine, "person", call("person", "age"))
    assert {i: r["age"] for i, r in got.items()} == {1: 44, 2: 16, 3: 15, 4: 65, 5: 34}


def test_a_person_is_a_worker_from_16_to_65_with_labour_ability(engine):
    got = values(engine, "person", call("person", "is_worker"), call("person", "has_labour_ability"))
    assert {i for i, r in got.items() if r["is_worker"]} == {1, 2, 4}
    assert {i for i, r in got.items() if r["has_labour_ability"]} == {1, 2, 3, 4}


def test_months_worked_count_only_the_months_of_the_period_by_place(engine):
    got = values(engine, "person", call("person", "months_worked"), call("person", "months_worked", "in_city"),
                 call("person", "months_worked_outside_county"), call("person", "worked_outside_county"),
                 call("person", "worked_outside_city"), call("person", "months_in_channel", "workshop"))
    one = got[1]
    assert (one["months_worked"], one["months_worked__in_city"], one["months_worked_outside_county"]) == (3, 1, 2)
    assert one["worked_outside_county"] is True and one["worked_outside_city"] is True
    assert one["months_in_channel__workshop"] == 1
    # 2023 and 2025 months do not count for 2024; people without rows get 0 and false, never null.
    for pid in (2, 3, 4, 5):
        assert got[pid]["months_worked"] == 0
        assert got[pid]["worked_outside_city"] is False


def test_a_work_abroad_in_another_year_counts_in_that_year_only(engine):
    got = values(engine, "person", call("person", "worked_outside_city"), period="2023")
    assert {i for i, r in got.items() if r["worked_outside_city"]} == {4}


def test_employment_income_is_in_yuan_and_ignores_months_without_income(engine):
    got = values(engine, "person", call("person", "employment_income"))
    assert got[1]["employment_income"] == pytest.approx(9200.50)
    assert got[3]["employment_income"] == 0.0


def test_person_attributes_read_as_registered(engine):
    got = values(engine, "person", call("person", "category"), call("person", "in_school"),
                 call("person", "is_disabled"), call("person", "labour_ability"), call("person", "region_group"))
    assert got[5]["category"] == "monitored" and got[5]["in_school"] is True and got[5]["is_disabled"] is True
    assert got[1]["in_school"] is False and got[1]["labour_ability"] == "ordinary"
    assert got[1]["region_group"] == "northeast" and got[5]["region_group"] == "main_metro"


def test_the_feature_table_can_be_restricted_to_an_area(engine):
    district = ft.feature_table(engine, kind="person", period="2024", calls=[call("person", "age")], area_code="500230")
    township = ft.feature_table(engine, kind="person", period="2024", calls=[call("person", "age")], area_code="500230102")
    assert sorted(r["bid"] for r in engine.to_pyarrow(district).to_pylist()) == [1, 2, 3]
    assert [r["bid"] for r in engine.to_pyarrow(township).to_pylist()] == [2]


def test_employer_share_paid_covers_at_most_n_months_per_worker_counted_from_the_first(tmp_path):
    db = FactsDB(sqlite_path=tmp_path / "c.sqlite3")
    db.insert("registry_person", [{"id": 1}, {"id": 2}])
    db.insert("employers_employer", [{"id": 7}])
    rows = []
    # Worker 1 paid for from 2022-01: 24 months before 2024, so only 12 of 2024's months fit in 36.
    for year in (2022, 2023, 2024):
        for m in range(1, 13):
            rows.append({"person_id": 1, "employer_id": 7, "month": f"{year}-{m:02d}", "insurance_type": "pension",
                         "employer_fen": 1000, "worker_fen": 500})
            rows.append({"person_id": 1, "employer_id": 7, "month": f"{year}-{m:02d}", "insurance_type": "medical",
                         "employer_fen": 100})
    # Worker 2 paid from 2024-07; maternity-like types outside the list are not subsidised.
    for m in range(7, 13):
        rows.append({"person_id": 2, "employer_id": 7, "month": f"2024-{m:02d}", "insurance_type": "injury",
                     "employer_fen": 50})
    db.insert("insurance_socialinsurancecontribution", rows)
    with open_engine("duckdb", sqlite_path=db.sqlite_path) as eng:
        got = values(eng, "enterprise", call("enterprise", "employer_share_paid", 36),
                     call("enterprise", "employer_share_paid", 30), call("enterprise", "poverty_workers_employed"),
                     call("enterprise", "poverty_worker_months"))[7]
    # 36: worker 1's 12 months of 2024 (1100 fen each) + worker 2's 6 months (50 each) = 13,500 fen.
    assert got["employer_share_paid__36"] == pytest.approx(135.00)
    # 30: worker 1 has 6 months left in 2024 (months 25-30) = 6,600 fen, + 300 = 69.00 yuan.
    assert got["employer_share_paid__30"] == pytest.approx(69.00)
    assert got["poverty_workers_employed"] == 2 and got["poverty_worker_months"] == 18


def test_person_contribution_months_and_employee_pension_months(tmp_path):
    db = FactsDB(sqlite_path=tmp_path / "p.sqlite3")
    db.insert("registry_person", [{"id": 1}, {"id": 2}])
    db.insert("employers_employer", [{"id": 7}, {"id": 8}])
    db.insert("insurance_socialinsurancecontribution", [
        {"person_id": 1, "employer_id": 7, "month": "2024-01", "insurance_type": "pension", "employer_fen": 1},
        {"person_id": 1, "employer_id": 8, "month": "2024-01", "insurance_type": "medical", "employer_fen": 1},
        {"person_id": 1, "employer_id": 8, "month": "2024-02", "insurance_type": "medical", "employer_fen": 1},
        {"person_id": 2, "employer_id": 8, "month": "2023-02", "insurance_type": "pension", "employer_fen": 1},
    ])
    with open_engine("sqlite", sqlite_path=db.sqlite_path) as eng:
        got = values(eng, "person", call("person", "employer_contribution_months"), call("person", "employee_pension_months"))
    assert (got[1]["employer_contribution_months"], got[1]["employee_pension_months"]) == (2, 1)
    assert (got[2]["employer_contribution_months"], got[2]["employee_pension_months"]) == (0, 0)


def test_workshop_members_count_when_they_worked_enough_months_of_the_period(tmp_path):
    db = FactsDB(sqlite_path=tmp_path / "w.sqlite3")
    db.insert("registry_person", [{"id": i} for i in range(1, 6)])
    db.insert("network_workshop", [{"id": 1, "employer_id": 1}, {"id": 2, "employer_id": 1, "active": False}])
    db.insert("network_workshopmember", [
        {"workshop_id": 1, "person_id": 1, "start_month": "2023-05", "end_month": ""},         # 12 months of 2024
        {"workshop_id": 1, "person_id": 2, "start_month": "2024-08", "end_month": ""},         # 5
        {"workshop_id": 1, "person_id": 3, "start_month": "2024-01", "end_month": "2024-03"},  # 3 ...
        {"workshop_id": 1, "person_id": 3, "start_month": "2024-09", "end_month": "2024-11"},  # ... + 3 = 6
        {"workshop_id": 1, "person_id": 4, "start_month": "2022-01", "end_month": "2023-12"},  # 0
        {"workshop_id": 2, "person_id": 5, "start_month": "2024-01", "end_month": "2024-12"},  # 12
    ])
    with open_engine("duckdb", sqlite_path=db.sqlite_path) as eng:
        got = values(eng, "workshop", call("workshop", "poverty_workers_employed", 6),
                     call("workshop", "poverty_workers_employed"), call("workshop", "is_active"))
    assert got[1]["poverty_workers_employed__6"] == 2  # persons 1 and 3
    assert got[1]["poverty_workers_employed"] == 3  # persons 1, 2 and 3 (4 never in 2024)
    assert got[2]["is_active"] is False and got[2]["poverty_workers_employed__6"] == 1


def test_received_this_year_ignores_rejected_entitlements_and_other_years(tmp_path):
    db = FactsDB(sqlite_path=tmp_path / "r.sqlite3")
    db.insert("registry_person", [{"id": i} for i in (1, 2, 3)])
    db.insert("policies_policy", [{"id": 1, "code": "transport_subsidy"}, {"id": 2, "code": "other"}])
    db.insert("policies_entitlement", [
        {"policy_id": 1, "period": "2024", "beneficiary_id": 1, "status": "paid"},
        {"policy_id": 1, "period": "2024", "beneficiary_id": 2, "status": "rejected"},
        {"policy_id": 1, "period": "2023", "beneficiary_id": 3, "status": "approved"},
        {"policy_id": 2, "period": "2024", "beneficiary_id": 3, "status": "approved"},
    ])
    with open_engine("duckdb", sqlite_path=db.sqlite_path) as eng:
        got = values(eng, "person", call("person", "received_this_year", "transport_subsidy"),
                     call("person", "received_times", "transport_subsidy"))
    assert {i for i, r in got.items() if r["received_this_year__transport_subsidy"]} == {1}
    assert {i: r["received_times__transport_subsidy"] for i, r in got.items()} == {1: 1, 2: 0, 3: 1}


def test_every_feature_has_a_chinese_label_a_description_and_an_example():
    for f in ft.CATALOGUE:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in f.label), f.name
        assert f.description and f.example, f.name
        assert f.type in ft.TYPES


def test_a_period_is_a_four_digit_year():
    assert ft.Period.parse("2024").last_day.isoformat() == "2024-12-31"
    for bad in ("24", "2024-13", "abcd", "", "1899"):
        with pytest.raises(ft.PeriodError):
            ft.Period.parse(bad)
