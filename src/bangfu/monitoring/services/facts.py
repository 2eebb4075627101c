"""Writes of monitoring facts: employment months, household incomes, targets.

Imports call these inside ``run_import``'s transaction, which writes the one audit row of the
import; called on their own they write their own audit row. Every write marks the KPI months
whose figures it changes STALE, so the next fill recomputes them (and only them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.actors import Actor
from bangfu.core import facts as fact_store
from bangfu.core.audit import audit_record
from bangfu.core.months import month_range, shift_month
from bangfu.monitoring.choices import FillStateChoice
from bangfu.monitoring.clock import ERR_FUTURE_MONTH, current_month
from bangfu.monitoring.models import EmploymentMonth, HouseholdIncome, KpiFillState, Target

EMPLOYMENT_FIELDS = ("place_class", "destination_code", "channel", "employer_name", "employer_uscc",
                     "job_title", "occupation_code", "income_fen")
INCOME_FIELDS = ("wage_fen", "business_fen", "property_fen", "transfer_fen", "total_fen")
BATCH = 2000


class FactsError(ValueError):
    """Facts that cannot be written; the message is Chinese (in the active language)."""


@dataclass(frozen=True)
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


# ---- which KPI months a change touches -----------------------------------------------------------
def months_touched_by_employment(months: Iterable[str]) -> set[str]:
    """A month's record counts in that month, the next (month on month), the same month next
    year (year on year) and every later month of its year (employed year to date)."""
    out: set[str] = set()
    for month in set(months):
        out |= {month, shift_month(month, 1), shift_month(month, 12)}
        out |= set(month_range(month, f"{month[:4]}-12"))
    return out


def months_touched_by_income(years: Iterable[int]) -> set[str]:
    """Year Y's incomes are reported from December of Y through November of Y+1."""
    out: set[str] = set()
    for year in set(years):
        out |= set(month_range(f"{year}-12", f"{year + 1}-11"))
    return out


def months_touched_by_target(years: Iterable[int]) -> set[str]:
    out: set[str] = set()
    for year in set(years):
        out |= set(month_range(f"{year}-01", f"{year}-12"))
    return out


def kpi_months_mark_stale(*, months: Iterable[str]) -> int:
    """Mark filled months STALE (months never filled need no mark: the fill does them anyway)."""
    months = sorted(set(months))
    if not months:
        return 0
    return KpiFillState.objects.filter(month__in=months).exclude(
        state=FillStateChoice.STALE
    ).update(state=FillStateChoice.STALE, finished_at=None)


def _upsert(model, *, key: tuple[str, str], fields: Sequence[str], rows: list[dict]) -> WriteCounts:
    """Insert or update ``model`` rows keyed by the two ``key`` columns; identical rows are left
    alone. Reads the existing rows a batch at a time, writes with bulk_create/bulk_update."""
    created = updated = unchanged = 0
    now = timezone.now()
    first, second = key
    for start in range(0, len(rows), BATCH):
        chunk = rows[start:start + BATCH]
        existing = {
            (getattr(e, first), getattr(e, second)): e
            for e in model.objects.filter(**{
                f"{first}__in": {r[first] for r in chunk}, f"{second}__in": {r[second] for r in chunk}
            })
        }
        to_create, to_update = [], []
        for row in chunk:
            current = existing.get((row[first], row[second]))
            if current is None:
                to_create.append(model(**{first: row[first], second: row[second]},
                                       **{f: row[f] for f in fields}))
            elif any(getattr(current, f) != row[f] for f in fields):
                for f in fields:
                    setattr(current, f, row[f])
                current.updated_at = now
                to_update.append(current)
            else:
                unchanged += 1
        model.objects.bulk_create(to_create, batch_size=BATCH)
        model.objects.bulk_update(to_update, [*fields, "updated_at"], batch_size=BATCH)
        created += len(to_create)
        updated += len(to_update)
    return WriteCounts(created, updated, unchanged)


# ---- employment months ----------------------------------------------------------------------------
@transaction.atomic
def employment_months_write(*, rows: Sequence[dict], actor: Actor, audit: bool = True) -> WriteCounts:
    """Insert or update employment months keyed by (person_id, month); identical rows are left
    alone. ``rows`` are dicts with ``person_id``, ``month`` and the fields of EMPLOYMENT_FIELDS."""
    rows = list(rows)
    # Every writer comes through here (imports, hires, the API): a month after this one
    # (Chongqing time) would show as the newest month of the dashboard.
    current = current_month()
    future = sorted({r["month"] for r in rows if r["month"] > current})
    if future:
        raise FactsError(_(ERR_FUTURE_MONTH).format(month=future[0], current=current))
    counts = _upsert(EmploymentMonth, key=("person_id", "month"), fields=EMPLOYMENT_FIELDS, rows=rows)
    created, updated, unchanged = counts.created, counts.updated, counts.unchanged
    if created or updated:
        kpi_months_mark_stale(months=months_touched_by_employment(r["month"] for r in rows))
        fact_store.touch(EmploymentMonth._meta.db_table, {r["month"] for r in rows})
    if audit:
        audit_record(actor=actor, action="employment_month.write",
                     area_code=actor.area_code,
                     detail={"created": created, "updated": updated, "unchanged": unchanged,
                             "months": sorted({r["month"] for r in rows})[:24]})
    return counts


@transaction.atomic
def employment_months_withdraw(*, person_id: int, months: Iterable[str], channel: str, employer_uscc: str,
                               actor: Actor, audit: bool = True) -> int:
    """Remove the employment months one source wrote and no longer stands by (a workshop spell
    ended earlier than the months already written): only the rows of that channel and employer,
    so a month another source recorded stays. Returns how many went."""
    months = sorted(set(months))
    if not months:
        return 0
    removed, _by_model = EmploymentMonth.objects.filter(
        person_id=person_id, month__in=months, channel=channel, employer_uscc=employer_uscc).delete()
    if removed:
        kpi_months_mark_stale(months=months_touched_by_employment(months))
        fact_store.touch(EmploymentMonth._meta.db_table, set(months))
    if audit:
        audit_record(actor=actor, action="employment_month.withdraw", area_code=actor.area_code,
                     detail={"person": person_id, "removed": removed, "months": months[:24]})
    return removed


# ---- household incomes ----------------------------------------------------------------------------
@transaction.atomic
def household_incomes_write(*, rows: Sequence[dict], actor: Actor, audit: bool = True) -> WriteCounts:
    """Insert or update incomes keyed by (household_id, year)."""
    rows = list(rows)
    counts = _upsert(HouseholdIncome, key=("household_id", "year"), fields=INCOME_FIELDS, rows=rows)
    created, updated, unchanged = counts.created, counts.updated, counts.unchanged
    if created or updated:
        kpi_months_mark_stale(months=months_touched_by_income(r["year"] for r in rows))
        fact_store.touch(HouseholdIncome._meta.db_table, {r["year"] for r in rows})
    if audit:
        audit_record(actor=actor, action="household_income.write",
                     area_code=actor.area_code,
                     detail={"created": created, "updated": updated, "unchanged": unchanged})
    return counts


# ---- targets ---------------------------------------------------------------------------------------
@transaction.atomic
def targets_write(*, rows: Sequence[dict], actor: Actor, audit: bool = True) -> WriteCounts:
    """Insert or update annual targets keyed by (area_code, year)."""
    created = updated = unchanged = 0
    for row in rows:
        target, was_created = Target.objects.get_or_create(
            area_code=row["area_code"], year=row["year"],
            defaults={"employment_target": row["employment_target"]},
        )
        if was_created:
            created += 1
        elif target.employment_target != row["employment_target"]:
            target.employment_target = row["employment_target"]
            target.save(update_fields=["employment_target", "updated_at"])
            updated += 1
        else:
            unchanged += 1
    if created or updated:
        kpi_months_mark_stale(months=months_touched_by_target(r["year"] for r in rows))
    if audit:
        audit_record(actor=actor, action="target.write",
                     area_code=actor.area_code,
                     detail={"created": created, "updated": updated, "unchanged": unchanged,
                             "targets": [[r["area_code"], r["year"], r["employment_target"]]
                                         for r in rows][:50]})
    return WriteCounts(created, updated, unchanged)
