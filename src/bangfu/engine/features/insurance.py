"""Features of social insurance: vulnerable-group membership (the premium paid on behalf) and
employers' unemployment-insurance contributions (the job-retention refund, 稳岗返还).

Sources read the insurance app's tables by their database names; they join ``SOURCES`` and the
features join the catalogue (``sources`` and ``catalogue`` import them from here)."""

from __future__ import annotations

import ibis

from bangfu import codes
from bangfu.engine.features.definitions import (
    UI_CONTRIBUTION, VULNERABLE_GROUP, Feature, FeatureContext, Param, gettext_noop,
)

_GROUP = Param("group", "string", gettext_noop("困难群体类别"), choices=codes.VULNERABLE_GROUP.labels)


def _src_vulnerable_groups(ctx: FeatureContext):
    """One row per person and listed group of the period's year (低保, 特困, 重度残疾)."""
    t = ctx.table(VULNERABLE_GROUP)
    t = t.filter(t.year == ctx.period.year)
    return t.select(bid=t.person_id, group=t.group)


def _src_enterprise_ui(ctx: FeatureContext):
    """One row per employer and month of the period's unemployment-insurance contributions."""
    t = ctx.table(UI_CONTRIBUTION)
    t = t.filter((t.month >= ctx.period.first_month) & (t.month <= ctx.period.last_month))
    return t.mutate(bid=t.employer_id)


def _src_enterprise_ui_history(ctx: FeatureContext):
    """Every month paid up to the period's end (the refund asks for 12 months of contributions)."""
    t = ctx.table(UI_CONTRIBUTION)
    t = t.filter((t.month <= ctx.period.last_month) & (t.paid_fen > 0))
    return t.mutate(bid=t.employer_id)


SOURCES = {
    "vulnerable_groups": _src_vulnerable_groups,
    "enterprise_ui": _src_enterprise_ui,
    "enterprise_ui_history": _src_enterprise_ui_history,
}
SOURCE_TABLES = {
    "vulnerable_groups": (VULNERABLE_GROUP,),
    "enterprise_ui": (UI_CONTRIBUTION,),
    "enterprise_ui_history": (UI_CONTRIBUTION,),
}


def _layoff_rate(ctx, rows):
    """People who left and claimed benefit ÷ the average insured headcount of the period."""
    average = rows.insured_count.mean()
    return ibis.ifelse(average > 0, rows.leavers_claiming.sum().cast("float64") / average, 0.0)


def features() -> list[Feature]:
    return [
        Feature("in_group", "person", "bool", gettext_noop("属于困难群体"),
                gettext_noop("本年度被认定为指定困难群体：dibao 低保对象，tekun 特困人员，severe_disability 重度残疾人"
                             "（返贫致贫人口、脱贫人口见“人口类型”）"),
                lambda ctx, rows, group: (rows.group == group).ifelse(1, 0).sum(),
                source="vulnerable_groups", params=(_GROUP,), finish=lambda v: v >= 1,
                example='in_group("dibao")'),
        Feature("ui_paid", "enterprise", "double", gettext_noop("缴纳失业保险费（元）"),
                gettext_noop("本期企业实际缴纳的失业保险费（按降低后的费率），单位元"),
                lambda ctx, rows: rows.paid_fen.sum(), source="enterprise_ui",
                finish=lambda v: v.cast("float64") / 100.0, example="ui_paid > 0.0"),
        Feature("ui_average_insured", "enterprise", "double", gettext_noop("平均参保人数"),
                gettext_noop("本期各月失业保险参保人数的平均值"),
                lambda ctx, rows: rows.insured_count.mean(), source="enterprise_ui", default=0.0,
                example="ui_average_insured <= 30.0"),
        Feature("ui_layoff_rate", "enterprise", "double", gettext_noop("裁员率"),
                gettext_noop("本期裁员并领取失业保险金的人数 ÷ 平均参保人数（0.055 即5.5%）"),
                _layoff_rate, source="enterprise_ui", default=0.0, example="ui_layoff_rate <= 0.055"),
        Feature("is_sme", "enterprise", "bool", gettext_noop("中小微企业"),
                gettext_noop("本期失业保险缴费记录中登记为中小微企业"),
                lambda ctx, rows: (rows.scale == "sme").ifelse(1, 0).max(), source="enterprise_ui",
                finish=lambda v: v >= 1, example="is_sme"),
        Feature("ui_months_paid", "enterprise", "int", gettext_noop("累计缴纳失业保险月数"),
                gettext_noop("截至本期末企业累计缴纳失业保险费的月数"),
                lambda ctx, rows: rows.count(), source="enterprise_ui_history", example="ui_months_paid >= 12"),
    ]
