"""Social insurance for ``bangfu generate`` (a step after the others; ``--load`` only), calibrated to
the article at 1.9 million people and scaled by the population like the other steps:

- vulnerable groups (低保, 特困, 重度残疾) chosen so that the premium paid on behalf for the year
  of ``ctx.as_of`` reaches 31万 persons and ¥2600余万 (the policies step grants and pays it by the
  policy's rule on these groups: ``vulnerable_groups`` is shared with it through ``ctx.shared``);
- the insured list of that year: everyone who should be insured (16 or older, not at school) on
  it for a pension scheme and for medical insurance, but for about 0.6 %, who become the gaps;
- nine platforms of the injury pilot with monthly declarations from 2022-07, 56万 workers with
  orders in the last month;
- unemployment-insurance contributions of the generated enterprises for two years, whose 减征额 in
  the year of ``as_of`` is ¥22亿; the job-retention refund of the year before, by its policy.

Numbers come from ``ctx.rng_for("insurance…")``: one seed gives the same data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from bangfu import codes
from bangfu.core.actors import SYSTEM
from bangfu.core.months import month_range
from bangfu.insurance.params import param, ui_reduction_fen
from bangfu.registry.generate.context import SCENARIOS

REFERENCE_PEOPLE = SCENARIOS["chongqing-2024"]["people"]
ON_BEHALF_PERSONS = 310_000  # 为31万困难群体代缴
ON_BEHALF_FEN = 26_600_000 * 100  # 2600余万元
WHOLE_FEN, PART_FEN = 10_000, 5_000  # the policy's amounts (whole grade, half of it)
UNINSURED_SHARE = 0.006  # 应保尽保: about 99.4 % insured
INJURY_INSURED = 560_000  # 参保人数达56万人
UI_REDUCTION_FEN = 2_200_000_000 * 100  # 为企业减征失业保险费22亿元
PILOT_START = "2022-07"
# (industry, share of the workers, orders per worker and month)
PLATFORMS = (("instant_delivery", 0.55, 260), ("ride_hailing", 0.35, 180), ("freight", 0.10, 45))
PLATFORM_NAMES = {"instant_delivery": ("美团", "饿了么", "达达"), "ride_hailing": ("滴滴", "曹操", "花小猪"),
                  "freight": ("货拉拉", "快狗", "满帮")}
GROUP_SHARES = (("dibao", 0.7), ("tekun", 0.1), ("severe_disability", 0.2))


def _scale(ctx) -> float:
    return ctx.person_count / REFERENCE_PEOPLE


def vulnerable_groups(ctx, exclude: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """``{"index": rows of ctx.persons, "group": codes}`` for the year of ``as_of`` (computed once).

    The premium on behalf goes to the groups (whole) and to monitored persons outside them (half),
    aged 16-59 and not at school; the groups are drawn from that base so that persons and money
    meet the article, the monitored first (they are in scope anyway), then 脱贫人口."""
    shared = ctx.shared.setdefault("insurance", {})
    if "groups" in shared:
        return shared["groups"]
    rng = ctx.rng_for("insurance-groups")
    p = ctx.persons
    age = np.asarray(p["age"])
    base = (age >= 16) & (age <= 59) & ~np.asarray(p["in_school"], dtype=bool)
    if exclude is not None:
        base &= ~exclude
    monitored = np.flatnonzero(base & (np.asarray(p["category"].tolist(), dtype=object) == "monitored"))
    alleviated = np.flatnonzero(base & (np.asarray(p["category"].tolist(), dtype=object) == "alleviated"))
    s = _scale(ctx)
    persons = round(ON_BEHALF_PERSONS * s)
    whole = max(0, min(persons, round((ON_BEHALF_FEN * s - PART_FEN * persons) / (WHOLE_FEN - PART_FEN))))
    part = persons - whole
    # monitored beyond the half-paid ones join a group; the rest of the groups are 脱贫人口
    from_monitored = max(0, len(monitored) - part)
    chosen = np.concatenate([rng.choice(monitored, min(from_monitored, whole), replace=False),
                             rng.choice(alleviated, min(len(alleviated), max(0, whole - from_monitored)),
                                        replace=False)]).astype(np.int64)
    disabled = np.asarray(p["health"].tolist(), dtype=object)[chosen] == "disabled"
    names = [g for g, _ in GROUP_SHARES]
    group = rng.choice(names, len(chosen), p=[w for _, w in GROUP_SHARES]).astype(object)
    group[disabled] = "severe_disability"
    shared["groups"] = {"index": chosen, "group": group}
    return shared["groups"]


def generate_step(ctx) -> None:
    if not ctx.load or ctx.person_count == 0:
        return
    from django.db import transaction

    from bangfu.core.audit import audit_record

    year = ctx.as_of.year
    with transaction.atomic():
        counts = {"groups": _load_groups(ctx, year)}
        counts.update(_load_insured(ctx, year))
        counts.update(_load_platforms(ctx))
        counts["ui_contributions"] = _load_ui(ctx)
        audit_record(actor=SYSTEM, action="insurance.generate", area_code=codes.CITY_CODE, detail=counts)
    counts["refunds"] = _refunds(str(year - 1))
    ctx.counts["insurance"] = counts
    ctx.say(f"社会保险：困难群体认定 {counts['groups']:,} 人、参保记录 {counts['insured']:,} 条、"
            f"应保未保 {counts['gaps']:,} 条、平台订单申报 {counts['declarations']:,} 条、"
            f"单位失业保险缴费 {counts['ui_contributions']:,} 条、稳岗返还 {counts['refunds']:,} 家")


def _ids(ctx) -> np.ndarray:
    return np.asarray(ctx.persons["id"], dtype=np.int64)


def _load_groups(ctx, year: int) -> int:
    from bangfu.insurance.models import VulnerableGroupMember

    groups = vulnerable_groups(ctx)
    ids = _ids(ctx)[groups["index"]]
    rows = [VulnerableGroupMember(person_id=int(i), group=g, year=year) for i, g in zip(ids, groups["group"])]
    VulnerableGroupMember.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    return len(rows)


def _load_insured(ctx, year: int) -> dict[str, int]:
    from bangfu.insurance.models import InsuredRecord, SocialInsuranceContribution
    from bangfu.insurance.services import coverage_refresh
    from bangfu.policies.models import Entitlement

    rng = ctx.rng_for("insurance-insured")
    p = ctx.persons
    ids = _ids(ctx)
    born = np.asarray(p["birth_date"]).astype("datetime64[Y]").astype(int) + 1970
    cohort = np.flatnonzero((year - born >= int(param("INSURANCE_PENSION_MIN_AGE")))
                            & ~np.asarray(p["in_school"], dtype=bool))
    employee = set(SocialInsuranceContribution.objects.filter(month__startswith=f"{year}-", insurance_type="pension")
                   .values_list("person_id", flat=True).distinct())
    on_behalf = dict(Entitlement.objects.filter(policy__code="pension_premium_on_behalf", period=str(year))
                     .exclude(status="rejected").values_list("person_id", "amount_fen"))
    no_pension = rng.random(len(cohort)) < UNINSURED_SHARE * 0.7
    no_medical = rng.random(len(cohort)) < UNINSURED_SHARE * 0.5
    grades = np.asarray([100, 200, 300, 500, 800, 1000]) * 100
    grade = rng.choice(grades, len(cohort), p=[0.55, 0.2, 0.12, 0.08, 0.03, 0.02])
    listed = dt.date(year, 6, 30)
    rows = []
    for k, i in enumerate(cohort):
        pid = int(ids[i])
        if not no_pension[k] or pid in on_behalf:
            if pid in employee:
                rows.append(InsuredRecord(person_id=pid, scheme="employee_pension", year=year, list_date=listed))
            else:
                rows.append(InsuredRecord(person_id=pid, scheme="resident_pension", year=year, list_date=listed,
                                          grade_fen=WHOLE_FEN if pid in on_behalf else int(grade[k]),
                                          on_behalf=pid in on_behalf))
        if not no_medical[k]:
            rows.append(InsuredRecord(person_id=pid, scheme="medical", year=year, list_date=listed))
    InsuredRecord.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
    gaps = coverage_refresh(actor=SYSTEM, year=year, today=listed)
    return {"insured": len(rows), "gaps": gaps["open"]}


def _employer(rng, name: str, district: str):
    from bangfu.employers.models import Employer
    from bangfu.policies.generate import _uscc

    code = _uscc(rng, district, 0)
    return Employer.objects.create(name=name, uscc=code, place_code=district, district_code=district,
                                   owner_area_code=district)


def _load_platforms(ctx) -> dict[str, int]:
    from bangfu.insurance.models import InjuryCase, OrderDeclaration, Platform
    from bangfu.core.pii import pii_hash

    rng = ctx.rng_for("insurance-platforms")
    months = month_range(PILOT_START, f"{ctx.as_of:%Y-%m}")
    target = INJURY_INSURED * _scale(ctx)
    declarations, platforms = [], []
    for industry, share, per_worker in PLATFORMS:
        weights = rng.dirichlet(np.ones(3) * 3)
        for name, weight in zip(PLATFORM_NAMES[industry], weights):
            employer = _employer(rng, f"重庆{name}科技有限公司", "500105")
            platform = Platform.objects.create(employer=employer, industry=industry, joined_month=PILOT_START)
            platforms.append(platform)
            rate = int(param("INSURANCE_INJURY_FEN_PER_ORDER")[industry])
            for k, month in enumerate(months):
                growth = 0.35 + 0.65 * k / max(1, len(months) - 1)  # the pilot grew to its last month
                workers = round(target * share * weight * growth)
                orders = int(workers * per_worker * rng.uniform(0.9, 1.1))
                declarations.append(OrderDeclaration(platform=platform, month=month, orders=orders,
                                                     insured_workers=workers, rate_fen=rate,
                                                     premium_fen=orders * rate))
    OrderDeclaration.objects.bulk_create(declarations, batch_size=2000)
    cases = []
    p = ctx.persons
    workers = np.flatnonzero(np.asarray(p["is_worker"], dtype=bool))
    stages = codes.INJURY_STAGE.values
    for i in rng.choice(workers, min(len(workers), max(5, round(target / 2000))), replace=False):
        stage = stages[int(rng.choice(len(stages), p=[0.15, 0.15, 0.1, 0.2, 0.4]))]
        graded = stage in ("assessed", "paid") and rng.random() < 0.6
        number = str(p["id_number"][i])
        cases.append(InjuryCase(
            platform=platforms[int(rng.integers(len(platforms)))], worker_name=str(p["name"][i]), id_number=number,
            id_number_hash=pii_hash(number), person_id=int(p["id"][i]),
            injured_on=ctx.as_of - dt.timedelta(days=int(rng.integers(10, 700))),
            district_code=str(p["district_code"][i]), township_code=str(p["township_code"][i]), stage=stage,
            disability_grade=int(rng.integers(5, 11)) if graded else None,
            benefit_fen=int(rng.integers(5_000, 80_000)) * 100 if stage == "paid" else 0))
    InjuryCase.objects.bulk_create(cases, batch_size=2000)
    return {"platforms": len(platforms), "declarations": len(declarations), "injury_cases": len(cases)}


def _load_ui(ctx) -> int:
    """Two years of the enterprises' contributions; 减征额 of the last year = the article's, scaled."""
    from bangfu.employers.models import Employer
    from bangfu.insurance.models import Platform, UnemploymentContribution

    rng = ctx.rng_for("insurance-ui")
    year = ctx.as_of.year
    firms = list(Employer.objects.exclude(bank_account_hash="").exclude(
        pk__in=Platform.objects.values("employer_id")).order_by("pk").values_list("pk", flat=True))
    if not firms:
        return 0
    months = month_range(f"{year - 1}-01", f"{year}-12")
    large = rng.random(len(firms)) < 0.08
    insured = np.where(large, rng.integers(300, 3000, len(firms)), rng.integers(5, 120, len(firms)))
    wage = rng.uniform(4200, 9000, len(firms))
    monthly_base = insured * wage  # yuan
    standard = int(param("INSURANCE_UI_STANDARD_RATE_BP"))
    rate = int(param("INSURANCE_UI_REDUCED_RATE_BP"))
    start = np.where(rng.random(len(firms)) < 0.85, 0, rng.integers(1, 18, len(firms)))
    months_in_year = 12 - np.clip(start - 12, 0, 12)  # a late starter pays part of the last year
    factor = UI_REDUCTION_FEN * _scale(ctx) / ((months_in_year * monthly_base).sum() * 100 * (standard - rate) / 10_000)
    base_fen = np.round(monthly_base * factor * 100).astype(np.int64)
    layoff = np.where(rng.random(len(firms)) < 0.1, 0.12, 0.02) / 12  # a month's share of the insured
    rows = []
    for f, firm in enumerate(firms):
        for k, month in enumerate(months):
            if k < start[f]:
                continue
            left = int(rng.binomial(int(insured[f]), layoff[f]))
            rows.append(UnemploymentContribution(
                employer_id=firm, month=month, scale="large" if large[f] else "sme", insured_count=int(insured[f]),
                base_fen=int(base_fen[f]), rate_bp=rate, paid_fen=int(base_fen[f]) * rate // 10_000,
                reduction_fen=ui_reduction_fen(int(base_fen[f]), rate), leavers_claiming=left))
    UnemploymentContribution.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _refunds(period: str) -> int:
    """The job-retention refund of ``period`` by its policy, granted in June of the next year."""
    from django.db import connection
    from django.utils import timezone

    from bangfu.policies.models import Entitlement, Policy
    from bangfu.policies.services import policy_run

    policy = Policy.objects.filter(code="job_retention_refund").first()
    # The engine reads committed data through its own connection: inside an outer transaction
    # (a test's) it would read a database being written, so the refund waits for `policy run`.
    if policy is None or connection.in_atomic_block:
        return 0
    run = policy_run(policy=policy, period=period, actor=SYSTEM, commit=True, area_code=codes.CITY_CODE)
    granted = dt.datetime(int(period) + 1, 6, 15, 10, tzinfo=timezone.get_current_timezone())
    Entitlement.objects.filter(run=run).update(created_at=granted)
    return run.created


def demo_step(ctx) -> None:
    """``bangfu demo``: the persons step ran ``bangfu generate`` with this step at the demo's size;
    here the job-retention refund of the first contribution year is granted if it is not yet."""
    from bangfu.insurance.models import UnemploymentContribution
    from bangfu.policies.models import Entitlement

    first = UnemploymentContribution.objects.order_by("month").values_list("month", flat=True).first()
    if first is None or Entitlement.objects.filter(policy__code="job_retention_refund").exists():
        return
    granted = _refunds(first[:4])
    ctx.console.print(f"✓ 稳岗返还 {granted:,} 家 / job-retention refunds for {granted:,} employers")
