"""Reads of posts, restricted to the user's area (a record outside it is a 404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from bangfu.core.months import last_day
from bangfu.monitoring.models import EmploymentMonth
from bangfu.posts import choices as c
from bangfu.posts.eligibility import OUTSIDE_COUNTY, Eligibility, eligibility_for_area, eligibility_rows, evaluate
from bangfu.posts.models import Attendance, Placement, PostPay, WelfarePost
from bangfu.posts.params import param
from bangfu.posts.services.attendance import placed_in_month
from bangfu.registry.models import Person, age_on


def post_list(*, user, status: str = "", q: str = "") -> QuerySet[WelfarePost]:
    qs = (WelfarePost.objects.restrict(user).select_related("employer")
          .annotate(live=Count("placements", filter=Q(placements__status__in=c.LIVE_PLACEMENT_STATUSES)))
          .order_by("district_code", "township_code", "village", "id"))
    if status in c.PostStatus.values:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(village__icontains=q))
    return qs


def post_get(*, user, pk: int) -> WelfarePost:
    return get_object_or_404(WelfarePost.objects.restrict(user).select_related("employer"), pk=pk)


def post_placements(*, user, post: WelfarePost) -> QuerySet[Placement]:
    return Placement.objects.restrict(user).filter(post=post).select_related("person")


def placement_list(*, user, status: str = "") -> QuerySet[Placement]:
    qs = Placement.objects.restrict(user).select_related("person", "post")
    return qs.filter(status=status) if status in c.PlacementStatus.values else qs


def placement_get(*, user, pk: int) -> Placement:
    return get_object_or_404(Placement.objects.restrict(user).select_related("person", "post"), pk=pk)


def person_eligibility(*, user, person_id: int, on: dt.date) -> Eligibility:
    """One person's rules and priority, with the months that decided (the explanation page)."""
    person = get_object_or_404(Person.objects.restrict(user), pk=person_id)
    return evaluate(eligibility_rows(Person.objects.filter(pk=person.pk), on=on).get(), on=on, detail=True)


def live_placement(*, user, person_id: int) -> Placement | None:
    """The person's placement in a post or in its 公示, if any (shown beside the eligibility)."""
    return (Placement.objects.restrict(user).filter(person_id=person_id, status__in=c.LIVE_PLACEMENT_STATUSES)
            .select_related("post").first())


def area_eligibility(*, user, on: dt.date, township_code: str = "", village: str = "") -> list[Eligibility]:
    """Everyone of the user's area (or one township / village of it), ranked; set-based."""
    persons = Person.objects.restrict(user)
    if township_code:
        persons = persons.filter(township_code=township_code)
    if village:
        persons = persons.filter(village=village)
    return eligibility_for_area(persons, on=on)


def month_roster(*, user, month: str) -> QuerySet[Placement]:
    """The placements in their post during ``month`` (the 花名册 and the 考勤表's rows)."""
    return (Placement.objects.restrict(user).filter(placed_in_month(month))
            .select_related("person", "post", "post__employer").order_by("township_code", "post_id", "id"))


def month_attendance(*, user, month: str) -> QuerySet[Attendance]:
    return Attendance.objects.restrict(user).filter(month=month).select_related("placement__person",
                                                                                 "placement__post")


def month_pay(*, user, month: str) -> QuerySet[PostPay]:
    return PostPay.objects.restrict(user).filter(month=month).select_related("person", "placement__post")


@dataclass(frozen=True)
class ExitProposal:
    placement: Placement
    reason: str
    why: str


def exit_proposals(*, user, month: str) -> list[ExitProposal]:
    """Exits the data suggest at the end of ``month``; an officer confirms each one."""
    end = last_day(month)
    active = list(Placement.objects.restrict(user).filter(status=c.PlacementStatus.ACTIVE)
                  .select_related("person", "post"))
    ids = [p.person_id for p in active]
    outside = set(EmploymentMonth.objects.filter(month=month, person_id__in=ids, place_class__in=OUTSIDE_COUNTY)
                  .values_list("person_id", flat=True))
    fails = dict(Attendance.objects.filter(placement__in=active, rating=c.Rating.FAIL).values("placement_id")
                 .annotate(n=Count("id")).values_list("placement_id", "n"))
    retirement = param("POSTS_RETIREMENT_AGE")
    out: list[ExitProposal] = []
    for p in active:
        if p.planned_end and p.planned_end <= end:
            out.append(ExitProposal(p, c.ExitReason.CONTRACT_END, _("合同计划{date}终止").format(date=p.planned_end)))
        elif fails.get(p.pk, 0) >= 2:
            out.append(ExitProposal(p, c.ExitReason.FAILED_TWICE, _("考核不合格{n}次").format(n=fails[p.pk])))
        elif p.person_id in outside:
            out.append(ExitProposal(p, c.ExitReason.STABLE_WORK, _("{month}有县外务工记录").format(month=month)))
        elif age_on(p.person.birth_date, end) >= retirement:
            out.append(ExitProposal(p, c.ExitReason.AGE_LIMIT, _("已满{age}周岁").format(age=retirement)))
    return out


def placed_count(*, user, month: str) -> int:
    return Placement.objects.restrict(user).filter(placed_in_month(month)).filter(
        Q(exit_date__isnull=True) | Q(exit_date__gt=last_day(month))).count()

