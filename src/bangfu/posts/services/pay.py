"""The monthly pay run: approved attendance of a month becomes pay claims, and every placed
month becomes the person's employment month (channel ``welfare_post``).

Set-based: the month's approved records are read in one query and written with bulk inserts;
the unique (person, month) of ``PostPay`` makes a second run, or a run racing another, add
nothing. The claims are then batched and paid by ``payments`` (``post_pay_batch_create``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.core.months import is_month
from bangfu.monitoring.models import EmploymentMonth
from bangfu.payments.services import check_payer, payment_batch_create
from bangfu.posts import choices as c
from bangfu.posts import errors as e
from bangfu.posts.errors import PostsError
from bangfu.posts.models import Attendance, PostPay
from bangfu.posts.params import by_district, param
from bangfu.posts.payables import CLAIM_TYPE

CHANNEL = "welfare_post"


@dataclass
class PayRunResult:
    month: str
    claims_created: int = 0
    already_claimed: int = 0
    failed_rating: int = 0       # 不合格: nothing is paid
    too_few_days: int = 0        # fewer days present than the minimum
    not_approved: int = 0        # recorded but not yet approved: waiting
    employment_created: int = 0
    employment_updated: int = 0
    total_fen: int = 0


def pay_amount(*, attendance: Attendance, post) -> tuple[int, dict]:
    """(fen, basis) of one approved month: the district's minimum monthly wage (full time), or
    the minimum hourly wage × the post's monthly hours (part time). 不合格 pays nothing."""
    if not attendance.rating:
        raise PostsError(e.ERR_NO_PAY_WITHOUT_RATING, month=attendance.month)
    if attendance.rating == c.Rating.FAIL:
        return 0, {"rating": attendance.rating}
    if post.work_time == c.WorkTime.PART_TIME:
        hourly = by_district("POSTS_MIN_HOURLY_WAGE_FEN", attendance.district_code)
        hours = post.hours_per_month or 0
        return hourly * hours, {"work_time": post.work_time, "hourly_fen": hourly, "hours": hours}
    monthly = by_district("POSTS_MIN_MONTHLY_WAGE_FEN", attendance.district_code)
    return monthly, {"work_time": post.work_time, "monthly_fen": monthly}


@transaction.atomic
def post_pay_run(*, actor: Actor, month: str) -> PayRunResult:
    """Turn the approved attendance of ``month`` in the actor's area into pay claims, once."""
    if not is_month(month):
        raise PostsError(e.ERR_MONTH)
    check_payer(actor)
    result = PayRunResult(month=month)
    in_area = Attendance.objects.restrict(actor).filter(month=month)
    result.not_approved = in_area.filter(status=c.AttendanceStatus.RECORDED).count()
    records = list(in_area.filter(status=c.AttendanceStatus.APPROVED)
                   .select_related("placement__post__employer", "placement"))
    claimed = set(PostPay.objects.filter(month=month, person_id__in=[r.placement.person_id for r in records])
                  .values_list("person_id", flat=True))
    min_days = param("POSTS_MIN_DAYS_PRESENT")
    claims: list[PostPay] = []
    for record in records:
        placement = record.placement
        if placement.person_id in claimed:
            result.already_claimed += 1
            continue
        if record.days_present < min_days:
            result.too_few_days += 1
            continue
        amount, basis = pay_amount(attendance=record, post=placement.post)
        if amount <= 0:
            result.failed_rating += 1
            continue
        claimed.add(placement.person_id)
        claims.append(PostPay(attendance=record, placement=placement, person_id=placement.person_id, month=month,
                              amount_fen=amount, basis={**basis, "days_present": record.days_present},
                              district_code=record.district_code, township_code=record.township_code))
    # ignore_conflicts: a run at the same moment may have written some; the constraint keeps one.
    before = PostPay.objects.filter(month=month).count()
    PostPay.objects.bulk_create(claims, batch_size=2000, ignore_conflicts=True)
    result.claims_created = PostPay.objects.filter(month=month).count() - before
    result.already_claimed += len(claims) - result.claims_created
    if result.claims_created == len(claims):
        result.total_fen = sum(p.amount_fen for p in claims)
    else:  # a concurrent run wrote some of them: count what this run's claims hold now
        ids = [p.attendance_id for p in claims]
        result.total_fen = sum(sum(PostPay.objects.filter(attendance_id__in=ids[i:i + 5000], pk__isnull=False)
                                   .values_list("amount_fen", flat=True)) for i in range(0, len(ids), 5000))
    _write_employment(records, month, result)
    audit_record(actor=actor, action="welfare_post.pay_run", area_code=actor.area_code,
                 detail={"month": month, "claims": result.claims_created, "total_fen": result.total_fen,
                         "already": result.already_claimed, "failed_rating": result.failed_rating,
                         "too_few_days": result.too_few_days, "not_approved": result.not_approved,
                         "employment_created": result.employment_created,
                         "employment_updated": result.employment_updated})
    return result


def _write_employment(records: list[Attendance], month: str, result: PayRunResult) -> None:
    """Each placed month is an employment month in the county, channel welfare_post: a month
    already recorded in the county (e.g. as 就近就业) is relabelled, so it is counted once."""
    person_ids = [r.placement.person_id for r in records]
    existing = dict(EmploymentMonth.objects.filter(month=month, person_id__in=person_ids)
                    .values_list("person_id", "place_class"))
    new = []
    relabel = []
    for record in records:
        placement = record.placement
        post = placement.post
        pid = placement.person_id
        if pid not in existing:
            new.append(EmploymentMonth(person_id=pid, month=month, place_class="in_county",
                                       destination_code=post.township_code, channel=CHANNEL,
                                       employer_name=(post.employer.name if post.employer_id else post.village)[:200],
                                       employer_uscc=post.employer.uscc if post.employer_id else "",
                                       job_title=post.name[:100]))
            existing[pid] = "in_county"
        elif existing[pid] == "in_county":
            relabel.append(pid)
    EmploymentMonth.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    result.employment_created = len(new)
    for start in range(0, len(relabel), 5000):
        result.employment_updated += (EmploymentMonth.objects
                                      .filter(month=month, person_id__in=relabel[start:start + 5000])
                                      .exclude(channel=CHANNEL).update(channel=CHANNEL))


def post_pay_batch_create(*, actor: Actor, month: str, rebatch: bool = False):
    """A payment batch of the month's approved post pay (``rebatch``: the failed ones)."""
    return payment_batch_create(actor=actor, claim_type=CLAIM_TYPE, scope=month, rebatch=rebatch)
