"""Monthly attendance (考勤) and its rating (考核), then the approval that makes it payable."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.core import facts as fact_store
from bangfu.core.actors import Actor, actor_user
from bangfu.core.audit import audit_record
from bangfu.core.months import first_day, is_month, last_day, parse_month
from bangfu.posts import choices as c
from bangfu.posts import errors as e
from bangfu.posts.errors import PostsError
from bangfu.posts.models import Attendance, Placement
from bangfu.posts.permissions import require_approve, require_edit
from bangfu.registry.models import Person

A = c.AttendanceStatus
M = c.DayMark


def days_in(month: str) -> int:
    year, number = parse_month(month)
    return calendar.monthrange(year, number)[1]


def placed_in_month(month: str) -> Q:
    """Placements in their post during ``month``: signed, started by its end, not exited before it."""
    return (Q(status__in=(c.PlacementStatus.ACTIVE, c.PlacementStatus.EXITED), contract_start__lte=last_day(month))
            & (Q(exit_date__isnull=True) | Q(exit_date__gte=first_day(month))))


def placement_for_month(person: Person, month: str) -> Placement | None:
    return (Placement.objects.filter(placed_in_month(month), person=person)
            .select_related("post").order_by("-contract_start").first())


@dataclass(frozen=True)
class Counts:
    present: int
    personal: int
    sick: int
    absent: int


def counts_of(marks: str) -> Counts:
    return Counts(marks.count(M.PRESENT), marks.count(M.PERSONAL_LEAVE), marks.count(M.SICK_LEAVE),
                  marks.count(M.ABSENT))


@transaction.atomic
def attendance_record(*, actor: Actor, person: Person, month: str, rating: str = "", marks: str = "",
                      counts: Counts | None = None) -> tuple[Attendance, str]:
    """Record (or correct) a person's month: the daily ``marks`` (one per day, √ 事 病 旷 or a
    space) or the ``counts`` alone, and the rating. Returns (record, created|updated|unchanged).

    Refused: a person not in a post that month, a month already approved."""
    if not is_month(month):
        raise PostsError(e.ERR_MONTH)
    placement = placement_for_month(person, month)
    if placement is None:
        raise PostsError(e.ERR_NOT_PLACED_THAT_MONTH, month=month)
    require_edit(actor, placement.township_code)
    if marks:
        counts = counts_of(marks)
    counts = counts or Counts(0, 0, 0, 0)
    total = counts.present + counts.personal + counts.sick + counts.absent
    if total > days_in(month):
        raise PostsError(e.ERR_DAYS, total=total, days=days_in(month))
    values = {"marks": marks, "days_present": counts.present, "days_personal_leave": counts.personal,
              "days_sick_leave": counts.sick, "days_absent": counts.absent, "rating": rating}
    record = Attendance.objects.select_for_update().filter(placement=placement, month=month).first()
    if record is None:
        record = Attendance.objects.create(placement=placement, month=month, district_code=placement.district_code,
                                           township_code=placement.township_code, **values)
        outcome = "created"
    elif all(getattr(record, k) == v for k, v in values.items()):
        return record, "unchanged"
    elif record.status == A.APPROVED:
        raise PostsError(e.ERR_ATTENDANCE_APPROVED, month=month)
    else:
        for key, value in values.items():
            setattr(record, key, value)
        record.save(update_fields=[*values, "updated_at"])
        outcome = "updated"
    fact_store.touch(Attendance._meta.db_table, [month])
    audit_record(actor=actor, action=f"welfare_post.attendance_{outcome}", obj=record,
                 detail={"placement": placement.pk, "month": month, "days_present": counts.present, "rating": rating})
    return record, outcome


@transaction.atomic
def attendance_approve(*, actor: Actor, ids: Sequence[int]) -> int:
    """Approve recorded months (the district checks the village's sheet). Every one must carry a
    rating: a month without one is refused, and nothing is approved."""
    records = list(Attendance.objects.select_for_update().filter(pk__in=list(ids), status=A.RECORDED)
                   .order_by("month", "id"))
    for record in records:
        require_approve(actor, record.township_code)
        if not record.rating:
            raise PostsError(e.ERR_NO_RATING, month=record.month)
    now = timezone.now()
    user = actor_user(actor)
    moved = Attendance.objects.filter(pk__in=[r.pk for r in records], status=A.RECORDED).update(
        status=A.APPROVED, approved_by=user, approved_at=now, updated_at=now)
    fact_store.touch(Attendance._meta.db_table, {r.month for r in records})
    audit_record(actor=actor, action="welfare_post.attendance_approve", area_code=actor.area_code,
                 detail={"approved": moved, "months": sorted({r.month for r in records})})
    return moved
