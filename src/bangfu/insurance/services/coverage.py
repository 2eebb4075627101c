"""应保尽保: who should be insured (rules by age and schooling), the gaps against the insured
list, and the township's follow-ups. The gaps are recomputed whenever an insured list arrives,
so the list shrinks as people are enrolled."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu import codes
from bangfu.core.actors import Actor, actor_user, require, require_area
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.insurance.models import CoverageFollowUp, CoverageGap, InsuredRecord, VulnerableGroupMember
from bangfu.insurance.params import param
from bangfu.insurance.services.errors import ERR_GAP_CLOSED, ERR_NO_EDIT, InsuranceError
from bangfu.registry.models import Person


def coverage_rules(*, age: int, in_school: bool) -> list[str]:
    """The rules (``codes.COVERAGE_RULE``) under which a person of this age should be insured in
    the year. Children and pupils are insured through their school or family: not in scope."""
    if in_school or age < int(param("INSURANCE_PENSION_MIN_AGE")):
        return []
    pension = "pension_working_age" if age <= int(param("INSURANCE_PENSION_MAX_AGE")) else "pension_elderly"
    return [pension, "medical"]


def _rule_scheme(rule: str) -> tuple[str, ...]:
    return ("medical",) if rule == "medical" else codes.PENSION_SCHEMES


def _require_area(actor: Actor, area_code: str) -> None:
    require(actor, Capability.EDIT_REGISTRY, _(ERR_NO_EDIT))
    require_area(actor, area_code)


@transaction.atomic
def coverage_refresh(*, actor: Actor, year: int, today: dt.date | None = None) -> dict[str, int]:
    """Open a gap for each person of the actor's area who should be insured under a rule in
    ``year`` and has no record of its schemes; close the open gaps the list now covers.
    ``{"opened": n, "closed": n, "open": n}``."""
    require(actor, Capability.IMPORT_REGISTRY)
    today = today or timezone.localdate()
    area = actor.area_code
    covered: dict[str, set[int]] = {s: set() for s in codes.INSURED_SCHEME.values}
    for person_id, scheme in InsuredRecord.objects.filter(year=year).in_area(area).values_list("person_id", "scheme"):
        covered[scheme].add(person_id)
    pension = covered["resident_pension"] | covered["employee_pension"]
    should: dict[tuple[int, str], tuple[str, str]] = {}
    persons = Person.objects.in_area(area).values_list("id", "birth_date", "in_school", "district_code", "township_code")
    for pid, born, in_school, district, township in persons.iterator(chunk_size=5000):
        for rule in coverage_rules(age=year - born.year, in_school=in_school):
            if pid not in (covered["medical"] if rule == "medical" else pension):
                should[(pid, rule)] = (district, township)
    open_gaps = CoverageGap.objects.in_area(area).filter(year=year, closed_on__isnull=True)
    existing = {(pid, rule): gid for gid, pid, rule in open_gaps.values_list("id", "person_id", "rule")}
    to_close = [gid for key, gid in existing.items() if key not in should]
    for start in range(0, len(to_close), 5000):
        CoverageGap.objects.filter(pk__in=to_close[start:start + 5000]).update(closed_on=today, updated_at=timezone.now())
    new = [CoverageGap(person_id=pid, year=year, rule=rule, since=today, district_code=d, township_code=t)
           for (pid, rule), (d, t) in should.items() if (pid, rule) not in existing]
    # The partial unique constraint decides a race with another refresh: the loser adds nothing.
    CoverageGap.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    counts = {"opened": len(new), "closed": len(to_close), "open": len(should)}
    audit_record(actor=actor, action="insurance.coverage_refresh", area_code=area, detail={"year": year, **counts})
    return counts


@transaction.atomic
def coverage_follow_up_record(*, actor: Actor, gap: CoverageGap, outcome: str, note: str = "") -> CoverageFollowUp:
    """跟进记录: what the township did about a person who should be insured."""
    _require_area(actor, gap.township_code)
    gap = CoverageGap.objects.select_for_update().get(pk=gap.pk)
    if gap.closed_on is not None:
        raise InsuranceError(ERR_GAP_CLOSED)
    follow_up = CoverageFollowUp(gap=gap, outcome=outcome, note=note.strip()[:300], recorded_by=actor_user(actor))
    follow_up.full_clean(exclude=["gap"])
    follow_up.save()
    audit_record(actor=actor, action="insurance.coverage_follow_up", obj=gap, area_code=gap.township_code,
                 detail={"outcome": outcome, "year": gap.year, "rule": gap.rule})
    return follow_up


@transaction.atomic
def vulnerable_group_record(*, actor: Actor, person: Person, group: str, year: int) -> tuple[VulnerableGroupMember, bool]:
    """困难群体认定: the person belongs to a listed group (低保, 特困, 重度残疾) in ``year``."""
    _require_area(actor, person.township_code)
    if group not in codes.LISTED_VULNERABLE_GROUPS:
        raise ValueError(f"group {group!r} is a registry category, not a listed group")
    member, created = VulnerableGroupMember.objects.get_or_create(person=person, group=group, year=year)
    if created:
        audit_record(actor=actor, action="insurance.vulnerable_group", obj=person, area_code=person.township_code,
                     detail={"group": group, "year": year})
    return member, created
