"""The posts step of ``bangfu demo``: posts in the busiest villages of 丰都县 (the demo officer's
district), requested, reviewed and approved; placements of the first-ranked persons (one with an
override and its reason, one still in 公示); attendance of the last three complete months,
approved; and the pay run of each month, so every posts page opens on data."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bangfu.core.hooks import DemoContext
from bangfu.core.months import first_day, last_day, month_of, shift_month
from bangfu.core.workdays import is_working_day

DEMO_DISTRICT = "500230"  # 丰都县
DEMO_OFFICER = "fengdu"
SEED = 2024
# (name, post type, work time, hours per month, headcount, duties)
POSTS = (
    ("村道保洁员", "public_service", "full_time", None, 3, "村内道路和公共场所清扫保洁"),
    ("护林员", "assist_management", "part_time", 80, 2, "巡山护林、森林防火宣传"),
    ("村务协理员", "assist_management", "full_time", None, 2, "协助村委会办理便民服务"),
)


def _marks(month: str, rng: random.Random, *, weak: bool) -> str:
    marks = []
    day = first_day(month)
    while day <= last_day(month):
        if not is_working_day(day):
            marks.append(" ")
        else:
            roll = rng.random()
            marks.append("旷" if weak and roll < 0.5 else "事" if roll < 0.05 else "病" if roll < 0.08 else "√")
        day += dt.timedelta(days=1)
    return "".join(marks).rstrip()


def _villages(limit: int) -> list[tuple[str, str]]:
    from bangfu.registry.models import Person

    return [(r["township_code"], r["village"]) for r in Person.objects.filter(district_code=DEMO_DISTRICT)
            .exclude(village="").values("township_code", "village").annotate(n=Count("id"))
            .order_by("-n", "township_code", "village")[:limit]]


def demo_posts(ctx: DemoContext) -> None:
    """Idempotent: nothing is done when posts exist already (or there are no demo persons); one
    transaction, so a step stopped half-way leaves no posts and runs again next time."""
    with transaction.atomic():
        _demo_posts(ctx)


def _demo_posts(ctx: DemoContext) -> None:
    from bangfu.accounts.models import User
    from bangfu.posts import choices as c
    from bangfu.posts import services
    from bangfu.posts.models import Attendance, Placement, PostPay, WelfarePost
    from bangfu.registry.models import Person

    console = ctx.console
    if WelfarePost.objects.exists():
        console.print(f"✓ 已有公益性岗位 {WelfarePost.objects.count():,} 个，跳过 / welfare posts already there")
        return
    officer = User.objects.filter(username=DEMO_OFFICER).first()
    villages = _villages(6)
    if officer is None or not villages:
        return
    rng = random.Random(SEED)
    months = [shift_month(month_of(timezone.localdate()), -k) for k in (3, 2, 1)]
    contract_start = first_day(months[0])
    notice_start = contract_start - dt.timedelta(days=14)
    for index, (township, village) in enumerate(villages):
        name, post_type, work_time, hours, headcount, duties = POSTS[index % len(POSTS)]
        post = services.post_request(actor=officer, name=name, post_type=post_type, district_code=DEMO_DISTRICT,
                                     township_code=township, village=village, work_time=work_time,
                                     hours_per_month=hours, headcount=headcount, duties=duties,
                                     funding_source=rng.choice(c.FundingSource.values), funding_year=contract_start.year)
        if index == len(villages) - 1:
            continue  # one request waits for the township's review
        services.post_review(actor=officer, post=post, approve=True, note="同意上报")
        services.post_approve(actor=officer, post=post, approve=True)
        for seat in range(headcount - (index % 2)):  # every other post keeps a vacancy
            ranked = [r for r in services.post_ranking(post, on=notice_start) if r.rank]
            if not ranked:
                break
            chosen, reason = ranked[0], ""
            if index == 0 and seat == 0 and len(ranked) > 1:
                chosen, reason = ranked[1], "本人长期从事村道保洁，熟悉片区，村民代表会议推荐"
            person = Person.objects.get(pk=chosen.person_id)
            placement = services.placement_create(actor=officer, post=post, person=person, override_reason=reason,
                                                  notice_start=notice_start)
            services.placement_sign(actor=officer, placement=placement, contract_start=contract_start,
                                    planned_end=services.contract_limit(person, contract_start))
        if index == 1:  # a choice still in its 公示
            ranked = [r for r in services.post_ranking(post, on=timezone.localdate()) if r.rank]
            if ranked and post.headcount > post.placements.count():
                person = Person.objects.get(pk=ranked[0].person_id)
                services.placement_create(actor=officer, post=post, person=person)
    placed = list(Placement.objects.filter(status=c.PlacementStatus.ACTIVE).select_related("person")
                  .order_by("id"))
    for month in months:
        for number, placement in enumerate(placed):
            weak = number == 0 and month == months[-1]  # one month rated 不合格 with days absent
            rating = c.Rating.FAIL if weak else c.Rating.EXCELLENT if rng.random() < 0.2 else c.Rating.PASS
            services.attendance_record(actor=officer, person=placement.person, month=month,
                                       marks=_marks(month, rng, weak=weak), rating=rating)
        services.attendance_approve(actor=officer, ids=list(
            Attendance.objects.filter(month=month).values_list("id", flat=True)))
        services.post_pay_run(actor=officer, month=month)
    console.print(f"✓ 公益性岗位 {WelfarePost.objects.count()} 个，在岗 {len(placed)} 人，"
                  f"岗位补贴 {PostPay.objects.count()} 笔 / welfare posts, placements and pay loaded")
