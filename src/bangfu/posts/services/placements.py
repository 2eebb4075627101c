"""Placements: choose an eligible person (by rank, or overriding it with a reason), 公示 for 5
working days, sign the contract (at most 36 months in a row, to retirement when it is near),
and exit with a coded reason.

The database holds one live placement per person and per household (partial unique
constraints); the checks below give the precise Chinese reason, and the constraint decides
when two officers place two members of one household at the same moment.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from bangfu.core.actors import Actor, actor_user
from bangfu.core.audit import audit_record
from bangfu.core.workdays import add_working_days
from bangfu.posts import choices as c
from bangfu.posts import errors as e
from bangfu.posts.eligibility import eligibility_for_area, eligibility_rows, evaluate, pool_of
from bangfu.posts.errors import PostsError
from bangfu.posts.models import Placement, WelfarePost
from bangfu.posts.params import param
from bangfu.posts.permissions import require_approve
from bangfu.registry.models import Person

P = c.PlacementStatus


def add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def post_ranking(post: WelfarePost, *, on: dt.date):
    """The post's pool (its village, or its township) with rules, priority and rank."""
    return eligibility_for_area(Person.objects.filter(pool_of(post)), on=on)


def _refuse_live(person: Person) -> None:
    live = Placement.objects.filter(status__in=c.LIVE_PLACEMENT_STATUSES)
    if live.filter(person=person).exists():
        raise PostsError(e.ERR_PERSON_PLACED)
    if live.filter(household_id=person.household_id).exists():
        raise PostsError(e.ERR_HOUSEHOLD_PLACED)


@transaction.atomic
def placement_create(*, actor: Actor, post: WelfarePost, person: Person, override_reason: str = "",
                     notice_start: dt.date | None = None) -> Placement:
    """Choose ``person`` for ``post``: the 公示 starts (5 working days by default).

    Refused: a post not approved or full, a person not eligible (with the failed rules), a
    person already placed (一岗一人) or a household with a live placement (一户一岗), and a
    person ranked below another eligible one without a written reason."""
    require_approve(actor, post.township_code)
    post = WelfarePost.objects.select_for_update().get(pk=post.pk)
    if post.status != c.PostStatus.APPROVED:
        raise PostsError(e.ERR_POST_NOT_APPROVED)
    if post.placements.filter(status__in=c.LIVE_PLACEMENT_STATUSES).count() >= post.headcount:
        raise PostsError(e.ERR_POST_FULL, headcount=post.headcount)
    _refuse_live(person)
    today = notice_start or timezone.localdate()
    row = eligibility_rows(Person.objects.filter(pk=person.pk), on=today).get()
    verdict = evaluate(row, on=today)
    if not verdict.eligible:
        raise PostsError(e.ERR_NOT_ELIGIBLE, reasons="；".join(f"{r.label}（{r.value}）" for r in verdict.failed_rules))
    ranking = [r for r in post_ranking(post, on=today) if r.rank is not None]
    rank = next((r.rank for r in ranking if r.person_id == person.pk), None)
    override_reason = override_reason.strip()
    if rank is not None and rank > 1 and not override_reason:
        raise PostsError(e.ERR_OVERRIDE_REASON, rank=rank)
    placement = Placement(post=post, person=person, household_id=person.household_id,
                          district_code=person.district_code, township_code=person.township_code,
                          notice_start=today, notice_end=add_working_days(today, param("POSTS_NOTICE_WORKING_DAYS")),
                          priority_rank=rank, override_reason=override_reason[:300],
                          placed_by=actor_user(actor))
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        # Another officer placed this person or a member of the household a moment ago.
        if Placement.objects.filter(status__in=c.LIVE_PLACEMENT_STATUSES, person=person).exists():
            raise PostsError(e.ERR_PERSON_PLACED) from None
        raise PostsError(e.ERR_HOUSEHOLD_PLACED) from None
    audit_record(actor=actor, action="welfare_post.place", obj=placement,
                 detail={"post": post.pk, "person": person.pk, "rank": rank,
                         "override": bool(override_reason and rank and rank > 1),
                         "override_reason": override_reason[:300], "notice_end": placement.notice_end.isoformat()})
    return placement


def _locked(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().select_related("person").get(pk=placement.pk)


def contract_limit(person: Person, start: dt.date) -> dt.date:
    """The latest planned end: 36 months from ``start``, or the retirement date when it is fewer
    than 5 years away at the start (延至退休)."""
    limit = add_months(start, param("POSTS_MAX_CONTRACT_MONTHS")) - dt.timedelta(days=1)
    retirement_age = param("POSTS_RETIREMENT_AGE")
    born = person.birth_date
    retirement = add_months(dt.date(born.year, born.month, min(born.day, 28)), 12 * retirement_age)
    if retirement <= add_months(start, 12 * param("POSTS_RETIREMENT_WITHIN_YEARS")):
        return retirement  # longer or shorter than 36 months: never past retirement
    return limit


def check_contract(*, person: Person, contract_start: dt.date, planned_end: dt.date, exclude_pk=None) -> None:
    """Refuse an end before the start, or past the limit of the run of placements in a row."""
    if planned_end <= contract_start:
        raise PostsError(e.ERR_CONTRACT_DATES)
    # "In a row": a placement that ended the day before this contract starts counts too.
    previous = (Placement.objects.filter(person=person, status=P.EXITED,
                                         exit_date__gte=contract_start - dt.timedelta(days=1))
                .exclude(pk=exclude_pk).order_by("contract_start").first())
    start_of_run = previous.contract_start if previous and previous.contract_start else contract_start
    limit = contract_limit(person, start_of_run)
    if planned_end > limit:
        raise PostsError(e.ERR_CONTRACT_TOO_LONG, months=param("POSTS_MAX_CONTRACT_MONTHS"), limit=limit.isoformat(),
                         years=param("POSTS_RETIREMENT_WITHIN_YEARS"))


@transaction.atomic
def placement_sign(*, actor: Actor, placement: Placement, contract_start: dt.date, planned_end: dt.date) -> Placement:
    """The contract after the 公示: the person is in the post from ``contract_start``."""
    placement = _locked(placement)
    require_approve(actor, placement.township_code)
    if placement.status != P.NOTICE:
        raise PostsError(e.ERR_PLACEMENT_STATE, status=placement.get_status_display(), action="签订合同")
    if contract_start <= placement.notice_end:
        raise PostsError(e.ERR_NOTICE_NOT_OVER, end=placement.notice_end.isoformat())
    check_contract(person=placement.person, contract_start=contract_start, planned_end=planned_end,
                   exclude_pk=placement.pk)
    placement.status = P.ACTIVE
    placement.contract_start = contract_start
    placement.planned_end = planned_end
    placement.save(update_fields=["status", "contract_start", "planned_end", "updated_at"])
    audit_record(actor=actor, action="welfare_post.sign", obj=placement,
                 detail={"contract_start": contract_start.isoformat(), "planned_end": planned_end.isoformat()})
    return placement


@transaction.atomic
def placement_withdraw(*, actor: Actor, placement: Placement, reason: str) -> Placement:
    """公示有异议: the notice ends without a contract; the person and household are free again."""
    placement = _locked(placement)
    require_approve(actor, placement.township_code)
    if placement.status != P.NOTICE:
        raise PostsError(e.ERR_PLACEMENT_STATE, status=placement.get_status_display(), action="撤销公示")
    if not reason.strip():
        raise PostsError(e.ERR_REASON_REQUIRED)
    placement.status = P.WITHDRAWN
    placement.exit_note = reason.strip()[:300]
    placement.save(update_fields=["status", "exit_note", "updated_at"])
    audit_record(actor=actor, action="welfare_post.withdraw", obj=placement, detail={"reason": reason[:300]})
    return placement


@transaction.atomic
def placement_exit(*, actor: Actor, placement: Placement, reason: str, exit_date: dt.date, note: str = "") -> Placement:
    """退出: the officer confirms an exit (proposed by ``selectors.exit_proposals`` or not)."""
    placement = _locked(placement)
    require_approve(actor, placement.township_code)
    if placement.status != P.ACTIVE:
        raise PostsError(e.ERR_PLACEMENT_STATE, status=placement.get_status_display(), action="办理退出")
    if reason not in c.ExitReason.values:
        raise PostsError(e.ERR_REASON_REQUIRED)
    if placement.contract_start and exit_date < placement.contract_start:
        raise PostsError(e.ERR_EXIT_DATE)
    placement.status = P.EXITED
    placement.exit_reason = reason
    placement.exit_date = exit_date
    placement.exit_note = note.strip()[:300]
    placement.save(update_fields=["status", "exit_reason", "exit_date", "exit_note", "updated_at"])
    audit_record(actor=actor, action="welfare_post.exit", obj=placement,
                 detail={"reason": reason, "exit_date": exit_date.isoformat(), "note": note[:300]})
    return placement
