"""The network step of ``bangfu generate`` (the last step): gig markets, the workshops' lifecycle
data, helpers with caseloads covering the workers, and the helpers' service records.

How it comes out for ``chongqing-2024`` (1.9 million people; other sizes scale, never below one
market per district with people):

* 116 gig markets and stations in the directory (零工市场/驿站), one market in every district,
  the rest stations spread by the district's workers; run by the bureau, as a desk or bought.
* The workshops the policies step created become the lifecycle's: a type, a recognition date
  (2019-2024), running (or exited), and their total headcount (their registry members plus
  workers from outside the registry).
* 26,000 registered helpers (劳务经纪人、职业指导师、就业信息员 …) in the townships by their
  workers, every worker on the caseload of one primary helper of the township.
* Organised outflow (有组织劳务输出): of the workers who left for work outside Chongqing in the
  year (their first month out of the city, after a December at home), ``ORGANISED_SHARE`` went
  with a batch of their district, one batch per destination province and month (to the city
  most of its members went to), organised by the primary helper of its first worker; the city
  and its cooperation region (鲁渝协作, 长三角 …) are read from the shipped provinces data. Each
  member's departure is a service.
* The helpers' services (visits, calls, job pushes, guidance, follow-ups): 100,000 in
  January-September with the outflow services, which with 渝职聘's 40,000
  (jobs/generate_services.py) gives the article's 14万人次 of employment services.
* Each registered helper has a bank account (where a broker award is paid).

Numbers come from ``ctx.rng_for("network")``; nothing depends on the wall clock. ``ctx.load`` is
needed (files are not written for this step)."""

from __future__ import annotations

import datetime as dt
import time

import numpy as np

from bangfu import codes
from bangfu.registry.generate import wordlists
from bangfu.registry.generate.context import SCENARIOS

REFERENCE_PEOPLE = SCENARIOS["chongqing-2024"]["people"]
MARKETS = 116        # 零工市场和驿站116个
HELPERS = 26_000     # 劳务经纪人、职业指导师等2.6万人
SERVICES_JAN_SEP = 100_000  # the helpers' share of the 14万人次
HELPER_ROLES = (("broker", 0.6), ("career_guide", 0.15), ("info_officer", 0.2), ("other", 0.05))
SERVICE_KINDS = ("visit", "call", "job_push", "guidance", "follow_up")
OPERATIONS = codes.MARKET_OPERATION.values
WORKSHOP_TYPES = codes.WORKSHOP_TYPE.values
MARKET_SERVICES = codes.MARKET_SERVICE.values
BATCH = 20_000
# Share of the year's departures for work outside Chongqing that went in an organised batch (a
# scenario assumption, not a published figure).
ORGANISED_SHARE = 0.2
BANKS = ("中国农业银行", "重庆农村商业银行", "中国邮政储蓄银行", "中国建设银行")


def scaled(reference: int, ctx) -> int:
    return round(reference * ctx.person_count / REFERENCE_PEOPLE)


def market_plan(ctx, rng) -> list[dict]:
    districts = np.asarray(ctx.persons["district_code"]).astype(str)
    workers = np.asarray(ctx.persons["is_worker"], dtype=bool)
    names, counts = np.unique(districts[workers] if workers.any() else districts, return_counts=True)
    total = max(len(names), scaled(MARKETS, ctx))
    extra = np.zeros(len(names), dtype=np.int64)
    if total > len(names):  # the rest by the district's workers
        extra = np.bincount(rng.choice(len(names), total - len(names), p=counts / counts.sum()),
                            minlength=len(names))
    plan = []
    for d, more in zip(names, extra):
        for i in range(1 + int(more)):
            operation = OPERATIONS[int(rng.integers(len(OPERATIONS)))]
            plan.append({"code": f"LGSC{d}{i:03d}", "name": f"零工市场{i:03d}" if i == 0 else f"零工驿站{i:03d}",
                         "kind": "market" if i == 0 else "station", "district_code": d, "operation": operation,
                         "operator_name": "某人力资源服务有限公司" if operation == "purchased" else "",
                         "contract_start": dt.date(2024, 1, 1) if operation == "purchased" else None,
                         "contract_end": dt.date(2025, 12, 31) if operation == "purchased" else None,
                         "opened_on": dt.date(2022 + int(rng.integers(0, 3)), 1 + int(rng.integers(0, 12)), 1)})
    return plan


def helper_plan(ctx, rng) -> tuple[list[dict], np.ndarray]:
    """Helpers by township (at least one in each township with workers) and each worker's helper."""
    townships = np.asarray(ctx.persons["township_code"]).astype(str)
    workers = np.flatnonzero(np.asarray(ctx.persons["is_worker"], dtype=bool))
    names, inverse, counts = np.unique(townships[workers], return_inverse=True, return_counts=True)
    total = max(len(names), scaled(HELPERS, ctx))
    per = np.ones(len(names), dtype=np.int64)
    if total > len(names):
        per += np.bincount(rng.choice(len(names), total - len(names), p=counts / counts.sum()), minlength=len(names))
    first = np.concatenate([[0], np.cumsum(per)[:-1]])
    helper_of = first[inverse] + (rng.integers(0, 1 << 30, len(workers)) % per[inverse])  # helper index per worker
    roles, weights = zip(*HELPER_ROLES)
    surnames = wordlists.SURNAMES
    given = wordlists.GIVEN_MALE + wordlists.GIVEN_FEMALE
    helpers, taken = [], set()
    for t, n in zip(names, per):
        for _ in range(int(n)):
            born = dt.date(1960 + int(rng.integers(0, 40)), 1 + int(rng.integers(0, 12)), 1 + int(rng.integers(0, 28)))
            applied = dt.date(2019 + int(rng.integers(0, 5)), 1 + int(rng.integers(0, 12)), 1 + int(rng.integers(0, 20)))
            name = surnames[int(rng.integers(len(surnames)))] + given[int(rng.integers(len(given)))]
            while (t[:6], name, born) in taken:  # the natural key is unique (a day later: no draw, same stream)
                born += dt.timedelta(days=1)
            taken.add((t[:6], name, born))
            helpers.append({
                "name": name,
                "role": roles[int(rng.choice(len(roles), p=weights))], "birth_date": born, "township_code": t,
                "phone": f"1{int(rng.integers(30, 90))}{int(rng.integers(0, 10**8)):08d}", "applied_on": applied,
                "registered_on": applied + dt.timedelta(days=45)})
    return helpers, np.stack([workers, helper_of], axis=1)


def outflow_plan(rng, departures: list[tuple[int, str, str, str]], helper_of: dict[int, int], year: int) -> list[dict]:
    """Organised batches from the departures ``(person_id, month, destination city, township)``:
    a share of them, grouped by district, destination province and month (the county's 专列 to
    a province); the batch goes to the city most of its members went to (its cooperation region
    with it), and its helper is the primary helper (an id) of its first member."""
    from bangfu.core.places import place_facts

    picked = [d for d, r in zip(departures, rng.random(len(departures))) if r < ORGANISED_SHARE and d[0] in helper_of]
    groups: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    for person_id, month, city, township in picked:
        if place_facts(city) is None or len(township) < 6:
            continue
        groups.setdefault((township[:6], city[:2], month), []).append((person_id, city))
    plan = []
    for (district, _province, month), rows in sorted(groups.items()):
        cities = [c for _p, c in rows]
        city = max(sorted(set(cities)), key=cities.count)
        facts = place_facts(city)  # the city and its cooperation region, from the shipped data
        members = [p for p, _c in rows]
        plan.append({"district_code": district, "destination_code": city, "month": month,
                     "cooperation_region": facts.cooperation_region or "", "members": members,
                     "helper": helper_of[members[0]], "name": f"{int(month[5:])}月赴{facts.name}务工专列",
                     "departed_on": dt.date(year, int(month[5:]), 1 + int(rng.integers(0, 10)))})
    return plan


def generate_step(ctx) -> None:
    if not ctx.load or ctx.person_count == 0:
        return
    started = time.perf_counter()
    rng = ctx.rng_for("network")
    from bangfu.network.generate_load import load_network

    counts = load_network(ctx, rng, market_plan(ctx, rng), *helper_plan(ctx, rng))
    ctx.counts["network"] = counts
    ctx.say(f"零工市场 {counts['markets']:,} 个、帮扶人员 {counts['helpers']:,} 人、包联 {counts['caseloads']:,} 人、"
            f"有组织劳务输出 {counts['outflow_batches']:,} 批 {counts['outflow_workers']:,} 人、"
            f"服务记录 {counts['services']:,} 条（{time.perf_counter() - started:.1f} 秒）")
