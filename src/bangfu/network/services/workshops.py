"""Assistance workshops: 申报 → 认定 (with its checks) → 运行 → 退出, members and yearly ratings.

A member's months are written as employment months with channel ``workshop`` through the
monitoring service (``employment_months_write``), so the monthly figures count them."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu import codes
from bangfu.core.actors import Actor, require
from bangfu.core.audit import audit_record
from bangfu.core.months import is_month, month_of, month_range, shift_month
from bangfu.core.places import place_class_for, place_facts
from bangfu.network import choices as c
from bangfu.network import errors as e
from bangfu.network.models import Workshop, WorkshopMember, WorkshopRatingRecord
from bangfu.network.params import param
from bangfu.network.permissions import CAPABILITY_MANAGE, require_area
from bangfu.registry.models import Person

REGISTRY_CATEGORIES = codes.CATEGORY.values  # 脱贫人口 and 防返贫监测对象


def _locked(workshop: Workshop) -> Workshop:
    return Workshop.objects.select_for_update().get(pk=workshop.pk)


def _refuse_state(workshop: Workshop, allowed: tuple[str, ...], action: str) -> None:
    if workshop.status not in allowed:
        msg = _(e.ERR_WORKSHOP_STATE).format(status=workshop.get_status_display(), action=action)
        raise e.NetworkError(msg)


def open_members(workshop: Workshop, month: str | None = None):
    month = month or current_month()
    return WorkshopMember.objects.filter(Q(end_month="") | Q(end_month__gte=month),
                                         workshop=workshop, start_month__lte=month)


@transaction.atomic
def workshop_apply(*, actor: Actor, code: str, name: str, employer, district_code: str, township_code: str,
                   workshop_type: str, applied_on: dt.date | None = None, industry: str = "") -> Workshop:
    """申报: the operator applies; the workshop is not yet recognised (no award reads it)."""
    require(actor, CAPABILITY_MANAGE)
    require_area(actor, township_code)
    shop = Workshop.objects.create(
        code=code.strip(), name=name.strip()[:200], employer=employer, district_code=district_code,
        township_code=township_code, workshop_type=workshop_type, status=c.WorkshopStatus.APPLIED,
        active=False, applied_on=applied_on or timezone.localdate(), industry=industry[:100])
    audit_record(actor=actor, action="workshop.apply", obj=shop, detail={"code": shop.code})
    return shop


@transaction.atomic
def workshop_recognise(*, actor: Actor, workshop: Workshop, recognised_on: dt.date | None = None) -> Workshop:
    """认定: at least NETWORK_WORKSHOP_MIN_WORKERS registry workers on the roster now."""
    require(actor, CAPABILITY_MANAGE)
    shop = _locked(workshop)
    require_area(actor, shop.area_code)
    _refuse_state(shop, (c.WorkshopStatus.APPLIED,), _("认定"))
    count = open_members(shop).filter(person__category__in=REGISTRY_CATEGORIES).count()
    minimum = int(param("NETWORK_WORKSHOP_MIN_WORKERS"))
    if count < minimum:
        raise e.NetworkError(_(e.ERR_TOO_FEW_WORKERS).format(count=count, minimum=minimum))
    shop.status, shop.active = c.WorkshopStatus.RECOGNISED, True
    shop.recognised_on = recognised_on or timezone.localdate()
    shop.save(update_fields=["status", "active", "recognised_on", "updated_at"])
    audit_record(actor=actor, action="workshop.recognise", obj=shop, detail={"workers": count})
    return shop


@transaction.atomic
def workshop_start(*, actor: Actor, workshop: Workshop, running_since: dt.date | None = None) -> Workshop:
    require(actor, CAPABILITY_MANAGE)
    shop = _locked(workshop)
    require_area(actor, shop.area_code)
    _refuse_state(shop, (c.WorkshopStatus.RECOGNISED,), _("投入运行"))
    shop.status = c.WorkshopStatus.RUNNING
    shop.running_since = running_since or timezone.localdate()
    shop.save(update_fields=["status", "running_since", "updated_at"])
    audit_record(actor=actor, action="workshop.start", obj=shop)
    return shop


@transaction.atomic
def workshop_exit(*, actor: Actor, workshop: Workshop, reason: str, exited_on: dt.date | None = None) -> Workshop:
    require(actor, CAPABILITY_MANAGE)
    shop = _locked(workshop)
    require_area(actor, shop.area_code)
    _refuse_state(shop, (c.WorkshopStatus.APPLIED, c.WorkshopStatus.RECOGNISED, c.WorkshopStatus.RUNNING),
                  _("退出认定"))
    exited_on = exited_on or timezone.localdate()
    if exited_on > timezone.localdate() or (shop.applied_on and exited_on < shop.applied_on):
        raise e.NetworkError(_(e.ERR_EXIT_DATE), {"exited_on": _(e.ERR_EXIT_DATE)})
    shop.status, shop.active = c.WorkshopStatus.EXITED, False
    shop.exited_on, shop.exit_reason = exited_on, reason.strip()[:200]
    shop.save(update_fields=["status", "active", "exited_on", "exit_reason", "updated_at"])
    closed = _close_open_spells(actor, shop, month_of(exited_on))
    audit_record(actor=actor, action="workshop.exit", obj=shop,
                 detail={"reason": shop.exit_reason, "exited_on": exited_on.isoformat(), "spells_closed": closed})
    return shop


def _close_open_spells(actor: Actor, shop: Workshop, month: str) -> int:
    """The workshop's open spells end with its exit month; months written after it are withdrawn."""
    from bangfu.monitoring.services.facts import employment_months_withdraw

    spells = list(WorkshopMember.objects.select_for_update().filter(workshop=shop, end_month=""))
    later = month_range(shift_month(month, 1), current_month()) if month < current_month() else []
    for spell in spells:
        spell.end_month = max(month, spell.start_month)
        spell.save(update_fields=["end_month", "updated_at"])
        employment_months_withdraw(person_id=spell.person_id, months=[m for m in later if m > spell.end_month],
                                   channel="workshop", employer_uscc=shop.employer.uscc, actor=actor, audit=False)
    return len(spells)


def _employment_rows(shop: Workshop, person: Person, start: str, end: str) -> list[dict]:
    """The spell's months up to this one, but not those another source recorded (a month worked
    elsewhere stays as it was reported)."""
    from bangfu.monitoring.models import EmploymentMonth

    last = min(end or current_month(), current_month())
    if last < start:
        return []
    months = month_range(start, last)
    elsewhere = set(EmploymentMonth.objects.filter(person=person, month__in=months)
                    .exclude(channel="workshop", employer_uscc=shop.employer.uscc).values_list("month", flat=True))
    facts = place_facts(shop.township_code)
    place_class = place_class_for(person.district_code, facts) if facts else "in_county"
    return [{"person_id": person.pk, "month": m, "place_class": place_class,
             "destination_code": shop.township_code, "channel": "workshop",
             "employer_name": shop.employer.name, "employer_uscc": shop.employer.uscc,
             "job_title": shop.name[:100], "occupation_code": "", "income_fen": None}
            for m in months if m not in elsewhere]


def _earliest_start(shop: Workshop) -> str:
    """A spell starts at most 12 months before the application (the workers a workshop employs
    before it is recognised are what recognition counts)."""
    known = [d for d in (shop.applied_on, shop.recognised_on, shop.running_since) if d] or [shop.created_at.date()]
    return shift_month(month_of(min(known)), -12)


@transaction.atomic
def workshop_member_save(*, actor: Actor, workshop: Workshop, person: Person, start_month: str,
                         end_month: str = "") -> tuple[WorkshopMember, bool]:
    """Add a member (or set the end of their spell); their months become employment months."""
    from bangfu.monitoring.services.facts import FactsError, employment_months_withdraw, employment_months_write

    require(actor, CAPABILITY_MANAGE)
    # Locked: the state decided here (and recognition's count) cannot change under this write.
    shop = Workshop.objects.select_for_update().select_related("employer").get(pk=workshop.pk)
    require_area(actor, shop.area_code)
    require_area(actor, person.township_code or person.district_code)
    if person.category not in REGISTRY_CATEGORIES:
        raise e.NetworkError(_(e.ERR_MEMBER_NOT_REGISTRY))
    if not is_month(start_month) or (end_month and (not is_month(end_month) or end_month < start_month)):
        raise e.NetworkError(_(e.ERR_MEMBER_MONTHS), {"end_month": _(e.ERR_MEMBER_MONTHS)})
    earliest, current = _earliest_start(shop), current_month()
    if not earliest <= start_month <= current:
        msg = _(e.ERR_MEMBER_START).format(earliest=earliest, current=current)
        raise e.NetworkError(msg, {"start_month": msg})
    _refuse_state(shop, (c.WorkshopStatus.APPLIED, c.WorkshopStatus.RECOGNISED, c.WorkshopStatus.RUNNING),
                  _("登记务工人员"))
    # At most one open spell per worker and workshop: the partial unique constraint
    # workshop_member_one_open decides, inside this transaction (a check before the insert would
    # let two officers each add an open spell at once).
    withdrawn: list[str] = []
    previous_end = None
    try:
        with transaction.atomic():
            member, created = WorkshopMember.objects.select_for_update().get_or_create(
                workshop=shop, person=person, start_month=start_month, defaults={"end_month": end_month})
            previous_end = None if created else member.end_month
            if not created and member.end_month != end_month:
                # The months already written past the new end are no longer the workshop's.
                written_to = min(member.end_month or current_month(), current_month())
                if end_month and end_month < written_to:
                    withdrawn = month_range(shift_month(end_month, 1), written_to)
                member.end_month = end_month
                member.save(update_fields=["end_month", "updated_at"])
    except IntegrityError:
        raise e.NetworkError(_(e.ERR_MEMBER_OPEN)) from None
    employment_months_withdraw(person_id=person.pk, months=withdrawn, channel="workshop",
                               employer_uscc=shop.employer.uscc, actor=actor, audit=False)
    try:
        employment_months_write(rows=_employment_rows(shop, person, start_month, end_month), actor=actor,
                                audit=False)
    except FactsError as exc:
        raise e.NetworkError(str(exc)) from exc
    audit_record(actor=actor, action="workshop.member", obj=shop,
                 detail={"person": person.pk, "start": start_month, "end": end_month, "created": created,
                         "previous_end": previous_end, "months_withdrawn": len(withdrawn)})
    return member, created


@transaction.atomic
def workshop_rating_record(*, actor: Actor, workshop: Workshop, year: int, rating: str,
                           review_passed: bool = False, note: str = "") -> WorkshopRatingRecord:
    """The yearly rating (and, for the second half of the build grant, the stable-operation review)."""
    require(actor, CAPABILITY_MANAGE)
    shop = _locked(workshop)
    require_area(actor, shop.area_code)
    if shop.status not in (c.WorkshopStatus.RECOGNISED, c.WorkshopStatus.RUNNING):
        raise e.NetworkError(_(e.ERR_RATING_STATE))
    if rating not in c.WorkshopRating.values:
        raise e.NetworkError(_(e.ERR_UNKNOWN_KIND), {"rating": _(e.ERR_UNKNOWN_KIND)})
    old = WorkshopRatingRecord.objects.filter(workshop=shop, year=year).first()  # the workshop row is locked
    record, created = WorkshopRatingRecord.objects.update_or_create(
        workshop=shop, year=year, defaults={"rating": rating, "review_passed": review_passed, "note": note[:500]})
    audit_record(actor=actor, action="workshop.rating", obj=shop,
                 detail={"year": year, "rating": rating, "review_passed": review_passed, "created": created,
                         "before": None if old is None else {"rating": old.rating, "review_passed": old.review_passed}})
    return record


def current_month() -> str:
    return month_of(timezone.localdate())
