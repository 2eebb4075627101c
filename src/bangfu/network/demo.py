"""The network step of ``bangfu demo``: the demo broker (``broker``, 丰都县) becomes the helper
of the busiest township's largest caseload, so "我的服务对象" opens on real people; when the
scenario made no helpers, one is registered and given the township's first workers.

Then organised outflow: when the demo broker has no batch yet, they send the people of their
caseload who left for work outside Chongqing in one month (the month most of them left) as one
batch; and the broker award of that year (``broker_outflow_award``) is run for 丰都县 and
committed, so 免申即享 lists helpers' awards waiting for review."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from bangfu.core.actors import SYSTEM
from bangfu.core.hooks import DemoContext

DEMO_BROKER = "broker"
CASELOAD = 30
AWARD = "broker_outflow_award"


def demo_network(ctx: DemoContext) -> None:
    from bangfu.accounts.models import User
    from bangfu.network.models import Helper

    user = User.objects.filter(username=DEMO_BROKER).first()
    if user is None:
        return
    if not Helper.objects.filter(user=user).exists():
        _link_broker(ctx, user)
    helper = Helper.objects.get(user=user)
    _demo_outflow(ctx, user, helper)
    _demo_awards(ctx)


def _link_broker(ctx: DemoContext, user) -> None:
    from bangfu.accounts.demo import fengdu_township
    from bangfu.network.models import Helper
    from bangfu.network.services import caseload_assign, helper_advance, helper_apply
    from bangfu.registry.models import Person

    township = fengdu_township()
    with transaction.atomic():
        helper = (Helper.objects.filter(township_code=township, status="registered", user__isnull=True)
                  .annotate(n=Count("caseload", filter=Q(caseload__ended_on__isnull=True))).order_by("-n", "id").first())
        if helper is None:
            helper = helper_apply(actor=SYSTEM, name="演示经纪人", role="broker", birth_date=dt.date(1982, 6, 1),
                                  district_code=township[:6], township_code=township)
            for _ in range(4):
                helper = helper_advance(actor=SYSTEM, helper=helper)
            for person in Person.objects.filter(township_code=township).workers()[:CASELOAD]:
                if not person.caseloads.filter(primary=True, ended_on__isnull=True).exists():
                    caseload_assign(actor=SYSTEM, helper=helper, person=person)
        Helper.objects.filter(pk=helper.pk).update(user=user)
    ctx.console.print(f"劳务经纪人 {DEMO_BROKER} 的服务对象：{helper.caseload.filter(ended_on__isnull=True).count()} 人")


def _demo_outflow(ctx: DemoContext, user, helper) -> None:
    """One organised batch of the demo broker's caseload, unless they have one."""
    from bangfu.core.places import place_facts
    from bangfu.monitoring.models import EmploymentMonth
    from bangfu.network.models import OutflowBatch
    from bangfu.network.services import NetworkError, outflow_batch_create

    if OutflowBatch.objects.filter(helper=helper).exists():
        return
    people = {c.person_id: c.person for c in helper.caseload.filter(ended_on__isnull=True).select_related("person")}
    first: dict[int, tuple[str, str]] = {}
    for person_id, month, dest in (EmploymentMonth.objects.filter(person_id__in=list(people), place_class="out_of_city")
                                   .order_by("month").values_list("person_id", "month", "destination_code")):
        first.setdefault(person_id, (month, dest))
    by_month: dict[str, list[int]] = {}
    for person_id, (month, _dest) in first.items():
        by_month.setdefault(month, []).append(person_id)
    if not by_month:
        return
    month = max(sorted(by_month), key=lambda m: len(by_month[m]))
    members = by_month[month]
    city = next((first[p][1] for p in members if place_facts(first[p][1])), "")
    if not city:
        return
    try:
        batch = outflow_batch_create(actor=user, name=f"{int(month[5:])}月赴{place_facts(city).name}务工专列",
                                     departed_on=dt.date(int(month[:4]), int(month[5:]), 5),
                                     destination_code=city, persons=[people[p] for p in members], helper=helper)
    except NetworkError:
        return
    ctx.console.print(f"劳务经纪人 {DEMO_BROKER} 的有组织劳务输出：{batch.name} {len(members)} 人")


def _demo_awards(ctx: DemoContext) -> None:
    """The broker award of the latest year with batches, for 丰都县 (outside any transaction: the
    engine reads committed data); once."""
    from bangfu.accounts.demo import FENGDU
    from bangfu.network.models import OutflowBatch
    from bangfu.policies.models import Entitlement, Policy
    from bangfu.policies.services import PolicyRunError, example_definitions, policy_load, policy_run

    if Entitlement.objects.filter(policy__code=AWARD).exists():
        return
    months = OutflowBatch.objects.filter(owner_area_code__startswith=FENGDU).values_list("month", flat=True)
    year = max((m[:4] for m in months if m), default="")
    if not year:
        return
    policy = Policy.objects.filter(code=AWARD).first()
    if policy is None:
        policy, _outcome = policy_load(definition=next(d for d in example_definitions() if d.code == AWARD),
                                       actor=SYSTEM)
    try:
        run = policy_run(policy=policy, period=year, actor=SYSTEM, commit=True, area_code=FENGDU)
    except PolicyRunError as exc:
        ctx.console.print(f"劳务经纪人奖补未生成：{exc}")
        return
    ctx.console.print(f"劳务经纪人有组织劳务输出奖补（{year}年，丰都县）：{run.created} 人待审核")
