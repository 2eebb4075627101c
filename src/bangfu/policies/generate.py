"""Synthetic facts of the subsidies app for ``bangfu generate`` (after the registry and monitoring).

- payee accounts (收款账户) for about 97% of the persons aged 16 or more: subsidies are paid
  into them; the rest show up as "缺少收款账户" when a payment batch is made;
- enterprises (about one per 150 persons): employers (``bangfu.employers``) with valid unified
  social credit codes and corporate accounts;
- social-insurance contributions: about 4% of the workers employed by an enterprise of their
  district for a spell of 3-40 months ending by ``ctx.as_of``, four insurance types a month;
- assistance workshops (about one per 500 persons) run by an enterprise of their district, with
  5-30 members of their township working 2-24 months;
- the four example policies (``policies/examples/*.yaml``);
- with ``--load``, their entitlements paid through payment batches (``policies/generate_payments.py``).

Numbers come from ``ctx.rng_for("policies")``; months are relative to ``ctx.as_of``.
"""

from __future__ import annotations

import numpy as np

from bangfu.core.actors import SYSTEM
from bangfu.core.months import month_of, months_ending
from bangfu.policies.generate_payments import generate_payments

BANKS = ("重庆农村商业银行", "中国邮政储蓄银行", "中国农业银行", "中国建设银行", "中国工商银行")
BANK_WEIGHTS = (0.45, 0.2, 0.15, 0.1, 0.1)
FIRM_WORDS = ("华信", "恒达", "鑫源", "福瑞", "众成", "宏图", "金桥", "长江", "巴渝", "三峡", "山城", "德润",
              "兴旺", "瑞丰", "安达", "裕隆", "博远", "嘉禾", "天成", "永利")
FIRM_TRADES = ("农业开发", "食品", "服装", "电子", "建材", "物流", "家政服务", "竹木制品", "中药材", "电商")
# Employer and worker contribution rates on a monthly base (Chongqing-like, simplified).
RATES = {"pension": (0.16, 0.08), "medical": (0.085, 0.02), "unemployment": (0.005, 0.005), "injury": (0.004, 0.0)}
BASE_YUAN = (4200, 7000)


def _uscc(rng, district: str, i: int) -> str:
    from stdnum.cn import uscc

    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = "91" + district + "".join(rng.choice(list(alphabet), 9))  # 17 characters
    return body + uscc.calc_check_digit(body)


def _account(rng) -> str:
    return "621" + "".join(str(d) for d in rng.integers(0, 10, 16))


REFERENCE_PEOPLE = 1_900_000  # the chongqing-2024 scenario
REFERENCE_WORKSHOPS = 632  # 帮扶车间 running at the end of September 2024


def make_facts(ctx, rng) -> dict:
    """Enterprises, workshops, members and contributions as plain Python rows (no Django)."""
    persons = ctx.persons
    n = ctx.person_count
    districts = np.asarray(persons["district_code"]).astype(str)
    townships = np.asarray(persons["township_code"]).astype(str)
    is_worker = np.asarray(persons["is_worker"], dtype=bool)
    unique_districts, counts = np.unique(districts, return_counts=True)

    enterprises = []
    for d, count in zip(unique_districts, counts):
        for _ in range(max(2, int(count) // 150)):
            i = len(enterprises)
            name = f"{FIRM_WORDS[rng.integers(len(FIRM_WORDS))]}{FIRM_TRADES[rng.integers(len(FIRM_TRADES))]}有限公司"
            enterprises.append({"index": i, "name": f"重庆{name[:2]}{i:04d}{name[2:]}", "uscc": _uscc(rng, d, i),
                                "district_code": d, "township_code": "", "bank_name": BANKS[rng.integers(len(BANKS))],
                                "bank_account": "5001" + "".join(str(x) for x in rng.integers(0, 10, 15))})
    by_district: dict[str, list[int]] = {}
    for e in enterprises:
        by_district.setdefault(e["district_code"], []).append(e["index"])

    window = months_ending(month_of(ctx.as_of), 48)
    contributions = []
    workers = np.flatnonzero(is_worker & (rng.random(n) < 0.04))
    for p in workers:
        firms = by_district.get(districts[p])
        if not firms:
            continue
        firm = firms[rng.integers(len(firms))]
        length = int(rng.integers(3, 41))
        end = len(window) - 1 - int(rng.integers(0, 6))
        start = max(0, end - length + 1)
        base = int(rng.integers(*BASE_YUAN)) * 100
        for month in window[start:end + 1]:
            for kind, (er, wr) in RATES.items():
                contributions.append((int(p), firm, month, kind, round(base * er), round(base * wr)))

    workshops, members = [], []
    unique_townships, t_counts = np.unique(townships, return_counts=True)
    # 帮扶车间632个 (running) at 1.9 million people, scaled; a few more that have exited
    running = max(3, round(REFERENCE_WORKSHOPS * n / REFERENCE_PEOPLE))
    busiest = [unique_townships[i] for i in np.argsort(-t_counts, kind="stable")[: round(running / 0.95) + 1]]
    recent = months_ending(month_of(ctx.as_of), 24)
    for t in busiest:
        firms = by_district.get(t[:6])
        pool = np.flatnonzero((townships == t) & is_worker)
        if not firms or len(pool) == 0:
            continue
        w = len(workshops)
        workshops.append({"index": w, "code": f"BFCJ{t}{w:03d}", "name": f"帮扶车间{w + 1:03d}",
                          "enterprise": firms[rng.integers(len(firms))], "district_code": t[:6],
                          "township_code": t, "active": sum(x["active"] for x in workshops) < running})
        size = min(len(pool), int(rng.integers(5, 31)))
        for p in rng.choice(pool, size, replace=False):
            months = int(rng.integers(2, 25))
            start = int(rng.integers(0, len(recent) - months + 1))
            end = start + months - 1
            members.append((w, int(p), recent[start], "" if end == len(recent) - 1 else recent[end]))
    return {"enterprises": enterprises, "contributions": contributions, "workshops": workshops, "members": members}


def generate_step(ctx) -> None:
    rng = ctx.rng_for("policies")
    facts = make_facts(ctx, rng)
    n = ctx.person_count
    ages = np.asarray(ctx.persons["age"])
    has_account = (ages >= 16) & (rng.random(n) < 0.97)
    bank_index = rng.choice(len(BANKS), n, p=BANK_WEIGHTS)
    accounts = [(i, BANKS[bank_index[i]], _account(rng)) for i in np.flatnonzero(has_account)]
    if ctx.load:
        _load(ctx, facts, accounts)
        ctx.counts["payments"] = generate_payments(ctx, facts)  # entitlements paid, after the accounts
    ctx.counts["policies"] = {
        "enterprises": len(facts["enterprises"]), "contributions": len(facts["contributions"]),
        "workshops": len(facts["workshops"]), "workshop_members": len(facts["members"]),
        "payee_accounts": len(accounts),
    }
    ctx.say(f"已生成 {len(facts['enterprises'])} 家企业、{len(facts['contributions']):,} 条社保缴费、"
            f"{len(facts['workshops'])} 个帮扶车间、{len(accounts):,} 个收款账户")


def _load(ctx, facts: dict, accounts: list) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.core.audit import audit_record
    from bangfu.core.pii import pii_encrypt, pii_hash
    from bangfu.employers.models import Employer
    from bangfu.insurance.models import SocialInsuranceContribution
    from bangfu.network.models import Workshop, WorkshopMember, WorkshopRatingRecord
    from bangfu.policies.generate_payments import workshop_rating
    from bangfu.payments.models import PayeeAccount
    from bangfu.policies.services import policy_load_examples

    ids = np.asarray(ctx.persons["id"])
    now = timezone.now()
    with transaction.atomic():
        # Employers of the enterprise subsidies; a code already registered is kept as it is.
        Employer.objects.bulk_create([
            Employer(name=e["name"], uscc=e["uscc"], place_code=e["district_code"], district_code=e["district_code"],
                     township_code="", bank_name=e["bank_name"], bank_account=e["bank_account"],
                     bank_account_hash=pii_hash(e["bank_account"]), owner_area_code=e["district_code"])
            for e in facts["enterprises"]
        ], batch_size=1000, ignore_conflicts=True)
        by_uscc = dict(Employer.objects.filter(uscc__in=[e["uscc"] for e in facts["enterprises"]])
                       .values_list("uscc", "pk"))
        firm_ids = [by_uscc[e["uscc"]] for e in facts["enterprises"]]
        Workshop.objects.bulk_create([
            Workshop(code=w["code"], name=w["name"], employer_id=firm_ids[w["enterprise"]],
                     district_code=w["district_code"], township_code=w["township_code"], active=w["active"],
                     status="running" if w["active"] else "exited")
            for w in facts["workshops"]
        ], batch_size=1000)
        by_code = dict(Workshop.objects.values_list("code", "pk"))
        shop_ids = [by_code[w["code"]] for w in facts["workshops"]]
        # last year's rating, which the workshop award of last year reads (generate_payments)
        WorkshopRatingRecord.objects.bulk_create([
            WorkshopRatingRecord(workshop_id=shop_ids[w["index"]], year=ctx.as_of.year - 1,
                                 rating=workshop_rating(w["index"]))
            for w in facts["workshops"] if w["active"]
        ], batch_size=1000)
        WorkshopMember.objects.bulk_create([
            WorkshopMember(workshop_id=shop_ids[w], person_id=int(ids[p]), start_month=s, end_month=e)
            for w, p, s, e in facts["members"]
        ], batch_size=2000)
    rows = facts["contributions"]
    sql = (f"INSERT INTO {SocialInsuranceContribution._meta.db_table} (person_id, employer_id, month, insurance_type, "
           "employer_fen, worker_fen, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s)")
    for start in range(0, len(rows), 50_000):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, [(int(ids[p]), firm_ids[f], m, k, er, wr, now)
                                     for p, f, m, k, er, wr in rows[start:start + 50_000]])
        ctx.progress("社保缴费", min(start + 50_000, len(rows)), len(rows))
    asql = (f"INSERT INTO {PayeeAccount._meta.db_table} (person_id, bank_name, account, account_hash, created_at, "
            "updated_at) VALUES (%s, %s, %s, %s, %s, %s)")
    for start in range(0, len(accounts), 20_000):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(asql, [(int(ids[i]), bank, pii_encrypt(acc), pii_hash(acc), now, now)
                                      for i, bank, acc in accounts[start:start + 20_000]])
        ctx.progress("收款账户", min(start + 20_000, len(accounts)), len(accounts))
    with transaction.atomic():
        outcome = policy_load_examples(actor=SYSTEM)
        audit_record(actor=SYSTEM, action="policies.generate",
                     detail={"enterprises": len(firm_ids), "workshops": len(shop_ids), "contributions": len(rows),
                             "payee_accounts": len(accounts), "policies": outcome})
