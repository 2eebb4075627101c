"""Demo wage-arrears cases for ``bangfu generate`` (after the registry; see registry/generate).

With ``ctx.load``: the example set of out-of-town offices is imported when none exists, then a
few hundred complaints at most (about one per 2,000 persons, at least 30) are filed through the
intake service and worked through the case services, so every case has its history, deadlines,
audit rows and outbox messages like a real one. About 60% come from registry persons (their ID
numbers), the rest from people outside the registry. Dates run over the six months before
``ctx.as_of``; cases whose work would end after it stay open (and show as overdue later).
Numbers come from ``ctx.rng_for("arrears")``. Without ``ctx.load`` nothing is written.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from bangfu.core.actors import PUBLIC, SYSTEM

ACTOR = SYSTEM
# Where Chongqing's workers go, roughly: (work-place code, weight). Codes 50xxxx are districts.
PLACES = (
    ("4403", 14), ("4419", 9), ("4401", 7), ("4406", 4), ("4420", 3), ("3301", 7), ("3302", 3),
    ("3205", 5), ("32", 3), ("31", 5), ("3502", 3), ("35", 2), ("5101", 7), ("51", 2), ("52", 2),
    ("11", 2), ("65", 1), ("42", 2), ("CQ", 19),
)
FIRMS = ("鑫盛", "宏达", "恒远", "华建", "永安", "金鹏", "顺发", "盛世", "中恒", "长城", "东方", "远大",
         "新华", "华宇", "富源", "兴业", "荣昌", "通达", "德信", "万通")
TRADES = (("建筑劳务有限公司", True), ("建设工程有限公司", True), ("装饰工程有限公司", True),
          ("电子有限公司", False), ("服装厂", False), ("物流有限公司", False), ("餐饮管理有限公司", False),
          ("家具厂", False))
NOTES = {
    "mediated": "约谈用人单位负责人，经调解达成分期支付协议",
    "ordered": "经调查核实，下达劳动保障监察责令改正指令书，限期支付",
    "referred": "用人单位负责人拒不支付，涉嫌拒不支付劳动报酬罪，移送公安机关",
}


def _count(ctx) -> int:
    return int(min(400, max(30, ctx.person_count // 2000)))


def plan_cases(ctx, rng: np.random.Generator) -> list[dict]:
    """The complaints and what happens to them, as plain data (no Django)."""
    from bangfu.core import reference
    from bangfu.core.identifiers import make_id_number

    persons = ctx.persons
    n_persons = ctx.person_count
    districts = [code for code, row in reference.divisions().items() if row["parent_code"] == "50"]
    codes = [code for code, _ in PLACES]
    weights = np.array([w for _, w in PLACES], dtype=float)
    weights /= weights.sum()
    count = _count(ctx)
    employers = [(FIRMS[i % len(FIRMS)] + TRADES[(i * 7) % len(TRADES)][0], TRADES[(i * 7) % len(TRADES)][1])
                 for i in range(max(8, count // 3))]
    plan = []
    for index in range(count):
        from_registry = n_persons > 0 and rng.random() < 0.6
        if from_registry:
            row = int(rng.integers(0, n_persons))
            name, id_number = str(persons["name"][row]), str(persons["id_number"][row])
            phone = str(persons["phone"][row]) or f"139{int(rng.integers(0, 10**8)):08d}"
            home = str(persons["district_code"][row])
        else:
            home = districts[int(rng.integers(0, len(districts)))]
            birth = dt.date(int(rng.integers(1966, 2004)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            id_number = make_id_number(home, birth, index + 17, "M" if rng.random() < 0.7 else "F")
            name = "外来" + "甲乙丙丁戊己庚辛"[index % 8] + str(index)
            phone = f"137{int(rng.integers(0, 10**8)):08d}"
        place = codes[int(rng.choice(len(codes), p=weights))]
        if place == "CQ":
            place = home if rng.random() < 0.5 else districts[int(rng.integers(0, len(districts)))]
        employer, construction = employers[int(rng.integers(0, len(employers)))]
        received = ctx.as_of - dt.timedelta(days=int(rng.integers(0, 183)))
        months = int(rng.integers(1, 7))
        end = received.replace(day=1) - dt.timedelta(days=1)
        start_year, start_month = end.year, end.month - months + 1
        while start_month < 1:
            start_year, start_month = start_year - 1, start_month + 12
        plan.append({
            "worker_name": name, "id_number": id_number, "phone": phone, "employer_name": employer,
            "is_construction": construction, "work_place_code": place,
            "period_start": f"{start_year:04d}-{start_month:02d}", "period_end": f"{end:%Y-%m}",
            "amount_owed_fen": int(round(float(rng.lognormal(9.0, 0.8)))) * 100,
            "workers_affected": int(rng.choice([1, 1, 1, 2, 3, 5, 12])),
            "received": received, "hour": int(rng.integers(8, 21)),
            "decide_after": int(rng.choice([1, 2, 3, 4, 5, 5, 6, 8])),
            "accept": bool(rng.random() < 0.87),
            "route": ("mediated", "ordered", "referred")[int(rng.choice(3, p=[0.65, 0.28, 0.07]))],
            "work_days": int(rng.integers(8, 75)),
            "recovered_share": float(rng.choice([1.0, 1.0, 1.0, 0.8, 0.5])),
        })
    return plan


def _load(ctx, plan: list[dict]) -> int:
    from zoneinfo import ZoneInfo

    from django.db import transaction

    from bangfu.arrears.importers import IMPORTERS, example_path
    from bangfu.arrears.models import Office
    from bangfu.arrears.services import case_intake, case_payment_record, case_transition
    from bangfu.arrears.validation import Complaint
    from bangfu.core.audit import audit_record
    from bangfu.core.imports import run_import
    from bangfu.core.workdays import add_working_days

    tz = ZoneInfo("Asia/Shanghai")
    if not Office.objects.filter(kind="outpost").exists():
        run_import(IMPORTERS["offices"], example_path(), actor=ACTOR, filename=example_path().name)
    filed = 0
    for item in plan:
        with transaction.atomic():
            received = item["received"]
            complaint = Complaint(**{k: item[k] for k in (
                "worker_name", "id_number", "phone", "employer_name", "is_construction", "work_place_code",
                "period_start", "period_end", "amount_owed_fen", "workers_affected")},
                description="（演示数据）")
            now = dt.datetime(received.year, received.month, received.day, item["hour"], tzinfo=tz)
            result = case_intake(complaint=complaint, channel="public", actor=PUBLIC, now=now)
            filed += 1
            case = result.case
            if result.linked_to is not None:
                continue
            decided = add_working_days(received, item["decide_after"])
            if decided > ctx.as_of:
                continue
            if not item["accept"]:
                case_transition(case=case, to_state="rejected", actor=ACTOR, today=decided,
                                note="经核实已申请劳动仲裁，按规定不予受理，已告知投诉人仲裁途径")
                continue
            case = case_transition(case=case, to_state="accepted", actor=ACTOR, today=decided)
            steps = [(2, "investigating", ""), (max(4, item["work_days"] // 2), item["route"], NOTES[item["route"]])]
            day = decided
            for offset, state, note in steps:
                day = add_working_days(day, offset)
                if day > ctx.as_of:
                    break
                case = case_transition(case=case, to_state=state, actor=ACTOR, today=day, note=note)
            else:
                day = add_working_days(decided, item["work_days"])
                if day > ctx.as_of:
                    continue
                amount = int(case.amount_owed_fen * item["recovered_share"]) // 100 * 100 or 100
                case = case_payment_record(case=case, amount_fen=amount, workers=case.workers_affected,
                                           actor=ACTOR, today=day)
                close = add_working_days(day, 2)
                if close <= ctx.as_of:
                    case_transition(case=case, to_state="closed", actor=ACTOR, today=close,
                                    note=f"{NOTES[item['route']]}；已支付工资，投诉人确认收到，办结。")
    audit_record(actor=ACTOR, action="arrears_case.generate", area_code="50", detail={"cases": filed})
    return filed


def generate_step(ctx) -> None:
    rng = ctx.rng_for("arrears")
    plan = plan_cases(ctx, rng)
    filed = _load(ctx, plan) if ctx.load else 0
    ctx.counts["arrears"] = {"cases": filed}
    if ctx.load:
        ctx.say(f"已生成 {filed} 件欠薪投诉（演示数据）")
