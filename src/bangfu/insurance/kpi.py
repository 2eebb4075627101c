"""Social insurance's figures for the KPI tables (``KPI_FIGURES`` in ``insurance/hooks.py``), as
engine queries. Django-free (they run on every engine; see ``jobs/kpi.py``).

- premiums on behalf: the entitlements of ``pension_premium_on_behalf`` (not rejected), persons
  and fen, counted in January of the premium's year (the premium is for the whole year);
- insured vulnerable: of the registry persons in the residents' scheme's scope in the month's
  year (aged 16-59, not at school, not on the employee pension: 城乡居民养老保险's contributors),
  those on that year's insured list for the residents' pension and for medical insurance (the
  stock of each month, and its rate);
- injury-insured: the workers with orders in the month, as the platforms declared them;
- UI reduction: the month's 减征额 of the employers' contributions (year to date);
- UI refund: the job-retention refund granted (not rejected), in the local month it was granted.
"""

from __future__ import annotations

import ibis

from bangfu.core.months import month_range
from bangfu.engine import schema as s
from bangfu.payments.kpi import local_month
from bangfu.insurance.params import param

ENTITLEMENT = "policies_entitlement"
POLICY = "policies_policy"
INSURED = "insurance_insuredrecord"
DECLARATION = "insurance_orderdeclaration"
PLATFORM = "insurance_platform"
EMPLOYER = "employers_employer"
UI = "insurance_unemploymentcontribution"
PENSION_POLICY = "pension_premium_on_behalf"  # insurance.selectors.PENSION_POLICY
REFUND_POLICY = "job_retention_refund"
KEYS = ["month", "district_code", "township_code"]


def _entitlements(engine, code: str):
    e = engine.table(ENTITLEMENT)
    p = engine.table(POLICY)
    p = p.filter(p.code == code).select(policy_pk="id")
    e = e.filter(e.status != "rejected")
    return e.join(p, e.policy_id == p.policy_pk)


def _on_behalf(engine, first: str, last: str):
    e = _entitlements(engine, PENSION_POLICY)
    e = e.mutate(month=e.period + "-01")
    return e.filter((e.month >= first) & (e.month <= last))


def on_behalf_persons(engine, *, first: str, last: str):
    e = _on_behalf(engine, first, last)
    return e.group_by(KEYS).aggregate(value=e.person_id.nunique())


def on_behalf_fen(engine, *, first: str, last: str):
    e = _on_behalf(engine, first, last)
    return e.group_by(KEYS).aggregate(value=e.amount_fen.sum())


def _insured_by_month(engine, first: str, last: str):
    """Per month: the persons who should be insured that year and those insured under every rule."""
    person = engine.table(s.PERSON)
    insured = engine.table(INSURED)
    # The ages of the residents' pension's scope, as the coverage-gap list reads them (参数设置).
    min_age, max_age = int(param("INSURANCE_PENSION_MIN_AGE")), int(param("INSURANCE_PENSION_MAX_AGE"))
    parts = []
    for year in sorted({m[:4] for m in month_range(first, last)}):
        y = int(year)
        age = ibis.literal(y) - person.birth_date.year()
        cohort = person.filter((age >= min_age) & (age <= max_age) & ~person.in_school.fill_null(False))
        rows = insured.filter(insured.year == y)
        covered = rows.group_by(covered_id=rows.person_id).aggregate(
            pension=(rows.scheme == "resident_pension").ifelse(1, 0).max(),
            employee=(rows.scheme == "employee_pension").ifelse(1, 0).max(),
            medical=(rows.scheme == "medical").ifelse(1, 0).max())
        j = cohort.left_join(covered, cohort.id == covered.covered_id)
        j = j.filter(j.employee.fill_null(0) == 0)
        ok = (j.pension.fill_null(0) == 1) & (j.medical.fill_null(0) == 1)
        per_area = j.group_by(["district_code", "township_code"]).aggregate(
            value=ok.ifelse(1, 0).sum(), denominator=j.count())
        for month in month_range(max(first, f"{year}-01"), min(last, f"{year}-12")):
            parts.append(per_area.mutate(month=ibis.literal(month)).select(*KEYS, "value", "denominator"))
    return ibis.union(*parts)


def insured_vulnerable(engine, *, first: str, last: str):
    return _insured_by_month(engine, first, last).select(*KEYS, "value")


def insured_vulnerable_rate(engine, *, first: str, last: str):
    return _insured_by_month(engine, first, last)


def injury_insured(engine, *, first: str, last: str):
    d = engine.table(DECLARATION)
    p = engine.table(PLATFORM).select(platform_pk="id", platform_employer="employer_id")
    e = engine.table(EMPLOYER).select("district_code", "township_code", employer_pk="id")
    d = d.filter((d.month >= first) & (d.month <= last))
    j = d.join(p, d.platform_id == p.platform_pk).join(e, p.platform_employer == e.employer_pk)
    return j.group_by(KEYS).aggregate(value=j.insured_workers.sum())


def ui_reduction_fen(engine, *, first: str, last: str):
    u = engine.table(UI)
    e = engine.table(EMPLOYER).select("district_code", "township_code", employer_pk="id")
    u = u.filter((u.month >= first) & (u.month <= last))
    j = u.join(e, u.employer_id == e.employer_pk)
    return j.group_by(KEYS).aggregate(value=j.reduction_fen.sum())



def ui_refund_fen(engine, *, first: str, last: str, utc_offset_hours: int = 8):
    e = _entitlements(engine, REFUND_POLICY)
    e = e.mutate(month=local_month(e.created_at, first, last, utc_offset_hours))
    e = e.filter(e.month != "")
    return e.group_by(KEYS).aggregate(value=e.amount_fen.sum())
