"""Reads of employers. Every officer may read the register (a job in the main metropolitan
zone is offered to workers of every district; an enterprise subsidy names its employer);
managing an employer, and its corporate account, is for the area that registered it."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from bangfu.employers.models import Employer


def employer_list(*, user, q: str = "") -> QuerySet[Employer]:
    qs = Employer.objects.order_by("name", "id")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q.strip().upper()))
    return qs


def employer_get(*, user, employer_id: int) -> Employer:
    return get_object_or_404(Employer, pk=employer_id)


def employer_get_by_uscc(*, user, uscc: str) -> Employer | None:
    return Employer.objects.filter(uscc=(uscc or "").strip().upper()).first()


def employer_get_for_edit(*, user, employer_id: int) -> Employer:
    """An employer the user's area manages (404 otherwise)."""
    return get_object_or_404(Employer.objects.restrict(user), pk=employer_id)
