"""Reads of the arrears desk, always restricted to what the officer may see (others: 404)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields
from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from bangfu.arrears import choices as c
from bangfu.arrears import deadlines
from bangfu.arrears.models import ArrearsCase, CaseEvent, Office, member_office_id
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import CITY_CODE

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NUMBER_RE = re.compile(r"^[A-Z]{2}\d{8,16}$")

SORTS = {
    "priority": None,  # ArrearsCase.objects.by_priority()
    "received": ("-received_at", "-id"),
    "due": ("accept_due", "finish_due", "id"),
    "amount": ("-amount_owed_fen", "-id"),
}
STATE_GROUPS = {"open": c.OPEN_STATES, "final": c.FINAL_STATES}


@dataclass
class CaseFilter:
    """The list's filters as typed in the query string (kept when the officer comes back)."""

    state: str = "open"  # a state, "open", "final" or "all"
    office: str = ""  # office code
    registry: str = ""  # "1": only registry persons
    overdue: str = ""  # "1": only overdue
    escalated: str = ""  # "1": only escalated to the city
    q: str = ""  # case number or employer
    month: str = ""  # YYYY-MM of receipt
    sort: str = "priority"

    def __post_init__(self):
        # Query strings are typed by anyone: no control characters reach the database.
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, str):
                setattr(self, field.name, _CONTROL.sub("", value)[:100])

    @classmethod
    def from_params(cls, params) -> "CaseFilter":
        kwargs = {}
        for field in fields(cls):
            value = params.get(field.name)
            if value is not None:
                kwargs[field.name] = str(value).strip()[:100]
        return cls(**kwargs)

    def query_string(self) -> str:
        """The filters as a query string, for links that keep them (export, pager)."""
        return urlencode({f.name: getattr(self, f.name) for f in fields(self)
                          if getattr(self, f.name) and getattr(self, f.name) != f.default})

    def apply(self, qs: QuerySet, today: dt.date) -> QuerySet:
        if self.state in STATE_GROUPS:
            qs = qs.filter(state__in=STATE_GROUPS[self.state])
        elif self.state in c.State.values:
            qs = qs.filter(state=self.state)
        if self.office:
            qs = qs.filter(office__code=self.office)
        if self.registry == "1":
            qs = qs.filter(from_registry=True)
        if self.overdue == "1":
            qs = qs.overdue(today)
        if self.escalated == "1":
            qs = qs.filter(escalated_at__isnull=False)
        if self.q:
            qs = qs.filter(Q(number__iexact=self.q) | Q(employer_name__icontains=self.q))
        if len(self.month) == 7:
            qs = qs.filter(received_on__startswith=self.month)
        order = SORTS.get(self.sort)
        return qs.by_priority() if order is None else qs.order_by(*order)


def case_list(*, user, filters: CaseFilter | None = None, today: dt.date | None = None) -> QuerySet:
    qs = ArrearsCase.objects.restrict(user).select_related("office")
    return (filters or CaseFilter()).apply(qs, today or timezone.localdate())


def case_get(*, user, number: str) -> ArrearsCase:
    """One case the officer may see, by number; any other number is a 404."""
    if not NUMBER_RE.match(number or ""):
        raise Http404
    return get_object_or_404(ArrearsCase.objects.restrict(user).select_related("office", "duplicate_of"),
                             number=number)


def case_events(*, case: ArrearsCase, public_only: bool = False) -> QuerySet:
    qs = CaseEvent.objects.filter(case=case).select_related("from_office", "to_office")
    return qs.filter(public=True) if public_only else qs


def case_linked(*, user, case: ArrearsCase) -> QuerySet:
    return ArrearsCase.objects.restrict(user).filter(duplicate_of=case).order_by("received_at")


def case_for_worker(*, number: str, phone: str) -> ArrearsCase:
    """The case a worker follows, given both its number and a phone of the complaint.

    The phone may be the one of the case or of a repeat complaint linked to it. A linked repeat's
    number leads to the case it was merged into. Anything else is a 404 (no hint which part was
    wrong).
    """
    number = (number or "").strip().upper()
    if not NUMBER_RE.match(number) or not phone:
        raise Http404
    phone_hash = pii_hash(phone)
    case = ArrearsCase.objects.select_related("office", "duplicate_of__office").filter(number=number).first()
    if case is None:
        raise Http404
    if case.state == c.State.LINKED and case.duplicate_of_id:
        if case.phone_hash != phone_hash:
            raise Http404
        return case.duplicate_of
    if case.phone_hash == phone_hash or case.duplicates.filter(phone_hash=phone_hash).exists():
        return case
    raise Http404


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
