"""The network step of ``bangfu demo``: the demo broker (``broker``, 丰都县) becomes the helper
of the busiest township's largest caseload, so "我的服务对象" opens on real people; when the
scenario made no helpers, one is registered and given the township's first workers."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q

from bangfu.core.actors import SYSTEM
from bangfu.core.hooks import DemoContext

DEMO_BROKER = "broker"
CASELOAD = 30


def demo_network(ctx: DemoContext) -> None:
    from bangfu.accounts.demo import fengdu_township
    from bangfu.accounts.models import User
    from bangfu.network.models import Helper
    from bangfu.network.services import caseload_assign, helper_advance, helper_apply
    from bangfu.registry.models import Person

    user = User.objects.filter(username=DEMO_BROKER).first()
    if user is None or Helper.objects.filter(user=user).exists():
        return
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
