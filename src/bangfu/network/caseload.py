"""A helper's "my people" (我的服务对象): the open caseload with each worker's status this month
(unemployed, back home, not yet served, in a zero-employment household) and the jobs that fit.

Statuses are ``Exists`` subqueries on the restricted person queryset, so the database filters
and the page reads one page of people; the jobs of the page's people come from one batched run
of ``jobs.matching`` (``jobs_that_fit_many``)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from bangfu import codes
from bangfu.core.months import month_of, months_ending, shift_month
from bangfu.network import choices as c
from bangfu.network.models import Caseload, Helper, ServiceRecord
from bangfu.network.params import param
from bangfu.registry.models import Person

BACK_HOME_LOOKBACK = 12  # months: worked outside the county within this many months, now at home


def current_month() -> str:
    return month_of(timezone.localdate())


def with_status(persons: QuerySet[Person], month: str) -> QuerySet[Person]:
    """Annotate ``employed``, ``unemployed``, ``back_home``, ``served`` and ``zero_household``."""
    from bangfu.jobs.models import ServiceRecord as JobService
    from bangfu.monitoring.models import EmploymentMonth

    previous = shift_month(month, -1)
    earlier = months_ending(shift_month(month, -2), BACK_HOME_LOOKBACK)
    person_months = EmploymentMonth.objects.filter(person=OuterRef("pk"))
    return persons.annotate(
        employed=Exists(person_months.filter(month=month)),
        recently_employed=Exists(person_months.filter(month__in=[month, previous])),
        worked_away=Exists(person_months.filter(month__in=earlier, place_class__in=codes.OUTSIDE_COUNTY)),
        served=Exists(ServiceRecord.objects.filter(person=OuterRef("pk"), month=month))
        | Exists(JobService.objects.filter(person=OuterRef("pk"), month=month)),
        household_employed=Exists(EmploymentMonth.objects.filter(person__household_id=OuterRef("household_id"),
                                                                 month=month)),
    )


STATUS_FILTERS = {
    c.CaseloadFilter.UNEMPLOYED: Q(recently_employed=False),
    c.CaseloadFilter.BACK_HOME: Q(recently_employed=False, worked_away=True),
    c.CaseloadFilter.UNSERVED: Q(served=False),
    c.CaseloadFilter.ZERO_HOUSEHOLD: Q(household_employed=False),
}


def my_people(*, user, helper: Helper, status: str | None = None, month: str | None = None) -> QuerySet[Person]:
    """The helper's open caseload inside the user's area, with statuses, optionally filtered."""
    ids = Caseload.objects.restrict(user).filter(helper=helper, ended_on__isnull=True).values("person_id")
    qs = with_status(Person.objects.restrict(user).filter(pk__in=ids), month or current_month())
    if status in STATUS_FILTERS:
        qs = qs.filter(STATUS_FILTERS[status])
    return qs.order_by("household_id", "id")


def status_labels(person: Person) -> list[str]:
    """The status tags of one annotated person, as labels (for the page and the API)."""
    tags = []
    if not person.recently_employed:
        tags.append(c.CaseloadFilter.UNEMPLOYED)
        if person.worked_away:
            tags.append(c.CaseloadFilter.BACK_HOME)
    if not person.served:
        tags.append(c.CaseloadFilter.UNSERVED)
    if not person.household_employed:
        tags.append(c.CaseloadFilter.ZERO_HOUSEHOLD)
    return tags


def jobs_that_fit(person: Person, k: int | None = None) -> list[dict]:
    """The matching engine's best open postings for the person, with the reasons in Chinese
    (a posting the person was hired for is never among them)."""
    return jobs_that_fit_many([person], k=k)[person.pk]


def jobs_that_fit_many(persons, k: int | None = None) -> dict[int, list[dict]]:
    """``jobs_that_fit`` for a page of people from one run of the matching engine (a fixed number
    of queries whatever the page size): person id -> the jobs."""
    from bangfu.jobs.matching import recommendations_for_many
    from bangfu.jobs.reasons import reason_text

    recs = recommendations_for_many(persons, k=k or int(param("NETWORK_MY_PEOPLE_JOBS")))
    return {pid: [{"posting": r["posting"], "score": r["score"], "reasons": [reason_text(x) for x in r["reasons"]]}
                  for r in rows] for pid, rows in recs.items()}


def is_assigned(helper: Helper | None, person: Person) -> bool:
    return helper is not None and Caseload.objects.filter(
        helper=helper, person=person, primary=True, ended_on__isnull=True).exists()
