"""What 渝职聘 contributes to core (``bangfu.core.hooks``): its scheduled tasks, parameters, KPI
figures and briefing section."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bangfu.core.actors import SCHEDULER
from bangfu.core.background import BackgroundWork
from bangfu.core.capabilities import Capability
from bangfu.core.facts import FactTable
from bangfu.core.hooks import BriefingSection, KpiContribution, KpiRollup
from bangfu.core.schedule import Cadence, Job
from bangfu.jobs import kpi, work


def postings_expire(now: dt.datetime) -> dict:
    from bangfu.jobs.tasks import postings_expire_task

    return {"expired": postings_expire_task.call(actor=SCHEDULER.name)}


def match_push(now: dt.datetime) -> dict:
    from bangfu.jobs.tasks import match_run_task

    return match_run_task.call(actor=SCHEDULER.name)


BACKGROUND_WORK = [BackgroundWork(work.MATCH_WORK, _("匹配岗位并推送"), work.match_run_work,
                                  capability=Capability.MANAGE_JOBS)]

SCHEDULED_JOBS = [
    Job("postings_expire", _("岗位到期统计"), Cadence.daily(0, 30), postings_expire,
        _("统计昨日到期的招聘岗位并记入操作日志")),
    Job("match_push", _("岗位匹配推送"), Cadence.weekly(0, 9, 0), match_push,
        _("每周为有就业意愿的人员匹配并推送岗位")),
]

PARAMETERS = {
    "PUSH_PER_WORKER_PER_WEEK": _("每人每周最多推送岗位数"),
    "PUSH_BUDGET_FACTOR": _("岗位推送预算系数（× 剩余招聘人数）"),
}


# ---- KPI figures and the briefing section (DESIGN.md section 5)

KPI_FIGURES = [
    KpiContribution("jobs_pushed_ytd", _("今年以来推送岗位"), "jobs", kpi.pushes_by_month, (kpi.PUSH,),
                    rollup=KpiRollup.YTD, unit=_("个"), order=30),
    # services_ytd (jobs' records and the helpers') is contributed by network/hooks.py
]


def briefing_jobs(*, month: str, area_code: str, figures: dict) -> str:
    pushed, served = figures.get("jobs_pushed_ytd"), figures.get("services_ytd")
    if not pushed or not served or not (pushed.value or served.value):
        return ""
    return _("{year}年以来，通过“渝职聘”累计推送岗位{pushed}，开展就业服务{services}。").format(
        year=month[:4], pushed=pushed.text(str(_("个"))), services=served.text(str(_("人次"))))


BRIEFING = [BriefingSection("jobs", _("就业服务"), briefing_jobs, order=30)]


# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "posting.create": _("发布岗位"),
    "posting.update": _("修改岗位"),
    "posting.close": _("关闭岗位"),
    "posting.expire": _("岗位到期下架"),
    "posting.export": _("导出岗位"),
    "match.run": _("运行岗位匹配"),
    "export_batch.create": _("登记劳务输出批次"),
    "application.refer": _("推荐就业"),
    "application.hire": _("登记入职"),
    "application.status": _("修改求职状态"),
    "service.create": _("登记就业服务"),
    "jobs.generate": _("生成演示岗位"),
    "jobs.generate_services": _("生成演示就业服务"),
}

AUDIT_FIELDS = {
    "destination": _("推送去向"),
    "filled": _("已招人数"),
    "from_push": _("来自推送"),
    "members": _("成员数"),
    "posting": _("岗位"),
    "pushes": _("推送数"),
    "services": _("服务数"),
    "workers_in_scope": _("范围内劳动力"),
}

FACT_TABLES = [
    FactTable("jobs_push", "month", _("岗位推送"), order=40),
    FactTable("jobs_servicerecord", "month", _("就业服务记录"), order=41),
]
