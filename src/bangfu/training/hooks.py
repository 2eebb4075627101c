"""What skills training contributes to other apps: its code lists, its parameters (参数设置), its
demo step, its KPI figures and briefing section, its audit actions. Its money is paid as the
entitlements of its two policies (``training.policies``), through ``policies``' claim type."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core import months
from bangfu.core.hooks import BriefingSection, CodeList, DemoStep, KpiContribution, KpiRollup
from bangfu.engine import schema as s
from bangfu.training import choices as c
from bangfu.training import kpi
from bangfu.training.demo import demo_training
from bangfu.training.params import param

DEMO_STEPS = [DemoStep("training", demo_training, order=36)]  # after the posts: the demo officer acts

CODE_LISTS = [
    CodeList("training_level", _("培训等级"), c.SkillLevel, order=96),
    CodeList("training_brand", _("技能品牌"), c.TrainingBrand, order=97),
    CodeList("training_enrolment_status", _("培训学员状态"), c.EnrolmentStatus, order=98),
    CodeList("training_follow_up_outcome", _("培训回访结果"), c.FollowUpOutcome, order=99),
]

PARAMETERS = {
    "TRAINING_ALLOWANCE_YUAN_PER_DAY": _("技能培训：生活费补贴每天金额（元），载入政策时写入"),
    "TRAINING_ALLOWANCE_MAX_DAYS": _("技能培训：生活费补贴最多天数"),
    "TRAINING_SUBSIDY_YUAN": _("技能培训：培训机构补贴标准（元/人次，按培训等级）"),
    "TRAINING_MIN_ATTENDANCE_PERCENT": _("技能培训：结业所需出勤比例（%）"),
    "TRAINING_EMPLOYED_WITHIN_MONTHS": _("技能培训：取证（结业）后几个月内务工计为培训后就业"),
}


# ---- KPI figures and the briefing section (DESIGN.md section 5)


def certified(engine, *, first: str, last: str):
    return kpi.trained_by_month(engine, first=first, last=last, certified=True)


def shortage(engine, *, first: str, last: str):
    return kpi.trained_by_month(engine, first=first, last=last, shortage=True)


def _brand(code: str):
    def query(engine, *, first: str, last: str):
        return kpi.trained_by_month(engine, first=first, last=last, brand=code)

    return query


def employed(engine, *, first: str, last: str):
    return kpi.employed_after_by_month(engine, first=first, last=last,
                                       within=int(param("TRAINING_EMPLOYED_WITHIN_MONTHS")))


BRAND_LABELS = {
    "bayu_craftsman": _("其中巴渝工匠培训"),
    "yu_jiaren": _("其中渝家人培训"),
    "yu_nengren": _("其中渝能人培训"),
}

KPI_FIGURES = [
    KpiContribution("trained_ytd", _("今年以来培训脱贫人口"), "training", kpi.trained_by_month, kpi.TABLES,
                    rollup=KpiRollup.YTD, unit=_("人次"), order=65),
    KpiContribution("trained_certified_ytd", _("其中取得证书"), "training", certified, kpi.TABLES,
                    rollup=KpiRollup.YTD, unit=_("人次"), order=66),
    KpiContribution("trained_employed", _("培训后6个月内实现就业"), "training", employed,
                    (*kpi.TABLES, s.EMPLOYMENT, s.PERSON), rollup=KpiRollup.SUM, unit=_("人"), order=67),
    KpiContribution("trained_ytd_shortage", _("其中紧缺职业（工种）培训"), "training", shortage, kpi.TABLES,
                    rollup=KpiRollup.YTD, unit=_("人次"), order=68, card=False),
    *[KpiContribution(f"trained_ytd_{code}", label, "training", _brand(code), kpi.TABLES,
                      rollup=KpiRollup.YTD, unit=_("人次"), order=69, card=False)
      for code, label in BRAND_LABELS.items()],
]

KEYS = ("trained_ytd", "trained_certified_ytd", "trained_employed")


def briefing_training(*, month: str, area_code: str, figures: dict) -> str:
    trained, with_cert, employed_ = (figures.get(k) for k in KEYS)
    if not trained or not trained.value:
        return ""
    text = gettext("{year}年以来，按需开展紧缺职业（工种）专项培训，培训脱贫人口{trained}").format(
        year=month[:4], trained=trained.text(gettext("人次")))
    if with_cert is not None and with_cert.value:
        text += gettext("，其中取得证书{certified}").format(certified=with_cert.text(gettext("人次")))
    brands = [(figures.get(f"trained_ytd_{code}"), label) for code, label in BRAND_LABELS.items()]
    brands = [(f, label) for f, label in brands if f is not None and f.value]
    if brands:
        text += gettext("（{brands}）").format(brands=gettext("、").join(
            f"{str(label).removeprefix(gettext('其中'))}{f.text(gettext('人次'))}" for f, label in brands))
    if employed_ is not None and employed_.value:
        text += gettext("；截至{month}末，培训后6个月内帮扶就业{employed}").format(
            month=months.month_label(month, gettext(months.MONTH_LABEL)), employed=employed_.text(gettext("人")))
    return text + gettext("。")


BRIEFING = [BriefingSection("training", _("技能培训"), briefing_training, order=65)]


# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "training.course_create": _("登记培训项目"),
    "training.enrol": _("培训报名"),
    "training.attendance": _("登记培训出勤"),
    "training.complete": _("培训结业"),
    "training.drop": _("退训"),
    "training.certify": _("登记培训证书"),
    "training.follow_up": _("培训跟踪回访"),
    "training.roster_export": _("导出培训花名册"),
    "training.shortage_export": _("导出紧缺工种清单"),
    "training.generate": _("生成演示培训数据"),
}

AUDIT_FIELDS = {
    "before": _("修改前"),
    "brand": _("技能品牌"),
    "course": _("培训项目"),
    "course_days": _("培训天数"),
    "days_attended": _("出勤天数"),
    "completed_on": _("结业日期"),
    "enrolment": _("培训学员"),
    "issued_on": _("发证日期"),
    "left_on": _("退训日期"),
    "level": _("培训等级"),
    "occupation_code": _("职业代码"),
    "provider": _("培训机构"),
    "shortage": _("紧缺职业"),
}
