"""What 渝职聘 contributes to core (``bangfu.core.hooks``): its scheduled tasks and parameters."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from bangfu.core.schedule import Cadence, Job


def postings_expire(now: dt.datetime) -> dict:
    from bangfu.jobs.tasks import postings_expire_task

    return {"expired": postings_expire_task.call()}


def match_push(now: dt.datetime) -> dict:
    from bangfu.jobs.tasks import match_run_task

    return match_run_task.call()


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
