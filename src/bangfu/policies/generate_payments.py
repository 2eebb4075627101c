"""Paid subsidies for ``bangfu generate`` (called by the policies step once its facts, payee
accounts and the example policies are loaded): the chain policy run → entitlements → payment
batches → payments paid by the bank, calibrated to the article (Chongqing Daily, 2024-09-28):
at 1.9 million people, January..September of ``ctx.as_of``'s year pays ¥4亿+ to 37万
person-times (DESIGN.md section 5); other sizes scale with the population.

Entitlements follow the example policies' rules on the generated facts:

- ``transport_subsidy`` (the year of ``as_of``): every worker with a month outside their county
  that year, 200 yuan if one of those months was outside the city, else 50; ready from that month;
- ``pension_premium_on_behalf`` (same year): the vulnerable groups of ``insurance.generate``
  (100 yuan) and monitored persons outside them (50), aged 16-59, not at school, without an
  employee pension that year; ready from January;
- ``employer_insurance_subsidy`` and ``workshop_award`` of the year before (paid once that
  year's contributions and members are known): the employer share of the year's contributions
  (at most 36 months per worker), and 2-10万 by the members who worked six months or more.

Each month has one batch per policy, paid by the bank that month. Person claims are paid at a
steady rate (the article's person-times / 9 a month) from the month they are ready, in a random
order; employer claims likewise at the article's money / 9 a month, less what persons got. What
is not paid by December waits, approved, for next year's batches; a person without a payee
account is never batched. Numbers come from ``ctx.rng_for("policies-payments")``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bangfu import codes
from bangfu.registry.generate.context import SCENARIOS
from bangfu.core.actors import SYSTEM

REFERENCE_PEOPLE = SCENARIOS["chongqing-2024"]["people"]
PERSON_TIMES_JAN_SEP = 370_000  # 惠及37万人次
PAID_FEN_JAN_SEP = 410_000_000 * 100  # 兑现资金4亿元以上
TRANSPORT_FEN = {"in_city": 5_000, "outside_city": 20_000}
PENSION_FEN = 10_000
AWARD_TIERS_FEN = ((30, 10_000_000), (20, 5_000_000), (10, 3_000_000), (5, 2_000_000))
SUBSIDISED_MONTHS = 36
STABLE_MONTHS = 6
PERSON_POLICIES = ("transport_subsidy", "pension_premium_on_behalf")
EMPLOYER_POLICIES = ("employer_insurance_subsidy", "workshop_award")


@dataclass
class Grants:
    """The entitlements of one policy and period, one element per beneficiary."""

    code: str
    period: str
    kind: str  # person | enterprise | workshop
    index: np.ndarray  # into ctx.persons, facts["enterprises"] or facts["workshops"]
    amount_fen: np.ndarray
    ready: np.ndarray  # the first month (1..12 of the paying year) it may be paid
    facts: list[dict]
    paid_month: np.ndarray | None = None  # 1..12, 0 = not paid this year


def planned(ctx) -> dict[str, int]:
    """Person-times and fen paid per month of ``ctx.as_of``'s year."""
    share = ctx.person_count / REFERENCE_PEOPLE
    return {"person_times": round(PERSON_TIMES_JAN_SEP * share / 9), "fen": round(PAID_FEN_JAN_SEP * share / 9)}


# ---- who is entitled ----------------------------------------------------------------------------
def _transport(ctx) -> Grants:
    year = str(ctx.as_of.year)
    share = ctx.shared.get("monitoring", {})
    months, employed, places = share.get("months", []), share.get("employed", []), share.get("places", [])
    n = ctx.person_count
    first = np.zeros(n, dtype=np.int16)  # first month outside the county, 0 = none
    outside_city = np.zeros(n, dtype=bool)
    for month, mask, place in zip(months, employed, places):
        if not month.startswith(year):
            continue
        out = mask & np.isin(place, codes.OUTSIDE_COUNTY)
        first[out & (first == 0)] = int(month[5:])
        outside_city |= mask & np.isin(place, codes.OUTSIDE_CITY)
    p = ctx.persons
    able = np.isin(np.asarray(p["labour_ability"].tolist(), dtype=object), codes.WORKING_ABILITIES)
    who = np.flatnonzero((first > 0) & able & (np.asarray(p["age"]) >= 16))
    far = outside_city[who]
    amount = np.where(far, TRANSPORT_FEN["outside_city"], TRANSPORT_FEN["in_city"]).astype(np.int64)
    return Grants("transport_subsidy", year, "person", who, amount, first[who].astype(np.int16),
                  [{"worked_outside_county": True, "worked_outside_city": bool(f)} for f in far])


def _pension(ctx, pensioned: np.ndarray) -> Grants:
    """The policy's rule on the vulnerable groups the insurance step loads (the same draw):
    the groups whole, monitored persons outside them half; aged 16-59, not at school, no employee pension."""
    from bangfu.insurance.generate import vulnerable_groups

    p = ctx.persons
    age = np.asarray(p["age"])
    groups = vulnerable_groups(ctx, exclude=pensioned)
    in_group = np.zeros(ctx.person_count, dtype=bool)
    in_group[groups["index"]] = True
    monitored = np.asarray(p["category"].tolist(), dtype=object) == "monitored"
    who = np.flatnonzero((in_group | monitored) & (age >= 16) & (age <= 59)
                         & ~np.asarray(p["in_school"], dtype=bool) & ~pensioned)
    amount = np.where(in_group[who], PENSION_FEN, PENSION_FEN // 2).astype(np.int64)
    return Grants("pension_premium_on_behalf", str(ctx.as_of.year), "person", who, amount,
                  np.ones(len(who), dtype=np.int16),
                  [{"age": int(a), "employee_pension_months": 0} for a in age[who]])


def _contributions(facts: dict) -> dict[str, np.ndarray]:
    rows = facts["contributions"]  # (person, firm, month, type, employer fen, worker fen), month order
    person = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    return {"person": person, "firm": np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows)),
            "month": np.asarray([r[2] for r in rows], dtype=object),
            "pension": np.asarray([r[3] == "pension" for r in rows], dtype=bool),
            "employer_fen": np.fromiter((r[4] for r in rows), dtype=np.int64, count=len(rows))}


def _enterprise_subsidy(facts: dict, c: dict[str, np.ndarray], year: str) -> Grants:
    """The employer share of ``year``'s contributions, at most 36 months from each worker's first."""
    # Each worker has one spell with one firm: the nth month counts from the worker's first.
    index = np.asarray([int(m[:4]) * 12 + int(m[5:]) - 1 for m in c["month"]], dtype=np.int64)
    first = np.full(int(c["person"].max()) + 1 if len(index) else 0, np.iinfo(np.int64).max)
    np.minimum.at(first, c["person"], index)
    nth = index - first[c["person"]] + 1
    in_year = (index // 12 == int(year)) & (nth <= SUBSIDISED_MONTHS)
    firms = len(facts["enterprises"])
    fen = np.bincount(c["firm"][in_year], weights=c["employer_fen"][in_year], minlength=firms).astype(np.int64)
    workers = np.zeros(firms, dtype=np.int64)
    pairs = np.unique(c["person"][in_year] * firms + c["firm"][in_year])
    np.add.at(workers, pairs % firms, 1)
    who = np.flatnonzero((workers >= 1) & (fen > 0))
    return Grants("employer_insurance_subsidy", year, "enterprise", who, fen[who], np.ones(len(who), np.int16),
                  [{"poverty_workers_employed": int(workers[i]), "employer_share_paid(36)": fen[i] / 100}
                   for i in who])


def _workshop_award(facts: dict, year: str) -> Grants:
    stable = np.zeros(len(facts["workshops"]), dtype=np.int64)
    for w, _p, start, end in facts["members"]:
        first, last = max(start, f"{year}-01"), min(end or "9999-12", f"{year}-12")
        if first <= last and _months_between(first, last) >= STABLE_MONTHS:
            stable[w] += 1
    active = np.asarray([w["active"] for w in facts["workshops"]], dtype=bool)
    who = np.flatnonzero(active & (stable >= AWARD_TIERS_FEN[-1][0]))
    amount = np.asarray([next(fen for k, fen in AWARD_TIERS_FEN if stable[i] >= k) for i in who], dtype=np.int64)
    return Grants("workshop_award", year, "workshop", who, amount, np.ones(len(who), np.int16),
                  [{"is_active": True, "poverty_workers_employed(6)": int(stable[i])} for i in who])


def _months_between(first: str, last: str) -> int:
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:]) + 1


def make_grants(ctx, facts: dict) -> list[Grants]:
    """The entitlements of the four example policies (no Django)."""
    c = _contributions(facts)
    year = str(ctx.as_of.year)
    pensioned = np.zeros(ctx.person_count, dtype=bool)
    this_year = np.asarray([m.startswith(year) for m in c["month"]], dtype=bool) & c["pension"]
    pensioned[c["person"][this_year]] = True
    last_year = str(ctx.as_of.year - 1)
    return [_transport(ctx), _pension(ctx, pensioned), _enterprise_subsidy(facts, c, last_year),
            _workshop_award(facts, last_year)]


# ---- when it is paid ------------------------------------------------------------------------------
def schedule(ctx, rng: np.random.Generator, grants: list[Grants], payable: dict[str, np.ndarray]) -> None:
    """Set ``paid_month`` of every grant: persons at the monthly person-times, employers at the
    monthly money left after the persons. ``payable[kind]`` says which beneficiaries have an account."""
    rate = planned(ctx)
    people = [g for g in grants if g.kind == "person"]
    for g in grants:
        g.paid_month = np.zeros(len(g.index), dtype=np.int16)
    ready = np.concatenate([g.ready for g in people]) if people else np.zeros(0, np.int16)
    ok = np.concatenate([payable["person"][g.index] for g in people]) if people else np.zeros(0, bool)
    month = np.zeros(len(ready), dtype=np.int16)
    order = rng.permutation(len(ready))
    for m in range(1, 13):
        waiting = order[(month[order] == 0) & ok[order] & (ready[order] <= m)]
        month[waiting[:rate["person_times"]]] = m
    _split(people, month)
    person_fen = sum(int(g.amount_fen[(g.paid_month >= 1) & (g.paid_month <= 9)].sum()) for g in people)
    firms = [g for g in grants if g.kind != "person"]
    amount = np.concatenate([g.amount_fen for g in firms]) if firms else np.zeros(0, np.int64)
    ok = np.concatenate([payable[g.kind][g.index] for g in firms]) if firms else np.zeros(0, bool)
    order = rng.permutation(len(amount))
    order = order[ok[order]]
    # The largest claims first (ties in the random order): the claim that crosses September's
    # total is then a small one, so a small population does not overshoot the article by one award.
    order = order[np.argsort(-amount[order], kind="stable")]
    monthly = max(1, (9 * rate["fen"] - person_fen) // 9)
    before = np.cumsum(amount[order]) - amount[order]  # paid before this claim, in the queue's order
    month = np.zeros(len(amount), dtype=np.int16)
    month[order] = np.where(before // monthly < 12, before // monthly + 1, 0)
    _split(firms, month)


def _split(grants: list[Grants], month: np.ndarray) -> None:
    start = 0
    for g in grants:
        g.paid_month = month[start:start + len(g.index)]
        start += len(g.index)


# ---- the database -------------------------------------------------------------------------------
SETTLE_DAY = 20  # batches are made on the 15th and the bank returns them on the 20th, 10:00 local


def generate_payments(ctx, facts: dict) -> dict[str, int]:
    """Entitlements, batches and payments into the database (after the policies step's load)."""
    grants = make_grants(ctx, facts)
    accounts = _person_accounts(ctx)
    firms = _firm_accounts(facts)
    payable = {"person": accounts["ok"], "enterprise": firms["enterprise_ok"], "workshop": firms["workshop_ok"]}
    schedule(ctx, ctx.rng_for("policies-payments"), grants, payable)
    counts = _load(ctx, grants, accounts, firms)
    ctx.say(f"已生成补贴待遇 {counts['entitlements']:,} 条、支付批次 {counts['batches']} 个、"
            f"已发放 {counts['payments']:,} 笔（{counts['paid_fen'] / 1e6:,.1f} 万元）")
    return counts


def _rows(cursor, sql: str) -> list[tuple]:
    cursor.execute(sql)
    return cursor.fetchall()


def _person_accounts(ctx) -> dict[str, np.ndarray]:
    """Each person's payee account as stored (ciphertext copied, never decrypted)."""
    from django.db import connection

    from bangfu.payments.models import PayeeAccount

    ids = np.asarray(ctx.persons["id"])
    n = ctx.person_count
    out = {"ok": np.zeros(n, dtype=bool), "bank": np.full(n, "", dtype=object),
           "account": np.full(n, "", dtype=object), "hash": np.full(n, "", dtype=object)}
    with connection.cursor() as cursor:
        rows = _rows(cursor, f"SELECT person_id, bank_name, account, account_hash FROM {PayeeAccount._meta.db_table}")
    if not rows or n == 0:
        return out
    person = np.asarray([r[0] for r in rows], dtype=np.int64)
    at = np.clip(np.searchsorted(ids, person), 0, n - 1)
    mine = ids[at] == person
    at, rows = at[mine], [r for r, m in zip(rows, mine) if m]
    out["ok"][at] = True
    out["bank"][at] = [r[1] for r in rows]
    out["account"][at] = [r[2] for r in rows]
    out["hash"][at] = [r[3] for r in rows]
    return out


def _firm_accounts(facts: dict) -> dict:
    """Database rows of the generated enterprises and workshops: ids and the accounts paid into."""
    from django.db import connection

    from bangfu.employers.models import Employer
    from bangfu.network.models import Workshop

    with connection.cursor() as cursor:
        employers = {r[0]: r[1:] for r in _rows(cursor, (
            f"SELECT uscc, id, name, bank_name, bank_account, bank_account_hash FROM {Employer._meta.db_table} "
            "WHERE bank_account_hash <> ''"))}
        shops = {r[0]: r[1:] for r in _rows(cursor, f"SELECT code, id, employer_id FROM {Workshop._meta.db_table}")}
    by_id = {row[0]: row for row in employers.values()}
    enterprise = [employers.get(e["uscc"]) for e in facts["enterprises"]]
    shop = [shops.get(w["code"]) for w in facts["workshops"]]
    operator = [by_id.get(s[1]) if s else None for s in shop]
    return {"enterprise_area": [(e["district_code"], "") for e in facts["enterprises"]],
            "workshop_area": [(w["district_code"], w["township_code"]) for w in facts["workshops"]],
            "enterprise": enterprise, "enterprise_ok": np.asarray([e is not None for e in enterprise], dtype=bool),
            "workshop": shop, "operator": operator,
            "workshop_ok": np.asarray([o is not None for o in operator], dtype=bool)}


def _load(ctx, grants: list[Grants], accounts: dict, firms: dict) -> dict[str, int]:
    import json

    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.core.audit import audit_record
    from bangfu.payments.models import Payment, PaymentBatch
    from bangfu.policies.models import Entitlement, Policy, PolicyRun
    from bangfu.policies.payables import CLAIM_TYPE, EntitlementClaims, scope_of
    from bangfu.registry.generate.loader import _insert, _next_id, local_datetime

    p = ctx.persons
    ids, names = np.asarray(ctx.persons["id"]), p["name"]
    districts, townships = np.asarray(p["district_code"]).astype(str), np.asarray(p["township_code"]).astype(str)
    policies = {x.code: x for x in Policy.objects.select_related("current_version").filter(
        code__in=[g.code for g in grants])}
    year = ctx.as_of.year
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    counts = {"entitlements": 0, "batches": 0, "payments": 0, "paid_fen": 0}
    with transaction.atomic():
        entitlement_id, batch_id, payment_id = _next_id(Entitlement), _next_id(PaymentBatch), _next_id(Payment)
        for g in grants:
            policy = policies.get(g.code)
            if policy is None or len(g.index) == 0:
                continue
            run = PolicyRun.objects.create(
                policy=policy, version=policy.current_version, period=g.period, area_code="50", mode="commit",
                status="done", eligible=len(g.index), total_fen=int(g.amount_fen.sum()), created=len(g.index),
                result={"generated": True}, finished_at=timezone.now())
            who = _beneficiaries(g, ids, districts, townships, names, accounts, firms)
            e_ids = list(range(entitlement_id, entitlement_id + len(g.index)))
            entitlement_id += len(g.index)
            paid = g.paid_month > 0
            _insert(Entitlement, {
                "id": e_ids, "policy_id": policy.pk, "version_id": policy.current_version_id, "run_id": run.pk,
                "period": g.period, "beneficiary_kind": g.kind, "beneficiary_id": who["beneficiary_id"],
                "person_id": who["person_id"], "employer_id": who["employer_id"], "workshop_id": who["workshop_id"],
                "district_code": who["district"], "township_code": who["township"],
                "amount_fen": g.amount_fen.tolist(),
                "status": np.where(paid, "paid", "approved").tolist(),
                "facts": [json.dumps(f, ensure_ascii=False) for f in g.facts],
                "created_at": now, "decided_at": now}, len(e_ids))
            counts["entitlements"] += len(e_ids)
            purpose = EntitlementClaims().purpose(scope_of(policy, g.period))[:200]
            for m in range(1, 13):
                lines = np.flatnonzero(g.paid_month == m)
                if len(lines) == 0:
                    continue
                fen = int(g.amount_fen[lines].sum())
                settled = local_datetime(year, m, SETTLE_DAY, 10)
                _insert(PaymentBatch, {
                    "id": [batch_id], "number": [f"ZF{year}{m:02d}{SETTLE_DAY - 5:02d}G{batch_id:05d}"],
                    "claim_type": CLAIM_TYPE, "scope": scope_of(policy, g.period), "purpose": purpose,
                    "area_code": "50", "status": "settled", "line_count": len(lines), "total_fen": fen,
                    "paid_count": len(lines), "paid_fen": fen, "created_at": local_datetime(year, m, SETTLE_DAY - 5, 9),
                    "exported_at": local_datetime(year, m, SETTLE_DAY - 5, 11), "settled_at": settled}, 1)
                k = len(lines)
                _insert(Payment, {
                    "id": list(range(payment_id, payment_id + k)), "batch_id": batch_id,
                    "line_no": list(range(1, k + 1)), "claim_type": CLAIM_TYPE,
                    "claim_id": [e_ids[i] for i in lines],
                    "payee_person_id": [who["payee_person"][i] for i in lines],
                    "payee_employer_id": [who["payee_employer"][i] for i in lines],
                    "payee_name": [who["payee_name"][i] for i in lines],
                    "bank_name": [who["bank"][i] for i in lines], "account": [who["account"][i] for i in lines],
                    "account_hash": [who["hash"][i] for i in lines], "amount_fen": g.amount_fen[lines].tolist(),
                    "status": "paid", "bank_reference": [f"GEN{payment_id + j:012d}" for j in range(k)],
                    "settled_at": settled, "district_code": [who["district"][i] for i in lines],
                    "township_code": [who["township"][i] for i in lines]}, k)
                payment_id += k
                batch_id += 1
                counts["batches"] += 1
                counts["payments"] += k
                counts["paid_fen"] += fen
            ctx.progress("补贴发放", counts["entitlements"], sum(len(x.index) for x in grants))
        for sql in connection.ops.sequence_reset_sql(no_style(), [Entitlement, PaymentBatch, Payment]):
            with connection.cursor() as cursor:
                cursor.execute(sql)
        audit_record(actor=SYSTEM, action="policies.generate_payments", area_code="50", detail=counts)
    return counts


def _beneficiaries(g: Grants, ids, districts, townships, names, accounts: dict, firms: dict) -> dict[str, list]:
    """Per grant: the beneficiary's keys, area and the account its payment goes to."""
    i = g.index
    if g.kind == "person":
        person = ids[i].astype(int).tolist()
        none = [None] * len(i)
        return {"beneficiary_id": person, "person_id": person, "employer_id": none, "workshop_id": none,
                "district": districts[i].tolist(), "township": townships[i].tolist(),
                "payee_person": person, "payee_employer": none, "payee_name": [str(x) for x in names[i]],
                "bank": accounts["bank"][i].tolist(), "account": accounts["account"][i].tolist(),
                "hash": accounts["hash"][i].tolist()}
    if g.kind == "enterprise":
        rows = [firms["enterprise"][k] for k in i]
        area = [firms["enterprise_area"][k] for k in i]
        payee = rows
    else:
        shops = [firms["workshop"][k] for k in i]
        rows, payee = shops, [firms["operator"][k] for k in i]
        area = [firms["workshop_area"][k] for k in i]
    eid = [r[0] if r else None for r in rows]
    return {"beneficiary_id": eid, "person_id": [None] * len(i),
            "employer_id": eid if g.kind == "enterprise" else [None] * len(i),
            "workshop_id": eid if g.kind == "workshop" else [None] * len(i),
            "district": [a[0] for a in area], "township": [a[1] for a in area],
            "payee_person": [None] * len(i), "payee_employer": [r[0] if r else None for r in payee],
            "payee_name": [r[1] if r else "" for r in payee], "bank": [r[2] if r else "" for r in payee],
            "account": [r[3] if r else "" for r in payee], "hash": [r[4] if r else "" for r in payee]}
