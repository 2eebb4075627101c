"""The order in which leads are handled, and the sentence that explains it on the case.

1. a lead from a registry person (matched by ID hash: 脱贫人口 or 防返贫监测对象) goes first;
2. then the amount owed, in bands (a few yuan more should not jump a lead with many workers);
3. then how many workers share the employer (distinct complainants of the open cases against
   it, or the number of workers the complaint names, whichever is larger);
4. then the age of the lead: older first.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext as _

from bangfu.arrears import choices as c
from bangfu.core.money import format_yuan
from bangfu.core.workdays import working_days_between


def amount_band(amount_fen: int) -> int:
    for band, floor in c.AMOUNT_BAND_FLOORS_FEN:
        if amount_fen >= floor:
            return int(band)
    return int(c.AmountBand.UNDER_1K)


def with_employer_workers(qs: QuerySet) -> QuerySet:
    """Annotate ``employer_workers``: workers with open cases against the same employer."""
    from bangfu.arrears.models import ArrearsCase

    complainants = (
        ArrearsCase.objects.filter(employer_key=OuterRef("employer_key"), state__in=c.OPEN_STATES)
        .order_by()
        .values("employer_key")
        .annotate(n=Count("id_number_hash", distinct=True))
        .values("n")
    )
    return qs.annotate(
        employer_complainants=Coalesce(Subquery(complainants, output_field=IntegerField()), Value(1)),
        employer_workers=Greatest("employer_complainants", "workers_affected", output_field=IntegerField()),
    )


def employer_workers_for(case) -> int:
    value = getattr(case, "employer_workers", None)
    if value is not None:
        return int(value)
    from bangfu.arrears.models import ArrearsCase

    return with_employer_workers(ArrearsCase.objects.filter(pk=case.pk)).values_list(
        "employer_workers", flat=True).first() or case.workers_affected


def priority_reasons(case, *, today: dt.date) -> list[str]:
    """Each step of the order, in Chinese, with the values that decided it."""
    reasons = []
    if case.from_registry:
        if case.registry_category == "monitored":
            reasons.append(_("花名册中的防返贫监测对象，优先办理"))
        else:
            reasons.append(_("花名册中的脱贫人口，优先办理"))
    else:
        reasons.append(_("不在脱贫人口花名册中"))
    reasons.append(
        _("欠薪 %(amount)s 元（%(band)s）") % {
            "amount": format_yuan(case.amount_owed_fen),
            "band": c.AmountBand(case.amount_band).label,
        }
    )
    reasons.append(_("同一用人单位涉及 %(n)d 名工人") % {"n": employer_workers_for(case)})
    waited = max(0, working_days_between(case.received_on, today))
    reasons.append(_("已登记 %(n)d 个工作日") % {"n": waited})
    return reasons


def queue_position(case) -> tuple[int, int] | None:
    """(position, total) of an open case among its office's open cases, by priority."""
    from bangfu.arrears.models import ArrearsCase

    if case.state not in c.OPEN_STATES:
        return None
    ids = list(
        ArrearsCase.objects.filter(office_id=case.office_id).open().by_priority().values_list("id", flat=True)
    )
    if case.pk not in ids:
        return None
    return ids.index(case.pk) + 1, len(ids)
