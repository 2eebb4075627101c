"""Reads of 渝职聘. Anything about a person is restricted to the user's area (404 outside it);
open postings and employers are readable by every officer (jobs are offered across districts),
while managing them is restricted to the area that registered them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from bangfu.employers import selectors as employers
from bangfu.employers.models import Employer
from bangfu.jobs.filters import ApplicationFilterSet, PostingFilterSet, PushFilterSet
from bangfu.jobs.models import (
    Application, ExportBatch, ExportMember, JobPosting, MatchRun, Push, ServiceRecord,
)
from bangfu.registry.models import Person


def posting_filter(*, user, data=None, on: dt.date | None = None, strict: bool = False) -> PostingFilterSet:
    """The postings asked for by ``data`` (a query string, or the API's parameters), with the
    form of the page's filter bar; open postings unless ``state`` says otherwise."""
    return PostingFilterSet(data, queryset=JobPosting.objects.select_related("employer"), user=user, on=on,
                            strict=strict)


def posting_list(*, user, data=None, on: dt.date | None = None, strict: bool = False) -> QuerySet[JobPosting]:
    return posting_filter(user=user, data=data, on=on, strict=strict).qs


def posting_get(*, user, posting_id: int) -> JobPosting:
    """Any posting may be read by a signed-in officer (postings are offered across districts)."""
    return get_object_or_404(JobPosting.objects.select_related("employer"), pk=posting_id)


def posting_get_for_edit(*, user, posting_id: int) -> JobPosting:
    """A posting the user's area registered: others are a 404."""
    return get_object_or_404(JobPosting.objects.restrict(user).select_related("employer"), pk=posting_id)


def employer_list(*, user, q: str = "") -> QuerySet[Employer]:
    """The employer register with each one's number of postings."""
    return employers.employer_list(user=user, q=q).annotate(n_postings=Count("postings"))


employer_get = employers.employer_get
employer_get_for_edit = employers.employer_get_for_edit


def person_for_jobs(*, user, person_id: int) -> Person:
    """A person of the user's area (404 otherwise), for the worker's job page."""
    return get_object_or_404(Person.objects.restrict(user).select_related("household"), pk=person_id)


def pushes_of_person(*, user, person: Person) -> QuerySet[Push]:
    return Push.objects.restrict(user).filter(person=person).select_related("posting", "posting__employer")


def pushes_of_posting(*, user, posting: JobPosting) -> QuerySet[Push]:
    return Push.objects.restrict(user).filter(posting=posting).select_related("person")


def services_of_person(*, user, person: Person) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.restrict(user).filter(person=person).select_related("posting")


def applications_of_person(*, user, person: Person) -> QuerySet[Application]:
    return Application.objects.restrict(user).filter(person=person).select_related("posting", "posting__employer")


def applications_of_posting(*, user, posting: JobPosting) -> QuerySet[Application]:
    return Application.objects.restrict(user).filter(posting=posting).select_related("person")


def application_get(*, user, application_id: int) -> Application:
    return get_object_or_404(Application.objects.restrict(user).select_related("person", "posting"),
                             pk=application_id)


def push_list(*, user, data=None, strict: bool = False) -> QuerySet[Push]:
    qs = Push.objects.restrict(user).select_related("person", "posting", "posting__employer")
    return PushFilterSet(data, queryset=qs, user=user, strict=strict).qs


def application_list(*, user, data=None, strict: bool = False) -> QuerySet[Application]:
    qs = Application.objects.restrict(user).select_related("person", "posting", "posting__employer")
    return ApplicationFilterSet(data, queryset=qs, user=user, strict=strict).qs


def run_list(*, user) -> QuerySet[MatchRun]:
    """Runs of the user's area and the city-wide runs (whose pushes reach the user's area)."""
    return MatchRun.objects.filter(Q(pk__in=MatchRun.objects.restrict(user).values("pk"))
                                   | Q(area_code="50")).order_by("-started_at", "-id")


def export_batch_list(*, user) -> QuerySet[ExportBatch]:
    """Batches organised by the user's area or carrying its workers."""
    own = ExportBatch.objects.restrict(user).values("pk")
    members = ExportMember.objects.restrict(user).values("batch_id")
    return (ExportBatch.objects.filter(Q(pk__in=own) | Q(pk__in=members))
            .select_related("employer").annotate(n_members=Count("memberships"))
            .order_by("-departed_on", "-id"))


def export_batch_get(*, user, batch_id: int) -> ExportBatch:
    return get_object_or_404(export_batch_list(user=user), pk=batch_id)


def export_members(*, user, batch: ExportBatch) -> QuerySet[ExportMember]:
    return ExportMember.objects.restrict(user).filter(batch=batch).select_related("person")
