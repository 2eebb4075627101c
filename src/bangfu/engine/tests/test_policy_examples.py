"""The four example policies on hand-built facts: the expected beneficiaries and amounts
(worked out in ``bangfu.engine.policy.testing.example_facts``), on DuckDB and SQLite."""

from __future__ import annotations

import pytest

from bangfu.engine.backends import open_engine
from bangfu.engine.policy import eligible, explain_beneficiary, summarise
from bangfu.engine.policy.testing import EXAMPLE_EXPECTED, FactsDB, example_definitions, load_example_facts


@pytest.fixture(scope="module")
def facts_path(tmp_path_factory):
    db = FactsDB(sqlite_path=tmp_path_factory.mktemp("examples") / "facts.sqlite3")
    load_example_facts(db)
    return db.sqlite_path


@pytest.fixture(params=["duckdb", "sqlite"])
def engine(request, facts_path):
    with open_engine(request.param, sqlite_path=facts_path) as eng:
        yield eng


def granted(engine, code: str, period: str = "2024", area: str | None = None) -> dict[int, int]:
    table = eligible(engine, example_definitions()[code], period, area_code=area)
    return {r["beneficiary_id"]: r["amount_fen"] for r in engine.to_pyarrow(table).to_pylist()}


@pytest.mark.parametrize("code", sorted(EXAMPLE_EXPECTED))
def test_each_example_policy_grants_exactly_the_worked_out_beneficiaries_and_amounts(engine, code):
    assert granted(engine, code) == EXAMPLE_EXPECTED[code]


def test_transport_subsidy_pays_200_outside_chongqing_and_50_elsewhere_in_chongqing(engine):
    got = granted(engine, "transport_subsidy")
    assert got[1] == got[6] == 20_000  # out of the city; abroad
    assert got[2] == 5_000  # another district of Chongqing


def test_a_year_without_the_work_gives_no_transport_subsidy(engine):
    assert granted(engine, "transport_subsidy", period="2023") == {11: 20_000}


def test_a_run_over_one_district_sees_only_that_district(engine):
    assert granted(engine, "transport_subsidy", area="500101") == {2: 5_000}
    assert granted(engine, "pension_premium_on_behalf", area="500230102") == {6: 5_000}


def test_the_summary_counts_and_totals_by_district_and_township(engine):
    table = eligible(engine, example_definitions()["transport_subsidy"], "2024")
    s = summarise(engine, table)
    assert (s.eligible, s.total_fen) == (3, 45_000)
    assert {d["district_code"]: (d["count"], d["total_fen"]) for d in s.by_district} == {
        "500230": (2, 40_000), "500101": (1, 5_000)}
    assert len(s.by_township) == 3


def test_explaining_a_refused_person_names_the_clause_and_the_value_that_decided(engine):
    exp = explain_beneficiary(engine, example_definitions()["transport_subsidy"], "2024", 3)
    assert exp.found and not exp.eligible
    failed = [c for c in exp.clauses if c.holds is False]
    assert [c.text for c in failed] == ["age >= 16"]
    assert failed[0].values_text() == "年龄 = 15"
    assert "不符合条件" in exp.summary and "“年龄不小于16”不满足" in exp.summary  # in words, not CEL


def test_explaining_a_granted_person_gives_the_amount_and_its_reason(engine):
    exp = explain_beneficiary(engine, example_definitions()["transport_subsidy"], "2024", 2)
    assert exp.eligible and exp.amount_fen == 5_000
    assert all(c.holds for c in exp.clauses)
    assert [v.display for v in exp.amount_values] == ["否"]
    lines = "\n".join(exp.lines())
    assert "应发 50 元" in lines and "市外务工 = 否" in lines


def test_explaining_an_or_clause_lists_each_alternative(engine):
    exp = explain_beneficiary(engine, example_definitions()["pension_premium_on_behalf"], "2024", 7)
    first = exp.clauses[0]
    assert first.holds and [a.holds for a in first.alternatives] == [False, False, True, False]


def test_explaining_an_unknown_beneficiary_says_it_was_not_found(engine):
    exp = explain_beneficiary(engine, example_definitions()["transport_subsidy"], "2024", 999)
    assert not exp.found and "未找到" in exp.summary


def test_text_in_a_policy_reaches_the_database_only_as_a_literal(engine):
    from bangfu.engine.policy.definition import PolicyDefinition

    sneaky = PolicyDefinition(code="sneaky", name="x", legal_basis="x", beneficiary="person",
                              condition='category == "x\' OR 1=1 --" || labour_ability in ["none\\"); DROP TABLE x; --"]',
                              amount="1")
    assert engine.to_pyarrow(eligible(engine, sneaky, "2024")).num_rows == 0
