"""What social insurance contributes to core (``bangfu.core.hooks``): code lists, parameters,
KPI figures and the briefing section, audit labels and the demo step."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core import months
from bangfu.core.facts import FactTable
from bangfu.core.hooks import BriefingSection, CodeList, DemoStep, KpiContribution, KpiRollup
from bangfu.engine import schema as s
from bangfu.insurance import choices as c
from bangfu.insurance import kpi

CODE_LISTS = [
    CodeList("insurance_type", _("险种"), c.InsuranceType, order=75),
    CodeList("vulnerable_group", _("困难群体类别"), c.VulnerableGroup, order=76),
    CodeList("insured_scheme", _("参保险种"), c.InsuredScheme, order=77),
    CodeList("coverage_rule", _("应参保依据"), c.CoverageRule, order=78),
    CodeList("coverage_follow_up", _("应保尽保跟进结果"), c.CoverageFollowUp, order=79),
    CodeList("platform_industry", _("平台行业"), c.PlatformIndustry, order=80),
    CodeList("injury_stage", _("职业伤害保障办理阶段"), c.InjuryStage, order=81),
    CodeList("enterprise_scale", _("企业规模"), c.EnterpriseScale, order=82),
]

FACT_TABLES = [FactTable("insurance_socialinsurancecontribution", "month", _("社保缴费明细"), order=20)]

PARAMETERS = {
    "INSURANCE_INJURY_FEN_PER_ORDER": _("职业伤害保障：每单费率（分；按行业 ride_hailing 出行、instant_delivery 即时配送、freight 同城货运）"),
    "INSURANCE_UI_STANDARD_RATE_BP": _("失业保险：计算减征额的原费率（万分之）"),
    "INSURANCE_UI_REDUCED_RATE_BP": _("失业保险：现行降低后的费率（万分之）"),
    "INSURANCE_COVERAGE_TARGET_PERMILLE": _("应保尽保：参保率目标（千分之）"),
    "INSURANCE_PENSION_MIN_AGE": _("应保尽保：应参加养老保险的最低年龄"),
    "INSURANCE_PENSION_MAX_AGE": _("应保尽保：按缴费人员计的最高年龄（此后领取待遇）"),
}


def _demo(ctx) -> None:
    from bangfu.insurance.demo import demo_insurance

    demo_insurance(ctx)


DEMO_STEPS = [DemoStep("insurance", _demo, order=45)]

_PEOPLE, _ENT = (kpi.ENTITLEMENT, kpi.POLICY), (kpi.INSURED, s.PERSON)
KPI_FIGURES = [
    KpiContribution("pension_on_behalf_persons", _("代缴城乡居民养老保险费人数"), "insurance", kpi.on_behalf_persons,
                    _PEOPLE, rollup=KpiRollup.YTD, unit=_("人"), order=70),
    KpiContribution("pension_on_behalf_yuan", _("代缴城乡居民养老保险费"), "insurance", kpi.on_behalf_fen,
                    _PEOPLE, rollup=KpiRollup.YTD, unit=_("元"), money=True, order=71),
    KpiContribution("insured_vulnerable", _("困难群体应保尽保人数"), "insurance", kpi.insured_vulnerable,
                    _ENT, rollup=KpiRollup.SUM, unit=_("人"), order=72),
    KpiContribution("insured_vulnerable_rate", _("困难群体参保率"), "insurance", kpi.insured_vulnerable_rate,
                    _ENT, rollup=KpiRollup.RATIO_YTD, unit="%", order=73),
    KpiContribution("injury_insured", _("职业伤害保障参保人数"), "insurance", kpi.injury_insured,
                    (kpi.DECLARATION, kpi.PLATFORM, kpi.EMPLOYER), rollup=KpiRollup.SUM, unit=_("人"), order=74),
    KpiContribution("ui_reduction_yuan_ytd", _("今年以来为企业减征失业保险费"), "insurance", kpi.ui_reduction_fen,
                    (kpi.UI, kpi.EMPLOYER), rollup=KpiRollup.YTD, unit=_("元"), money=True, order=75),
    KpiContribution("ui_refund_yuan_ytd", _("今年以来稳岗返还"), "insurance", kpi.ui_refund_fen,
                    _PEOPLE, rollup=KpiRollup.YTD, unit=_("元"), money=True, order=76),
]

KEYS = ("pension_on_behalf_persons", "pension_on_behalf_yuan", "insured_vulnerable", "insured_vulnerable_rate",
        "injury_insured", "ui_reduction_yuan_ytd", "ui_refund_yuan_ytd")


def briefing_insurance(*, month: str, area_code: str, figures: dict) -> str:
    f = {k: figures.get(k) for k in KEYS}
    if not any(v is not None and v.value for v in f.values()):
        return ""
    parts = []
    if f["pension_on_behalf_persons"] is not None and f["pension_on_behalf_persons"].value:
        parts.append(_("{year}年为{persons}困难群体代缴城乡居民养老保险费{money}").format(
            year=month[:4], persons=f["pension_on_behalf_persons"].text(str(_("名"))),
            money=f["pension_on_behalf_yuan"].text() if f["pension_on_behalf_yuan"] else ""))
    if f["insured_vulnerable"] is not None and f["insured_vulnerable"].value:
        text = _("{insured}困难群体实现应保尽保").format(insured=f["insured_vulnerable"].text(str(_("名"))))
        if f["insured_vulnerable_rate"] is not None:
            text += _("（参保率{rate}）").format(rate=f["insured_vulnerable_rate"].text())
        parts.append(text)
    if f["injury_insured"] is not None and f["injury_insured"].value:
        parts.append(_("职业伤害保障参保{n}").format(n=f["injury_insured"].text(str(_("人")))))
    if f["ui_reduction_yuan_ytd"] is not None and f["ui_reduction_yuan_ytd"].value:
        parts.append(_("为企业减征失业保险费{money}").format(money=f["ui_reduction_yuan_ytd"].text()))
    if f["ui_refund_yuan_ytd"] is not None and f["ui_refund_yuan_ytd"].value:
        parts.append(_("发放稳岗返还{money}").format(money=f["ui_refund_yuan_ytd"].text()))
    return _("截至{month}，").format(month=_month_label(month)) + str(_("；")).join(str(p) for p in parts) + str(_("。"))


def _month_label(month: str) -> str:
    return months.month_label(month, gettext(months.MONTH_LABEL))


BRIEFING = [BriefingSection("insurance", _("社会保险"), briefing_insurance, order=70)]

AUDIT_ACTIONS = {
    "insurance.coverage_refresh": _("重新计算应保未保人员"),
    "insurance.coverage_follow_up": _("登记应保尽保跟进"),
    "insurance.coverage_export": _("导出应保未保名单"),
    "insurance.on_behalf_export": _("导出代缴名单"),
    "insurance.vulnerable_group": _("登记困难群体认定"),
    "insurance.platform_register": _("平台企业纳入职业伤害保障"),
    "insurance.order_declaration": _("平台订单申报"),
    "insurance.injury_report": _("受理职业伤害"),
    "insurance.injury_confirm": _("职业伤害确认"),
    "insurance.injury_assess": _("劳动能力鉴定"),
    "insurance.injury_pay": _("职业伤害保障待遇支付"),
    "insurance.ui_contribution": _("登记单位失业保险缴费"),
    "insurance.generate": _("生成演示社会保险数据"),
}

AUDIT_FIELDS = {
    "opened": _("新增缺口"),
    "closed": _("消除缺口"),
    "open": _("现有缺口"),
    "rule": _("应参保依据"),
    "group": _("困难群体类别"),
    "industry": _("行业"),
    "joined_month": _("纳入试点月份"),
    "orders": _("订单量"),
    "insured_workers": _("有订单从业人员数"),
    "premium_fen": _("职业伤害保障费（分）"),
    "injured_on": _("受伤日期"),
    "confirmed": _("确认"),
    "grade": _("伤残等级"),
    "benefit_fen": _("待遇金额（分）"),
    "base_fen": _("缴费基数（分）"),
    "rate_bp": _("费率（万分之）"),
    "reduction_fen": _("减征额（分）"),
}
