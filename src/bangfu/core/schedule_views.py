"""定时任务 page: the scheduled tasks, their last and next runs, 立即执行, and the run history."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bangfu.core import schedule
from bangfu.core.actors import require
from bangfu.core.capabilities import Capability
from bangfu.core.models import ScheduledRun

CAPABILITY = Capability.MANAGE_USERS  # city administrators only


def _require_capability(request) -> None:
    require(request.user, CAPABILITY)


@login_required
def schedule_page(request):
    _require_capability(request)
    task = request.GET.get("task") or ""
    if task and schedule.get_job(task) is None:
        task = ""
    jobs = schedule.jobs()
    names = {job.code: job.name for job in jobs}
    history = [{"run": run, "name": names.get(run.task, run.task)}
               for run in schedule.run_history(task=task or None)]
    return render(request, "core/schedule.html", {
        "rows": schedule.schedule_rows(), "history": history, "task": task,
        "jobs": jobs, "limit": schedule.HISTORY_LIMIT,
        "cron_line": "*/10 * * * * bangfu scheduler run-due",
    })


@login_required
@require_POST
def schedule_run(request, code: str):
    _require_capability(request)
    job = schedule.get_job(code)
    if job is None:
        raise Http404
    run = schedule.scheduled_run_execute(job=job, actor=request.user,
                                         ip_address=request.META.get("REMOTE_ADDR"))
    if run.status == ScheduledRun.Status.OK:
        messages.success(request, _("%(name)s 已执行完成") % {"name": job.name})
    else:
        messages.error(request, _("%(name)s 执行失败：%(error)s") % {"name": job.name, "error": run.error})
    return redirect(f"{reverse('core:schedule')}?task={job.code}")
