"""What 公益性岗位 contributes to other apps: its pay as payable claims (``payments``), its
code lists, its parameters (参数设置), its demo step, its KPI figures and briefing section."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bangfu.core import months
from bangfu.core.facts import FactTable
from bangfu.core.hooks import BriefingSection, CodeList, DemoStep, KpiContribution, KpiRollup
from bangfu.engine import schema as s
from bangfu.posts import choices as c
from bangfu.posts import kpi
from bangfu.posts.demo import demo_posts
from bangfu.posts.payables import PostPayClaims

PAYABLE_CLAIMS = [PostPayClaims()]

DEMO_STEPS = [DemoStep("welfare_posts", demo_posts, order=35)]  # after the users: the demo officer acts

CODE_LISTS = [
    CodeList("welfare_post_type", _("公益性岗位类型"), c.PostType, order=90),
    CodeList("welfare_post_work_time", _("公益性岗位用工形式"), c.WorkTime, order=91),
    CodeList("welfare_post_funding", _("公益性岗位资金来源"), c.FundingSource, order=92),
    CodeList("welfare_post_rating", _("公益性岗位考核等次"), c.Rating, order=93),
    CodeList("welfare_post_exit_reason", _("公益性岗位退出原因"), c.ExitReason, order=94),
    CodeList("welfare_post_day_mark", _("考勤标记"), c.DayMark, order=95),
]

PARAMETERS = {
    "POSTS_MIN_MONTHLY_WAGE_FEN": _("公益性岗位：全日制月补贴（当地最低月工资，分；按区县，default 为其余区县）"),
    "POSTS_MIN_HOURLY_WAGE_FEN": _("公益性岗位：非全日制小时补贴（最低小时工资，分；按区县）"),
    "POSTS_MIN_DAYS_PRESENT": _("公益性岗位：当月发放补贴的最少出勤天数"),
    "POSTS_MIN_AGE": _("公益性岗位：安置最低年龄"),
    "POSTS_MAX_AGE": _("公益性岗位：新安置最高年龄"),
    "POSTS_MONTHS_OUTSIDE_COUNTY": _("公益性岗位：近几个月在县外务工视为稳定就业"),
    "POSTS_NOTICE_WORKING_DAYS": _("公益性岗位：公示工作日数"),
    "POSTS_MAX_CONTRACT_MONTHS": _("公益性岗位：连续安置最长月数"),
    "POSTS_RETIREMENT_AGE": _("公益性岗位：退休年龄（延至退休的依据）"),
    "POSTS_RETIREMENT_WITHIN_YEARS": _("公益性岗位：距退休不足几年可延至退休"),
}


# ---- KPI figures and the briefing section (DESIGN.md section 5)


def _utc_offset_hours() -> int:
    """The programme's offset from UTC (Asia/Shanghai: 8), as ``payments`` counts its months."""
    from django.utils import timezone

    return int(timezone.localtime().utcoffset().total_seconds() // 3600)


def vacant(engine, *, first: str, last: str):
    return kpi.vacant_by_month(engine, first=first, last=last, utc_offset_hours=_utc_offset_hours())


def placed_assist_management(engine, *, first: str, last: str):
    return kpi.placed_by_month(engine, first=first, last=last, post_type=c.PostType.ASSIST_MANAGEMENT.value)


def placed_public_service(engine, *, first: str, last: str):
    return kpi.placed_by_month(engine, first=first, last=last, post_type=c.PostType.PUBLIC_SERVICE.value)


def paid_fen(engine, *, first: str, last: str):
    return kpi.paid_fen_by_month(engine, first=first, last=last, utc_offset_hours=_utc_offset_hours())


KPI_FIGURES = [
    KpiContribution("welfare_posts_placed", _("公益性岗位在岗脱贫人口"), "posts", kpi.placed_by_month,
                    (kpi.PLACEMENT, s.PERSON), rollup=KpiRollup.SUM, unit=_("人"), order=60),
    KpiContribution("welfare_posts_placed_assist_management", _("其中协助管理类岗位"), "posts",
                    placed_assist_management, (kpi.PLACEMENT, s.PERSON, kpi.POST), rollup=KpiRollup.SUM,
                    unit=_("人"), order=60, card=False),
    KpiContribution("welfare_posts_placed_public_service", _("其中公共服务类岗位"), "posts",
                    placed_public_service, (kpi.PLACEMENT, s.PERSON, kpi.POST), rollup=KpiRollup.SUM,
                    unit=_("人"), order=60, card=False),
    KpiContribution("welfare_posts_vacant", _("公益性岗位空岗"), "posts", vacant, (kpi.POST, kpi.PLACEMENT),
                    rollup=KpiRollup.SUM, unit=_("个"), order=61),
    KpiContribution("welfare_post_paid_yuan_ytd", _("今年以来发放公益性岗位补贴"), "posts", paid_fen,
                    ("payments_payment",), rollup=KpiRollup.YTD, unit=_("元"), money=True, order=62),
]


def briefing_posts(*, month: str, area_code: str, figures: dict) -> str:
    placed, vacant_seats, paid = (figures.get(k) for k in KEYS)
    if not placed or not (placed.value or (paid and paid.value)):
        return ""
    text = _("{month}末，公益性岗位安置脱贫人口{placed}").format(
        month=_month_label(month), placed=placed.text(str(_("人"))))
    assist, service = (figures.get(k) for k in TYPE_KEYS)
    if assist is not None and service is not None and (assist.value or service.value):
        text += _("（协助管理类{assist}、公共服务类{service}）").format(
            assist=assist.text(str(_("人"))), service=service.text(str(_("人"))))
    if vacant_seats is not None and vacant_seats.value:
        text += _("，尚有空岗{vacant}").format(vacant=vacant_seats.text(str(_("个"))))
    if paid is not None and paid.value:
        text += _("；{year}年以来按月考勤发放岗位补贴{paid}").format(year=month[:4], paid=paid.text())
    return text + _("。")


def _month_label(month: str) -> str:
    return months.month_label(month, gettext(months.MONTH_LABEL))


KEYS = ("welfare_posts_placed", "welfare_posts_vacant", "welfare_post_paid_yuan_ytd")
TYPE_KEYS = ("welfare_posts_placed_assist_management", "welfare_posts_placed_public_service")
BRIEFING = [BriefingSection("posts", _("公益性岗位"), briefing_posts, order=60)]


# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "welfare_post.request": _("申报公益性岗位"),
    "welfare_post.request_correct": _("更正岗位申报"),
    "welfare_post.review": _("乡镇审核岗位"),
    "welfare_post.approve": _("区县审批岗位"),
    "welfare_post.place": _("安置人员（公示）"),
    "welfare_post.place_from_roster": _("按花名册安置人员"),
    "welfare_post.withdraw": _("公示有异议撤回"),
    "welfare_post.sign": _("签订岗位协议"),
    "welfare_post.contract_correct": _("更正协议期限"),
    "welfare_post.exit": _("退出公益性岗位"),
    # attendance_save writes ``welfare_post.attendance_<created|updated>``
    "welfare_post.attendance_created": _("登记考勤"),
    "welfare_post.attendance_updated": _("修改考勤"),
    "welfare_post.attendance_approve": _("审核考勤"),
    "welfare_post.pay_run": _("生成岗位补贴发放"),
    "welfare_post.requests_export": _("导出岗位申报"),
    "welfare_post.roster_export": _("导出在岗花名册"),
    "welfare_post.attendance_sheet_export": _("导出考勤表"),
    "welfare_post.pay_sheet_export": _("导出补贴发放表"),
    "welfare_post.generate": _("生成演示公益性岗位"),
    "welfare_post.generate_pay": _("生成演示岗位补贴发放"),
}

AUDIT_FIELDS = {
    "already": _("已发放"),
    "approve": _("同意"),
    "approved": _("已审核"),
    "changed": _("更正字段"),
    "claims": _("发放条数"),
    "contract_start": _("协议开始"),
    "days_present": _("出勤天数"),
    "employment_created": _("新增务工记录"),
    "employment_updated": _("更新务工记录"),
    "exit_date": _("退出日期"),
    "failed_rating": _("考核不合格"),
    "funding_source": _("资金来源"),
    "funding_year": _("资金年度"),
    "not_approved": _("考勤未审核"),
    "notice_end": _("公示截止"),
    "override": _("未按排序安置"),
    "override_reason": _("未按排序的理由"),
    "placement": _("安置记录"),
    "planned_end": _("协议结束"),
    "post": _("岗位"),
    "post_type": _("岗位类型"),
    "q": _("搜索词"),
    "rank": _("排序"),
    "rating": _("考核等次"),
    "too_few_days": _("出勤天数不足"),
}

FACT_TABLES = [FactTable("posts_attendance", "month", _("公益性岗位考勤"), order=30)]
