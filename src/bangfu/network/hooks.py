"""What the service network contributes to other apps: its KPI figures and briefing section, code
lists (字典管理), parameters (参数设置), audit labels and its demo step."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core import months
from bangfu.core.hooks import BriefingSection, CodeList, DemoStep, KpiContribution, KpiRollup
from bangfu.engine import schema as s
from bangfu.network import choices as c
from bangfu.network import kpi
from bangfu.network.demo import demo_network

DEMO_STEPS = [DemoStep("network", demo_network, order=37)]  # after the users: the demo broker

CODE_LISTS = [
    CodeList("gig_market_kind", _("零工市场类型"), c.MarketKind, order=90),
    CodeList("gig_market_operation", _("零工市场运营方式"), c.MarketOperation, order=91),
    CodeList("gig_market_service", _("零工市场核心服务"), c.MarketService, order=92),
    CodeList("workshop_type", _("帮扶车间类型"), c.WorkshopType, order=93),
    CodeList("workshop_status", _("帮扶车间状态"), c.WorkshopStatus, order=94),
    CodeList("workshop_rating", _("帮扶车间评定等次"), c.WorkshopRating, order=95),
    CodeList("helper_role", _("帮扶人员类别"), c.HelperRole, order=96),
    CodeList("helper_status", _("帮扶人员备案状态"), c.HelperStatus, order=97),
    CodeList("service_kind", _("就业服务类型"), c.ServiceKind, order=98),
]

PARAMETERS = {
    "NETWORK_WORKSHOP_MIN_WORKERS": _("帮扶车间：认定所需吸纳脱贫人口最少人数"),
    "NETWORK_HELPER_MIN_AGE": _("帮扶人员：备案最低年龄"),
    "NETWORK_HELPER_MAX_AGE": _("帮扶人员：备案最高年龄"),
    "NETWORK_ZERO_HOUSEHOLD_MIN_OFFERS": _("零就业家庭：至少提供的岗位信息数"),
    "NETWORK_STAY_MONTHS": _("稳定就业月数（车间、有组织输出）"),
    "NETWORK_MY_PEOPLE_JOBS": _("我的服务对象：每人显示的推荐岗位数"),
}

KPI_FIGURES = [
    KpiContribution("gig_markets", _("零工市场（驿站）"), "network", kpi.gig_markets, (kpi.MARKET,),
                    rollup=KpiRollup.SUM, unit=_("个"), order=80),
    KpiContribution("workshops", _("帮扶车间"), "network", kpi.workshops, (kpi.WORKSHOP,),
                    rollup=KpiRollup.SUM, unit=_("个"), order=81),
    KpiContribution("workshop_workers", _("帮扶车间吸纳就业"), "network", kpi.workshop_workers, (kpi.WORKSHOP,),
                    rollup=KpiRollup.SUM, unit=_("人"), order=82, card=False),
    KpiContribution("workshop_alleviated_workers", _("帮扶车间吸纳脱贫人口"), "network",
                    kpi.workshop_alleviated_workers, (kpi.MEMBER, kpi.WORKSHOP, s.PERSON),
                    rollup=KpiRollup.SUM, unit=_("人"), order=83),
    KpiContribution("helpers", _("劳务经纪人、职业指导师等帮扶人员"), "network", kpi.helpers, (kpi.HELPER,),
                    rollup=KpiRollup.SUM, unit=_("人"), order=84),
    KpiContribution("services_ytd", _("今年以来就业服务"), "network", kpi.services_by_month,
                    (kpi.SERVICE, kpi.JOB_SERVICE), rollup=KpiRollup.YTD, unit=_("人次"), order=31),
    KpiContribution("organised_outflow_ytd", _("今年以来有组织劳务输出"), "network", kpi.organised_outflow,
                    (kpi.OUTFLOW_MEMBER, kpi.OUTFLOW), rollup=KpiRollup.YTD, unit=_("人"), order=85),
    KpiContribution("zero_employment_households", _("零就业家庭"), "network", kpi.zero_employment_households,
                    (s.PERSON, s.EMPLOYMENT), rollup=KpiRollup.SUM, unit=_("户"), order=86),
]

KEYS = ("gig_markets", "workshops", "workshop_alleviated_workers", "helpers", "organised_outflow_ytd",
        "zero_employment_households")


def briefing_network(*, month: str, area_code: str, figures: dict) -> str:
    markets, shops, alleviated, helpers, outflow, zero = (figures.get(k) for k in KEYS)
    if not any(f is not None and f.value for f in (markets, shops, helpers)):
        return ""
    parts = []
    if markets is not None and markets.value:
        parts.append(_("建成零工市场（驿站）{n}").format(n=markets.text(str(_("个")))))
    if shops is not None and shops.value:
        text = _("认定帮扶车间{n}").format(n=shops.text(str(_("个"))))
        if alleviated is not None and alleviated.value:
            text += _("、吸纳脱贫人口{n}").format(n=alleviated.text(str(_("人"))))
        parts.append(text)
    if helpers is not None and helpers.value:
        parts.append(_("组建劳务经纪人、职业指导师等帮扶队伍{n}").format(n=helpers.text(str(_("人")))))
    text = _("{month}末，").format(month=months.month_label(month, gettext(months.MONTH_LABEL))) + "，".join(
        str(p) for p in parts)
    if outflow is not None and outflow.value:
        text += _("；{year}年以来有组织劳务输出{n}").format(year=month[:4], n=outflow.text(str(_("人"))))
    if zero is not None and zero.value:
        text += _("；尚有零就业家庭{n}，需逐户提供岗位信息").format(n=zero.text(str(_("户"))))
    return text + _("。")


BRIEFING = [BriefingSection("network", _("帮扶服务网络"), briefing_network, order=62)]

AUDIT_ACTIONS = {
    "network.generate": _("生成演示服务网络数据"),
    "gig_market.create": _("登记零工市场"),
    "gig_market.update": _("修改零工市场"),
    "gig_market.review": _("零工市场绩效评估"),
    "gig_market.service": _("登记零工市场服务"),
    "gig_posting.create": _("发布零工需求"),
    "gig_match.record": _("登记零工对接"),
    "workshop.apply": _("申报帮扶车间"),
    "workshop.recognise": _("认定帮扶车间"),
    "workshop.start": _("帮扶车间投入运行"),
    "workshop.exit": _("帮扶车间退出"),
    "workshop.member": _("登记车间务工人员"),
    "workshop.rating": _("帮扶车间年度评定"),
    "helper.apply": _("帮扶人员申请备案"),
    "helper.advance": _("帮扶人员备案进度"),
    "helper.withdraw": _("注销帮扶人员"),
    "caseload.assign": _("分配包联对象"),
    "caseload.end": _("结束包联"),
    "network_service.create": _("登记帮扶服务"),
    "person.view_phone": _("查看服务对象完整电话"),
    "outflow_batch.create": _("登记有组织劳务输出"),
    "helper.bank_account_set": _("设置帮扶人员银行账户"),
}
