"""Gig markets: register and list (名录), yearly review, the five core services, gigs and matches."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.actors import Actor, require
from bangfu.core.audit import audit_record
from bangfu.core.months import month_of
from bangfu.network import choices as c
from bangfu.network import errors as e
from bangfu.network.models import GigMarket, GigMatch, GigPosting, MarketReview, MarketServiceRecord
from bangfu.network.permissions import CAPABILITY_MANAGE, CAPABILITY_SERVE, require_area
from bangfu.registry.models import Person

MARKET_FIELDS = ("name", "kind", "scope", "sector", "operation", "operator_name", "contract_start",
                 "contract_end", "address", "opened_on", "listed", "district_code", "township_code")


def _check_market(data: dict) -> None:
    if data.get("operation") == c.MarketOperation.PURCHASED and not (
            data.get("operator_name") and data.get("contract_start") and data.get("contract_end")):
        raise e.NetworkError(_(e.ERR_OPERATOR), {"operator_name": _(e.ERR_OPERATOR)})
    start, end = data.get("contract_start"), data.get("contract_end")
    if start and end and end <= start:
        raise e.NetworkError(_(e.ERR_CONTRACT_DATES), {"contract_end": _(e.ERR_CONTRACT_DATES)})


@transaction.atomic
def market_save(*, actor: Actor, code: str, **data) -> tuple[GigMarket, bool]:
    """Create or update a market by its code (the directory import and the form both come here)."""
    require(actor, CAPABILITY_MANAGE)
    require_area(actor, data.get("township_code") or data["district_code"])
    _check_market(data)
    fields = {k: data[k] for k in MARKET_FIELDS if k in data}
    market, created = GigMarket.objects.select_for_update().get_or_create(code=code.strip(), defaults=fields)
    if not created:
        require_area(actor, market.area_code)
        changed = [k for k, v in fields.items() if getattr(market, k) != v]
        for k in changed:
            setattr(market, k, fields[k])
        if changed:
            market.save(update_fields=[*changed, "updated_at"])
    else:
        changed = list(fields)
    if created or changed:
        audit_record(actor=actor, action="gig_market.create" if created else "gig_market.update", obj=market,
                     detail={"code": market.code, "fields": sorted(changed)})
    return market, created


@transaction.atomic
def market_review_record(*, actor: Actor, market: GigMarket, year: int, score: int, note: str = "") -> MarketReview:
    require(actor, CAPABILITY_MANAGE)
    require_area(actor, market.area_code)
    review, _created = MarketReview.objects.update_or_create(
        market=market, year=year, defaults={"score": score, "passed": score >= 60, "note": note[:500]})
    audit_record(actor=actor, action="gig_market.review", obj=market,
                 detail={"year": year, "score": score, "passed": review.passed})
    return review


@transaction.atomic
def market_service_record(*, actor: Actor, market: GigMarket, service: str, served_on: dt.date | None = None,
                          person: Person | None = None, note: str = "") -> MarketServiceRecord:
    require(actor, CAPABILITY_SERVE)
    require_area(actor, market.area_code)
    served_on = served_on or timezone.localdate()
    if served_on > timezone.localdate():
        raise e.NetworkError(_(e.ERR_FUTURE), {"served_on": _(e.ERR_FUTURE)})
    if service not in c.MarketService.values:
        raise e.NetworkError(_(e.ERR_UNKNOWN_KIND), {"service": _(e.ERR_UNKNOWN_KIND)})
    record = MarketServiceRecord.objects.create(
        market=market, service=service, person=person, served_on=served_on, month=month_of(served_on),
        note=note[:500], district_code=market.district_code, township_code=market.township_code)
    audit_record(actor=actor, action="gig_market.service", obj=record,
                 detail={"market": market.pk, "service": service, "person": person.pk if person else None})
    return record


@transaction.atomic
def gig_posting_create(*, actor: Actor, market: GigMarket, employer_name: str, title: str, pay_basis: str,
                       pay_fen: int, headcount: int, work_date: dt.date) -> GigPosting:
    require(actor, CAPABILITY_SERVE)
    require_area(actor, market.area_code)
    if headcount < 1:
        raise e.NetworkError(_(e.ERR_HEADCOUNT), {"headcount": _(e.ERR_HEADCOUNT)})
    if pay_fen < 0:
        raise e.NetworkError(_(e.ERR_PAY), {"pay_fen": _(e.ERR_PAY)})
    posting = GigPosting.objects.create(
        market=market, employer_name=employer_name.strip()[:200], title=title.strip()[:100],
        pay_basis=pay_basis, pay_fen=pay_fen, headcount=headcount, work_date=work_date,
        district_code=market.district_code, township_code=market.township_code)
    MarketServiceRecord.objects.create(
        market=market, service=c.MarketService.MATCHING, served_on=min(work_date, timezone.localdate()),
        month=month_of(min(work_date, timezone.localdate())), note=posting.title,
        district_code=market.district_code, township_code=market.township_code)
    audit_record(actor=actor, action="gig_posting.create", obj=posting,
                 detail={"market": market.pk, "headcount": headcount, "pay_basis": pay_basis})
    return posting


@transaction.atomic
def gig_match_record(*, actor: Actor, posting: GigPosting, person: Person, outcome: str = "pending",
                     matched_on: dt.date | None = None, new: bool = False) -> GigMatch:
    """Match a worker to a gig, or record what came of the match (the same row is updated).
    ``new``: a match being made (登记对接) — an existing one is refused, its outcome kept."""
    require(actor, CAPABILITY_SERVE)
    require_area(actor, posting.area_code)
    require_area(actor, person.township_code or person.district_code)
    if outcome not in c.GigOutcome.values:
        raise e.NetworkError(_(e.ERR_UNKNOWN_KIND))
    match, created = GigMatch.objects.select_for_update().get_or_create(
        posting=posting, person=person,
        defaults={"outcome": outcome, "matched_on": matched_on or timezone.localdate(),
                  "district_code": person.district_code, "township_code": person.township_code})
    if new and not created:
        raise e.NetworkError(_(e.ERR_GIG_MATCHED).format(outcome=match.get_outcome_display()))
    before = None if created else match.outcome
    if not created and match.outcome != outcome:
        match.outcome = outcome
        match.save(update_fields=["outcome", "updated_at"])
    audit_record(actor=actor, action="gig_match.record", obj=match,
                 detail={"posting": posting.pk, "person": person.pk, "before": before, "after": outcome})
    return match
