"""Placements from a 公益性岗位人员花名册: people already chosen and notified (公示) outside
bangfu, recorded with their contract. The rules of a placement hold as for one made on the page
(the post approved and not full, the person eligible on the contract start, 一岗一人, 一户一岗,
the contract limit); the ranking is not re-decided, the choice having been made before.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from bangfu.core.actors import Actor, actor_user
from bangfu.core.audit import audit_record
from bangfu.core.workdays import add_working_days, is_working_day
from bangfu.posts import choices as c
from bangfu.posts import errors as e
from bangfu.posts.eligibility import eligibility_rows, evaluate
from bangfu.posts.errors import PostsError
from bangfu.posts.models import Placement, WelfarePost
from bangfu.posts.params import param
from bangfu.posts.permissions import require_approve
from bangfu.posts.services.placements import check_contract
from bangfu.registry.models import Person

P = c.PlacementStatus


def notice_before(contract_start: dt.date) -> tuple[dt.date, dt.date]:
    """The 公示 taken as held over the working days just before the contract."""
    start = contract_start - dt.timedelta(days=1)
    days = param("POSTS_NOTICE_WORKING_DAYS")
    while add_working_days(start, days) >= contract_start or not is_working_day(start):
        start -= dt.timedelta(days=1)
    return start, add_working_days(start, days)


def _correct(actor: Actor, placement: Placement, contract_start: dt.date, planned_end: dt.date) -> tuple[Placement, str]:
    if (placement.contract_start, placement.planned_end) == (contract_start, planned_end):
        return placement, "unchanged"
    if placement.status != P.ACTIVE:
        raise PostsError(e.ERR_PLACEMENT_STATE, status=placement.get_status_display(), action="修改合同期限")
    check_contract(person=placement.person, contract_start=contract_start, planned_end=planned_end,
                   exclude_pk=placement.pk)
    before = {"contract_start": str(placement.contract_start), "planned_end": str(placement.planned_end)}
    placement.contract_start, placement.planned_end = contract_start, planned_end
    placement.save(update_fields=["contract_start", "planned_end", "updated_at"])
    audit_record(actor=actor, action="welfare_post.contract_correct", obj=placement,
                 detail={"before": before, "contract_start": contract_start.isoformat(),
                         "planned_end": planned_end.isoformat()})
    return placement, "updated"


@transaction.atomic
def placement_record(*, actor: Actor, post: WelfarePost, person: Person, contract_start: dt.date, planned_end: dt.date,
                     placement: Placement | None = None) -> tuple[Placement, str]:
    """Record one roster line: returns (placement, created|updated|unchanged).

    The same person in the same post again is unchanged (or has the contract dates corrected);
    a person in another post, a household with a live placement, a post not approved or full,
    a person not eligible on ``contract_start`` and a contract too long are refused."""
    require_approve(actor, post.township_code)
    post = WelfarePost.objects.select_for_update().get(pk=post.pk)
    if placement is not None:
        placement = Placement.objects.select_for_update().select_related("person").get(pk=placement.pk)
        if placement.person_id != person.pk or placement.post_id != post.pk:
            raise PostsError(e.ERR_ROSTER_MISMATCH)
        require_approve(actor, placement.township_code)
        return _correct(actor, placement, contract_start, planned_end)
    live = Placement.objects.filter(status__in=c.LIVE_PLACEMENT_STATUSES)
    mine = live.select_for_update().select_related("person").filter(person=person).first()
    if mine is not None:
        if mine.post_id != post.pk:
            raise PostsError(e.ERR_PERSON_PLACED)
        if mine.status == P.NOTICE:
            raise PostsError(e.ERR_PLACEMENT_STATE, status=mine.get_status_display(), action="按花名册登记合同")
        return _correct(actor, mine, contract_start, planned_end)
    if live.filter(household_id=person.household_id).exists():
        raise PostsError(e.ERR_HOUSEHOLD_PLACED)
    if post.status != c.PostStatus.APPROVED:
        raise PostsError(e.ERR_POST_NOT_APPROVED)
    if post.placements.filter(status__in=c.LIVE_PLACEMENT_STATUSES).count() >= post.headcount:
        raise PostsError(e.ERR_POST_FULL, headcount=post.headcount)
    verdict = evaluate(eligibility_rows(Person.objects.filter(pk=person.pk), on=contract_start).get(),
                       on=contract_start)
    if not verdict.eligible:
        raise PostsError(e.ERR_NOT_ELIGIBLE, reasons="；".join(f"{r.label}（{r.value}）" for r in verdict.failed_rules))
    check_contract(person=person, contract_start=contract_start, planned_end=planned_end)
    notice_start, notice_end = notice_before(contract_start)
    placement = Placement(post=post, person=person, household_id=person.household_id,
                          district_code=person.district_code, township_code=person.township_code,
                          status=P.ACTIVE, notice_start=notice_start, notice_end=notice_end,
                          contract_start=contract_start, planned_end=planned_end,
                          placed_by=actor_user(actor))
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:
        # Another officer placed this person or a member of the household a moment ago.
        if live.filter(person=person).exists():
            raise PostsError(e.ERR_PERSON_PLACED) from None
        raise PostsError(e.ERR_HOUSEHOLD_PLACED) from None
    audit_record(actor=actor, action="welfare_post.place_from_roster", obj=placement,
                 detail={"post": post.pk, "person": person.pk, "contract_start": contract_start.isoformat(),
                         "planned_end": planned_end.isoformat()})
    return placement, "created"
