"""Reads of the arrears desk, always restricted to what the officer may see (others: 404)."""

from __future__ import annotations

import datetime as dt
import hmac
import re
from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bangfu.arrears import choices as c
from bangfu.arrears import deadlines
from bangfu.arrears.filters import CaseFilterSet
from bangfu.arrears.models import ArrearsCase, CaseEvent, Office, member_office_id
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import CITY_CODE

NUMBER_RE = re.compile(r"^[A-Z]{2}\d{8,16}$")


def case_filter(*, user, data=None, today: dt.date | None = None, strict: bool = False) -> CaseFilterSet:
    """The cases asked for by ``data`` (a query string, or the API's parameters) among those the
    user may see, with the page's filter bar; open cases by priority unless asked otherwise."""
    return CaseFilterSet(data, queryset=ArrearsCase.objects.restrict(user).select_related("office"), user=user,
                         today=today, strict=strict)


def case_list(*, user, data=None, today: dt.date | None = None, strict: bool = False) -> QuerySet:
    return case_filter(user=user, data=data, today=today, strict=strict).qs


def case_get(*, user, number: str) -> ArrearsCase:
    """One case the officer may see, by number; any other number is a 404."""
    if not NUMBER_RE.match(number or ""):
        raise Http404
    return get_object_or_404(ArrearsCase.objects.restrict(user).select_related("office", "duplicate_of", "employer"),
                             number=number)


def case_events(*, case: ArrearsCase, public_only: bool = False) -> QuerySet:
    qs = CaseEvent.objects.filter(case=case).select_related("from_office", "to_office")
    if not public_only:
        return qs
    # The link between complaints is for officers only (older rows were marked public).
    return qs.filter(public=True).exclude(kind=c.EventKind.DUPLICATE)


def case_linked(*, user, case: ArrearsCase) -> QuerySet:
    return ArrearsCase.objects.restrict(user).filter(duplicate_of=case).order_by("received_at")


@dataclass(frozen=True)
class WorkerCase:
    """What the complainant sees of the complaint they filed, and nothing of any other.

    A repeat linked into an earlier case shows as what a new complaint shows: registered,
    awaiting the office's decision by the statutory date. That it repeats a case, and which,
    only officers see: whoever knows a worker's ID number and employer (the employer does)
    must learn nothing of the worker's own complaint, not even that there is one.
    """

    number: str
    state: str
    office: Office
    received_on: dt.date
    accept_due: dt.date | None
    finish_due: dt.date | None
    extended: bool
    closed_on: dt.date | None
    amount_recovered_fen: int
    rejection_reason: str
    closing_note: str
    events: list

    @property
    def state_label(self) -> str:
        return str(c.State(self.state).label)

    @property
    def closed(self) -> bool:
        return self.state in c.FINAL_STATES

    @classmethod
    def of(cls, case: ArrearsCase) -> "WorkerCase":
        events = list(case_events(case=case, public_only=True))
        if case.state == c.State.LINKED:
            return cls(number=case.number, state=c.State.RECEIVED, office=case.office,
                       received_on=case.received_on, accept_due=deadlines.accept_due(case.received_on),
                       finish_due=None, extended=False, closed_on=None, amount_recovered_fen=0,
                       rejection_reason="", closing_note="", events=events)
        return cls(number=case.number, state=case.state, office=case.office, received_on=case.received_on,
                   accept_due=case.accept_due, finish_due=case.finish_due, extended=case.extended,
                   closed_on=case.closed_on, amount_recovered_fen=case.amount_recovered_fen,
                   rejection_reason=case.rejection_reason, closing_note=case.closing_note, events=events)


def case_for_worker(*, number: str, phone: str) -> WorkerCase:
    """The complaint numbered ``number`` if ``phone`` is the phone given with that complaint.

    Only that complaint's own phone opens it (not the phone of a case it repeats, nor of a
    repeat of it); anything else is a 404 that does not tell which part was wrong.
    """
    number = (number or "").strip().upper()
    if not NUMBER_RE.match(number) or not phone:
        raise Http404
    case = ArrearsCase.objects.select_related("office").filter(number=number).first()
    if case is None or not hmac.compare_digest(case.phone_hash, pii_hash(phone)):
        raise Http404
    return WorkerCase.of(case)


def case_for_receipt(*, number: str) -> WorkerCase | None:
    """The receipt of the complaint this browser just filed (its number kept in the session)."""
    case = ArrearsCase.objects.select_related("office").filter(number=number).first()
    return WorkerCase.of(case) if case else None


def case_clock(case: ArrearsCase, today: dt.date | None = None) -> deadlines.Clock | None:
    """The running deadline of a case: accept-or-reject while received, finish while active."""
    today = today or timezone.localdate()
    if case.state == c.State.RECEIVED:
        return deadlines.clock_for(stage="accept", due=case.accept_due, today=today)
    if case.state in c.ACTIVE_STATES:
        return deadlines.clock_for(stage="finish", due=case.finish_due, today=today)
    return None


def office_list(*, active_only: bool = False) -> QuerySet:
    """Offices are public reference data (the worker sees their contacts): no restriction."""
    # Out-of-town offices first (the ones operators edit), then the city, then the districts.
    rank = Case(When(kind=c.OfficeKind.OUTPOST, then=Value(0)), When(kind=c.OfficeKind.CITY, then=Value(1)),
                default=Value(2), output_field=IntegerField())
    qs = Office.objects.annotate(kind_rank=rank).order_by("kind_rank", "code")
    return qs.filter(active=True) if active_only else qs


def offices_visible(*, user) -> QuerySet:
    """Offices whose cases the user can see (the list's office filter, the figures' rows).

    Mirrors ``CaseQuerySet.restrict``: an office link wins (except for the city administrator),
    then the area: the city sees every office, a district its own bureau, a township none.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return Office.objects.none()
    office_id = member_office_id(user)
    if office_id is not None and getattr(user, "role", "") != "city_admin":
        return Office.objects.filter(pk=office_id)
    area = getattr(user, "area_code", "") or ""
    if area == CITY_CODE:
        return Office.objects.all().order_by("kind", "code")
    if len(area) == 6:
        return Office.objects.filter(kind=c.OfficeKind.DISTRICT, district_code=area)
    return Office.objects.none()
