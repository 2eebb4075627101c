"""What 根治欠薪 contributes to core (``bangfu.core.hooks``): the overdue escalation task, its KPI
figures and briefing section."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.arrears import kpi
from bangfu.core.actors import SCHEDULER
from bangfu.core.hooks import BriefingSection, KpiContribution, KpiRollup
from bangfu.core.schedule import Cadence, Job


def escalate_overdue(now: dt.datetime) -> dict:
    from bangfu.arrears.services import case_escalate_overdue

    return {"escalated": case_escalate_overdue(today=timezone.localdate(now), actor=SCHEDULER)}


SCHEDULED_JOBS = [
    Job("arrears_escalate", _("欠薪超期督办"), Cadence.daily(1, 0), escalate_overdue,
        _("超过受理或办结期限的欠薪案件升级为市级督办")),
]


# ---- KPI figures and the briefing section (DESIGN.md section 5)

KPI_FIGURES = [
    KpiContribution("arrears_leads_ytd", _("今年以来受理欠薪线索"), "arrears", kpi.leads_by_month, (kpi.CASE,),
                    rollup=KpiRollup.YTD, unit=_("条"), order=50),
    KpiContribution("arrears_on_time_rate", _("欠薪线索按期办结率"), "arrears", kpi.on_time_by_month, (kpi.CASE,),
                    rollup=KpiRollup.RATIO_YTD, order=51),
    KpiContribution("outpost_offices", _("驻外劳务办事机构"), "arrears", kpi.outpost_offices, (kpi.OFFICE,),
                    rollup=KpiRollup.SUM, unit=_("个"), order=52),
]


def briefing_arrears(*, month: str, area_code: str, figures: dict) -> str:
    leads, rate, offices = (figures.get(k) for k in ("arrears_leads_ytd", "arrears_on_time_rate", "outpost_offices"))
    if not leads or not leads.value:
        return ""
    text = _("{year}年以来，受理欠薪线索{leads}").format(year=month[:4], leads=leads.text(str(_("条"))))
    if rate is not None and rate.number is not None:
        text += _("，已办结的按期办结率{rate}").format(rate=rate.text())
    if offices is not None and offices.value and area_code == "50":
        text += _("；{count}个驻外劳务办事机构就地受理在外务工人员欠薪投诉").format(count=offices.value)
    return text + _("。")


BRIEFING = [BriefingSection("arrears", _("根治欠薪"), briefing_arrears, order=50)]
