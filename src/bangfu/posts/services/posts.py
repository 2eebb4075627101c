"""Posts: requested for a village or unit, reviewed by the township, approved by the county."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bangfu.core.actors import Actor, actor_user
from bangfu.core.audit import audit_record
from bangfu.employers.models import Employer
from bangfu.posts import choices as c
from bangfu.posts.errors import ERR_PART_TIME_HOURS, ERR_POST_STATE, ERR_REASON_REQUIRED, ERR_UNIT, PostsError
from bangfu.posts.models import WelfarePost
from bangfu.posts.permissions import require_approve, require_edit

S = c.PostStatus


def _locked(post: WelfarePost) -> WelfarePost:
    # Decide from the row as it is inside the write transaction, not from the caller's copy.
    return WelfarePost.objects.select_for_update().get(pk=post.pk)


def _state(post: WelfarePost, expected: str, action: str) -> None:
    if post.status != expected:
        raise PostsError(ERR_POST_STATE, status=post.get_status_display(), action=action)


@transaction.atomic
def post_request(*, actor: Actor, name: str, post_type: str, district_code: str, township_code: str,
                 funding_source: str, funding_year: int, village: str = "", employer: Employer | None = None,
                 work_time: str = c.WorkTime.FULL_TIME, hours_per_month: int | None = None,
                 headcount: int = 1, duties: str = "") -> WelfarePost:
    """岗位申报: the village's (or unit's) request, entered by the township or district."""
    require_edit(actor, township_code)
    if not village and employer is None:
        raise PostsError(ERR_UNIT)
    if work_time == c.WorkTime.PART_TIME and not hours_per_month:
        raise PostsError(ERR_PART_TIME_HOURS)
    post = WelfarePost(name=name, post_type=post_type, district_code=district_code, township_code=township_code,
                       village=village, employer=employer, funding_source=funding_source,
                       funding_year=funding_year, work_time=work_time,
                       hours_per_month=hours_per_month if work_time == c.WorkTime.PART_TIME else None,
                       headcount=headcount, duties=duties, requested_by=actor_user(actor))
    post.full_clean()
    post.save()
    audit_record(actor=actor, action="welfare_post.request", obj=post,
                 detail={"name": name, "post_type": post_type, "headcount": headcount,
                         "funding_source": funding_source, "funding_year": funding_year})
    return post


@transaction.atomic
def post_review(*, actor: Actor, post: WelfarePost, approve: bool, note: str = "") -> WelfarePost:
    """乡镇审核: the township passes the request to the county, or turns it down (with a note)."""
    require_edit(actor, post.township_code)
    post = _locked(post)
    _state(post, S.REQUESTED, "审核")
    if not approve and not note.strip():
        raise PostsError(ERR_REASON_REQUIRED)
    post.status = S.REVIEWED if approve else S.REJECTED
    post.reviewed_by = actor_user(actor)
    post.reviewed_at = timezone.now()
    post.decision_note = note.strip()[:300]
    post.save(update_fields=["status", "reviewed_by", "reviewed_at", "decision_note", "updated_at"])
    audit_record(actor=actor, action="welfare_post.review", obj=post, detail={"approve": approve, "note": note[:300]})
    return post


@transaction.atomic
def post_approve(*, actor: Actor, post: WelfarePost, approve: bool, note: str = "") -> WelfarePost:
    """县统筹: the county approves the reviewed post (it can then be filled) or turns it down."""
    require_approve(actor, post.township_code)
    post = _locked(post)
    _state(post, S.REVIEWED, "批准")
    if not approve and not note.strip():
        raise PostsError(ERR_REASON_REQUIRED)
    post.status = S.APPROVED if approve else S.REJECTED
    post.approved_by = actor_user(actor)
    post.approved_at = timezone.now()
    post.decision_note = note.strip()[:300] or post.decision_note
    post.save(update_fields=["status", "approved_by", "approved_at", "decision_note", "updated_at"])
    audit_record(actor=actor, action="welfare_post.approve", obj=post, detail={"approve": approve, "note": note[:300]})
    return post


REQUEST_FIELDS = ("name", "post_type", "work_time", "hours_per_month", "headcount", "village", "employer",
                  "funding_source", "funding_year", "duties")


@transaction.atomic
def post_request_correct(*, actor: Actor, post: WelfarePost, **values) -> tuple[WelfarePost, str]:
    """Correct a request not yet reviewed (a re-imported 岗位申报表): returns (post, updated|unchanged).

    A post the township has reviewed keeps its values: the request is refused."""
    post = _locked(post)
    require_edit(actor, post.township_code)
    values = {k: v for k, v in values.items() if k in REQUEST_FIELDS}
    if values.get("work_time", post.work_time) != c.WorkTime.PART_TIME:
        values["hours_per_month"] = None
    if all(getattr(post, k) == v for k, v in values.items()):
        return post, "unchanged"
    _state(post, S.REQUESTED, "修改申报内容")
    if values.get("work_time") == c.WorkTime.PART_TIME and not values.get("hours_per_month"):
        raise PostsError(ERR_PART_TIME_HOURS)
    changed = {k: str(getattr(post, k)) for k, v in values.items() if getattr(post, k) != v}
    for key, value in values.items():
        setattr(post, key, value)
    if not post.village and post.employer_id is None:
        raise PostsError(ERR_UNIT)
    post.full_clean()
    post.save()
    audit_record(actor=actor, action="welfare_post.request_correct", obj=post, detail={"changed": sorted(changed)})
    return post, "updated"
