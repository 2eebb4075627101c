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


# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "arrears_case.intake": _("登记欠薪线索"),
    "arrears_case.note": _("添加办理记录"),
    "arrears_case.payment": _("登记追回金额"),
    "arrears_case.transfer": _("移交案件"),
    "arrears_case.extend": _("延长办结期限"),
    "arrears_case.escalate": _("超期督办"),
    "arrears_case.export": _("导出欠薪案件"),
    "arrears_case.attachment_view": _("查看案件附件"),
    "arrears_case.view_full_pii": _("查看案件完整个人信息"),
    "arrears_case.generate": _("生成演示欠薪案件"),
    # case_transition writes ``arrears_case.<state it moves to>``
    "arrears_case.received": _("退回待受理"),
    "arrears_case.accepted": _("受理"),
    "arrears_case.rejected": _("不予受理"),
    "arrears_case.investigating": _("开始调查"),
    "arrears_case.mediated": _("调解"),
    "arrears_case.ordered": _("责令支付"),
    "arrears_case.referred": _("移送法院或公安"),
    "arrears_case.paid": _("确认已支付"),
    "arrears_case.closed": _("结案"),
    "arrears_case.linked": _("重复投诉并案"),
    "arrears_office.create": _("新增驻外办事机构"),
    "arrears_office.update": _("修改驻外办事机构"),
    "arrears_office.member_set": _("设置办事机构人员"),
}

AUDIT_FIELDS = {
    "attachment": _("附件"),
    "cases": _("案件数"),
    "event": _("办理记录"),
    "finish_due": _("办结期限"),
}
