"""A district closes (报送) its month; the city re-opens it with a reason. One audit row each.

Closing needs the monitoring import capability at district level (one's own district) or at
the city (any district); a township officer imports but does not report. Re-opening is the
city's. The state is decided on the row locked inside the write transaction.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core import months
from bangfu.core.actors import Actor, Forbidden, actor_name, actor_user, is_system, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.months import ERR_MONTH, is_month
from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE, area_level
from bangfu.monitoring.choices import MonthReportState
from bangfu.monitoring.clock import current_month
from bangfu.monitoring.completeness import area_districts
from bangfu.monitoring.models import MonthReport

CAPABILITY = Capability.IMPORT_MONITORING
ERR_NO_CAPABILITY = gettext_noop("报送需要区县或市级经办人员的务工监测导入权限")
ERR_OTHER_DISTRICT = gettext_noop("只能报送本区县的数据")
ERR_REOPEN_CITY = gettext_noop("只有市级经办人员可以退回已报送的月份")
ERR_DISTRICT = gettext_noop("无法识别的区县代码：{code}")
ERR_FUTURE = gettext_noop("{month}尚未到来，不能报送")
ERR_ALREADY_CLOSED = gettext_noop("{district}已报送{month}数据")
ERR_NOT_CLOSED = gettext_noop("{district}尚未报送{month}数据，无需退回")
ERR_REASON = gettext_noop("请填写退回原因")


class MonthReportError(ValueError):
    """The report cannot be changed as asked; the message is Chinese (translated when raised)."""



def _check_month(month: str) -> str:
    if not is_month(month):
        raise MonthReportError(_(ERR_MONTH).format(value=month))
    if month > current_month():
        raise MonthReportError(_(ERR_FUTURE).format(month=month_label(month)))
    return month


def _check_district(district: str) -> str:
    if len(district) != 6 or area_districts(district) != (district,):
        raise MonthReportError(_(ERR_DISTRICT).format(code=district))
    return district


def _may_close(actor: Actor, district: str) -> None:
    """The actor needs the capability and the district's or the city's area (system actors act
    for the city)."""
    require(actor, CAPABILITY, _(ERR_NO_CAPABILITY))
    if area_level(actor.area_code) == "township":
        raise Forbidden(_(ERR_NO_CAPABILITY))
    if actor.area_code not in (CITY_CODE, district):
        raise Forbidden(_(ERR_OTHER_DISTRICT))


def _may_reopen(actor: Actor) -> None:
    require(actor, CAPABILITY, _(ERR_REOPEN_CITY))
    if actor.area_code != CITY_CODE:
        raise Forbidden(_(ERR_REOPEN_CITY))


def month_label(month: str) -> str:
    return months.month_label(month, _(months.MONTH_LABEL))


def _names(district: str, month: str) -> dict:
    return {"district": area_name(district), "month": month_label(month)}


@transaction.atomic
def month_close(*, actor: Actor, district: str, month: str) -> MonthReport:
    """Record that ``district`` has reported ``month`` (its data for the month is complete)."""
    _check_district(district)
    _check_month(month)
    _may_close(actor, district)
    now = timezone.now()
    report = MonthReport.objects.select_for_update().filter(district_code=district, month=month).first()
    if report is not None and report.is_closed:
        raise MonthReportError(_(ERR_ALREADY_CLOSED).format(**_names(district, month)))
    fields = {"state": MonthReportState.CLOSED, "closed_at": now, "closed_by": actor_user(actor),
              "closed_by_name": actor_name(actor)[:150]}
    if report is None:
        try:
            with transaction.atomic():  # a close racing this one may have created the row
                report = MonthReport.objects.create(district_code=district, month=month, **fields)
        except IntegrityError as exc:
            raise MonthReportError(_(ERR_ALREADY_CLOSED).format(**_names(district, month))) from exc
        reclosed = False
    else:
        for name, value in fields.items():
            setattr(report, name, value)
        report.save(update_fields=[*fields, "updated_at"])
        reclosed = True
    audit_record(actor=actor, action="month_report.close", obj=report, area_code=district,
                 detail={"district": district, "month": month, "reclosed": reclosed})
    return report


@transaction.atomic
def month_reopen(*, actor: Actor, district: str, month: str, reason: str) -> MonthReport:
    """The city sends a closed month back to the district: it counts as not reported again."""
    _check_district(district)
    _check_month(month)
    _may_reopen(actor)
    reason = (reason or "").strip()
    if not reason:
        raise MonthReportError(_(ERR_REASON))
    report = MonthReport.objects.select_for_update().filter(district_code=district, month=month).first()
    if report is None or not report.is_closed:
        raise MonthReportError(_(ERR_NOT_CLOSED).format(**_names(district, month)))
    report.state = MonthReportState.REOPENED
    report.reopened_at = timezone.now()
    report.reopened_by = actor_user(actor)
    report.reopened_by_name = actor_name(actor)[:150]
    report.reopen_reason = reason[:300]
    report.save(update_fields=["state", "reopened_at", "reopened_by", "reopened_by_name", "reopen_reason",
                               "updated_at"])
    audit_record(actor=actor, action="month_report.reopen", obj=report, area_code=district,
                 detail={"district": district, "month": month, "reason": reason[:200]})
    return report


@transaction.atomic
def months_close_bulk(*, actor: Actor, months: list[str], districts: list[str] | None = None,
                      audit: bool = True) -> int:
    """Close ``months`` for ``districts`` (all of the division table by default) in one go: the
    generator's history, whose months are complete by construction. An operator's write only."""
    if not is_system(actor):
        raise Forbidden(_(ERR_NO_CAPABILITY))
    require(actor, CAPABILITY, _(ERR_NO_CAPABILITY))
    districts = list(districts if districts is not None else area_districts(CITY_CODE))
    now, name = timezone.now(), actor_name(actor)[:150]
    existing = set(MonthReport.objects.filter(month__in=months, district_code__in=districts)
                   .values_list("district_code", "month"))
    MonthReport.objects.filter(month__in=months, district_code__in=districts).exclude(
        state=MonthReportState.CLOSED).update(state=MonthReportState.CLOSED, closed_at=now, closed_by=None,
                                              closed_by_name=name, updated_at=now)
    MonthReport.objects.bulk_create([
        MonthReport(district_code=d, month=m, state=MonthReportState.CLOSED, closed_at=now, closed_by_name=name)
        for m in months for d in districts if (d, m) not in existing], batch_size=2000)
    if audit:
        audit_record(actor=actor, action="month_report.close_bulk", area_code=CITY_CODE,
                     detail={"months": sorted(months)[:36], "districts": len(districts)})
    return len(months) * len(districts)
