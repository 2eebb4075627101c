"""Parity: the set-based result (CEL compiled to Ibis, run by DuckDB) equals celpy evaluating the
same CEL person by person, on random facts (hypothesis). No Django.

Two checks per example:
- celpy on each row of the engine's own feature table decides exactly as the compiled query;
- celpy on features computed here in plain Python from the raw facts decides the same too, so
  the features themselves are checked, not only the compiler.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.engine import features as ft
from bangfu.engine.backends import open_engine
from bangfu.engine.policy import eligible
from bangfu.engine.policy.definition import PolicyDefinition
from bangfu.engine.policy.explain import CelEvaluator
from bangfu.engine.policy.testing import FactsDB, example_definitions

PERIOD = "2024"
EXTRA_POLICIES = [
    PolicyDefinition(
        code="arith", name="算术", legal_basis="测试", beneficiary="person",
        condition="age % 7 != 3 && (months_worked_outside_county >= 2 || (is_disabled && age < 40))",
        amount="(age - 50) / 3 * 10 + 500 + (worked_outside_city ? 100 : 0)",
    ),
    PolicyDefinition(
        code="income", name="收入", legal_basis="测试", beneficiary="person",
        condition='labour_ability in ["ordinary", "skilled"] && months_worked("in_city") + months_worked("abroad") >= 1',
        amount="employment_income / double(months_worked + 1) * 0.015 + 0.005",
    ),
    PolicyDefinition(
        code="again", name="再次", legal_basis="测试", beneficiary="person",
        condition='!received_this_year("transport_subsidy") && !in_school && employee_pension_months == 0 && int(double(age) / 2.5) > 8',
        amount="int(employment_income) % 1000 + 1",
    ),
]
POLICIES = list(example_definitions().values()) + EXTRA_POLICIES
PERSON_POLICIES = [p for p in POLICIES if p.beneficiary == "person"]

CATEGORIES = ["alleviated", "monitored"]
ABILITIES = ["ordinary", "skilled", "weak", "lost", "none"]
HEALTH = ["healthy", "chronic", "serious", "disabled"]
PLACES = ["in_county", "in_city", "out_of_city", "abroad"]
GROUPS = ["dibao", "tekun", "severe_disability"]
MONTHS = [f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13)]

person_st = st.fixed_dictionaries({
    "birth_date": st.dates(dt.date(1950, 1, 1), dt.date(2012, 12, 31)).map(dt.date.isoformat),
    "category": st.sampled_from(CATEGORIES),
    "labour_ability": st.sampled_from(ABILITIES),
    "health": st.sampled_from(HEALTH),
    "in_school": st.booleans(),
})


@st.composite
def facts_st(draw):
    persons = draw(st.lists(person_st, min_size=1, max_size=25))
    for i, p in enumerate(persons, start=1):
        p["id"] = i
    n = len(persons)
    employment, seen = [], set()
    for _ in range(draw(st.integers(0, 60))):
        pid, month = draw(st.integers(1, n)), draw(st.sampled_from(MONTHS))
        if (pid, month) in seen:
            continue
        seen.add((pid, month))
        employment.append({"person_id": pid, "month": month, "place_class": draw(st.sampled_from(PLACES)),
                           "income_fen": draw(st.one_of(st.none(), st.integers(0, 900_000)))})
    contributions = []
    for _ in range(draw(st.integers(0, 15))):
        contributions.append({"person_id": draw(st.integers(1, n)), "employer_id": draw(st.integers(1, 3)),
                              "month": draw(st.sampled_from(MONTHS)),
                              "insurance_type": draw(st.sampled_from(["pension", "medical", "unemployment", "injury"])),
                              "employer_fen": draw(st.integers(0, 5000)), "worker_fen": draw(st.integers(0, 500))})
    # unique like the model: (person, enterprise, month, type)
    contributions = list({(c["person_id"], c["employer_id"], c["month"], c["insurance_type"]): c
                          for c in contributions}.values())
    entitlements = [{"policy_id": 1, "period": draw(st.sampled_from(["2023", "2024"])), "beneficiary_id": pid,
                     "status": draw(st.sampled_from(["pending", "paid", "rejected"]))}
                    for pid in draw(st.sets(st.integers(1, n), max_size=5))]
    groups = list({(g["person_id"], g["group"], g["year"]): g for g in (
        {"person_id": draw(st.integers(1, n)), "group": draw(st.sampled_from(GROUPS)),
         "year": draw(st.sampled_from([2023, 2024]))} for _ in range(draw(st.integers(0, 10))))}.values())
    return {"persons": persons, "employment": employment, "contributions": contributions,
            "entitlements": entitlements, "groups": groups}


def _build(facts: dict, folder: Path) -> Path:
    db = FactsDB(sqlite_path=folder / "facts.sqlite3")
    db.insert("registry_person", facts["persons"])
    db.insert("monitoring_employmentmonth", facts["employment"])
    db.insert("employers_employer", [{"id": i} for i in (1, 2, 3)])
    db.insert("insurance_socialinsurancecontribution", facts["contributions"])
    db.insert("policies_policy", [{"id": 1, "code": "transport_subsidy"}])
    db.insert("policies_entitlement", facts["entitlements"])
    db.insert(ft.VULNERABLE_GROUP, facts.get("groups", []))
    return db.sqlite_path


def reference_features(facts: dict, pid: int) -> dict:
    """The person features computed plainly from the raw facts (the definitions in words)."""
    p = next(x for x in facts["persons"] if x["id"] == pid)
    born = dt.date.fromisoformat(p["birth_date"])
    end = dt.date(2024, 12, 31)
    age = end.year - born.year - ((end.month, end.day) < (born.month, born.day))
    months = [e for e in facts["employment"] if e["person_id"] == pid and e["month"].startswith("2024-")]
    places = [e["place_class"] for e in months]
    outside_county = sum(1 for x in places if x != "in_county")
    pension_months = {c["month"] for c in facts["contributions"]
                      if c["person_id"] == pid and c["month"].startswith("2024-") and c["insurance_type"] == "pension"}
    received = any(e["beneficiary_id"] == pid and e["period"] == PERIOD and e["status"] != "rejected"
                   for e in facts["entitlements"])
    row = {
        "age": age, "category": p["category"], "labour_ability": p["labour_ability"],
        "has_labour_ability": p["labour_ability"] in ("ordinary", "skilled", "weak"),
        "is_disabled": p["health"] == "disabled", "in_school": p["in_school"],
        "months_worked": len(months), "months_worked_outside_county": outside_county,
        "worked_outside_county": outside_county >= 1,
        "worked_outside_city": any(x in ("out_of_city", "abroad") for x in places),
        "employment_income": sum(e["income_fen"] or 0 for e in months) / 100.0,
        "employee_pension_months": len(pension_months),
        "received_this_year__transport_subsidy": received,
    }
    for place in PLACES:
        row[f"months_worked__{place}"] = places.count(place)
    for group in GROUPS:
        row[f"in_group__{group}"] = any(g["person_id"] == pid and g["group"] == group and g["year"] == 2024
                                         for g in facts.get("groups", []))
    return row


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=facts_st())
def test_set_based_eligibility_equals_celpy_person_by_person(facts):
    with tempfile.TemporaryDirectory() as tmp:
        path = _build(facts, Path(tmp))
        with open_engine("duckdb", sqlite_path=path) as eng:
            for policy in PERSON_POLICIES:
                table = eligible(eng, policy, PERIOD)
                set_based = {r["beneficiary_id"]: r["amount_fen"] for r in eng.to_pyarrow(table).to_pylist()}
                feature_rows = eng.to_pyarrow(ft.feature_table(eng, kind="person", period=PERIOD,
                                                               calls=policy.calls)).to_pylist()
                evaluator = CelEvaluator(policy)
                # 1. celpy on the engine's feature rows
                from_rows = {}
                for row in feature_rows:
                    ok, fen = evaluator.decide(row)
                    if ok:
                        from_rows[row["bid"]] = fen
                assert from_rows == set_based, policy.code
                # 2. celpy on features computed independently in Python
                from_reference = {}
                for person in facts["persons"]:
                    ok, fen = evaluator.decide(reference_features(facts, person["id"]))
                    if ok:
                        from_reference[person["id"]] = fen
                assert from_reference == set_based, policy.code


member_st = st.fixed_dictionaries({
    "workshop_id": st.integers(1, 3), "person_id": st.integers(1, 40),
    "start_month": st.sampled_from(MONTHS[:-1]),
    "end_month": st.one_of(st.just(""), st.sampled_from(MONTHS)),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(members=st.lists(member_st, max_size=60), contributions=facts_st().map(lambda f: f["contributions"]),
       active=st.lists(st.booleans(), min_size=3, max_size=3))
def test_enterprise_and_workshop_policies_agree_with_celpy(members, contributions, active):
    members = [m for m in members if not m["end_month"] or m["end_month"] >= m["start_month"]]
    members = list({(m["workshop_id"], m["person_id"], m["start_month"]): m for m in members}.values())
    with tempfile.TemporaryDirectory() as tmp:
        db = FactsDB(sqlite_path=Path(tmp) / "f.sqlite3")
        db.insert("registry_person", [{"id": i} for i in range(1, 41)])
        db.insert("employers_employer", [{"id": i} for i in (1, 2, 3)])
        db.insert("insurance_socialinsurancecontribution", contributions)
        db.insert("network_workshop", [{"id": i, "employer_id": 1, "active": a} for i, a in zip((1, 2, 3), active)])
        db.insert("network_workshopmember", members)
        with open_engine("duckdb", sqlite_path=db.sqlite_path) as eng:
            for policy in POLICIES:
                if policy.beneficiary == "person":
                    continue
                set_based = {r["beneficiary_id"]: r["amount_fen"]
                             for r in eng.to_pyarrow(eligible(eng, policy, PERIOD)).to_pylist()}
                evaluator = CelEvaluator(policy)
                rows = eng.to_pyarrow(ft.feature_table(eng, kind=policy.beneficiary, period=PERIOD,
                                                       calls=policy.calls)).to_pylist()
                from_rows = {}
                for row in rows:
                    ok, fen = evaluator.decide(row)
                    if ok:
                        from_rows[row["bid"]] = fen
                assert from_rows == set_based, policy.code
                # the workshop award counts members of at least 3 months of 2024, computed plainly
                if policy.code == "workshop_award":
                    for w in (1, 2, 3):
                        months_by_person: dict[int, int] = {}
                        for m in members:
                            if m["workshop_id"] != w:
                                continue
                            end = m["end_month"] or "2024-12"
                            n = sum(1 for x in MONTHS if x.startswith("2024-") and m["start_month"] <= x <= end)
                            months_by_person[m["person_id"]] = months_by_person.get(m["person_id"], 0) + n
                        stable = sum(1 for n in months_by_person.values() if n >= 3)
                        row = next(r for r in rows if r["bid"] == w)
                        assert row["poverty_workers_employed__3"] == stable


HELPER_POLICIES = [p for p in POLICIES if p.beneficiary == "helper"]
batch_st = st.fixed_dictionaries({
    "helper_id": st.one_of(st.none(), st.integers(1, 3)), "month": st.sampled_from(MONTHS),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(batch_st, min_size=1, max_size=6),
       members=st.lists(st.tuples(st.integers(0, 5), st.integers(1, 20)), max_size=40),
       worked=st.sets(st.tuples(st.integers(1, 20), st.sampled_from(MONTHS)), max_size=120),
       statuses=st.lists(st.sampled_from(["registered", "withdrawn", "notice"]), min_size=3, max_size=3))
def test_helper_policies_agree_with_celpy_and_a_plain_count_of_stayed_workers(batches, members, worked, statuses):
    assert HELPER_POLICIES, "the broker award is shipped (network/policies)"
    batches = [{"id": i + 1, **b} for i, b in enumerate(batches)]
    links = sorted({(batches[k % len(batches)]["id"], p) for k, p in members})
    with tempfile.TemporaryDirectory() as tmp:
        db = FactsDB(sqlite_path=Path(tmp) / "f.sqlite3")
        db.insert("registry_person", [{"id": i} for i in range(1, 21)])
        db.insert("network_helper", [{"id": i, "status": s} for i, s in zip((1, 2, 3), statuses)])
        db.insert("network_outflowbatch", batches)
        db.insert("network_outflowmember", [{"batch_id": b, "person_id": p} for b, p in links])
        db.insert("monitoring_employmentmonth", [{"person_id": p, "month": m} for p, m in sorted(worked)])
        with open_engine("duckdb", sqlite_path=db.sqlite_path) as eng:
            for policy in HELPER_POLICIES:
                set_based = {r["beneficiary_id"]: r["amount_fen"]
                             for r in eng.to_pyarrow(eligible(eng, policy, PERIOD)).to_pylist()}
                evaluator = CelEvaluator(policy)
                rows = eng.to_pyarrow(ft.feature_table(eng, kind="helper", period=PERIOD,
                                                       calls=policy.calls)).to_pylist()
                from_rows = {r["bid"]: fen for r in rows for ok, fen in [evaluator.decide(r)] if ok}
                assert from_rows == set_based, policy.code
                # plainly: each helper's workers of the batches that left in 2024, from their first
                # departure of the year on, counted once; and celpy on those plain features
                by_id = {b["id"]: b for b in batches}
                from_reference = {}
                for h, status in zip((1, 2, 3), statuses):
                    departed: dict[int, str] = {}
                    for b, p in links:
                        batch = by_id[b]
                        if batch["helper_id"] == h and batch["month"].startswith("2024-"):
                            departed[p] = min(departed.get(p, "9999-99"), batch["month"])
                    stayed = sum(1 for p, first in departed.items()
                                 if sum(1 for q, m in worked if q == p and m >= first) >= 3)
                    plain = {"is_registered": status == "registered", "organised_workers": len(departed),
                             "organised_workers_stayed__3": stayed,
                             "received_this_year__" + policy.code: False}
                    row = next(r for r in rows if r["bid"] == h)
                    assert row["organised_workers_stayed__3"] == stayed
                    ok, fen = evaluator.decide({**row, **plain})
                    if ok:
                        from_reference[h] = fen
                assert from_reference == set_based, policy.code
