"""后台任务: the pages of long work (``core.background``): the user's tasks, one task with its
progress bar (htmx polls its fragment until it is done), and the helper pages use to start one."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django.utils.translation import gettext as _

from bangfu.core.background import (WorkError, background_restart, background_start, task_file, task_progress,
                                    task_stalled, tasks_of, work_of)
from bangfu.core.exports import XLSX_CONTENT_TYPE
from bangfu.core.models import BackgroundTask
from bangfu.core.pagination import page_of


def start_from_page(request, *, kind: str, params: dict, area_code: str = "", fallback: str) -> HttpResponse:
    """Start ``kind`` for the request's user; answer the redirect a page's POST should give: to
    the result when the work finished at once, else to the task's page (its bar follows it).
    ``fallback``: where to go back when it cannot start (with the reason as a message)."""
    try:
        row = background_start(actor=request.user, kind=kind, params=params, area_code=area_code)
    except WorkError as exc:
        messages.error(request, str(exc))
        return redirect(fallback)
    if row.status == BackgroundTask.Status.DONE:
        if row.message:
            messages.success(request, row.message)
        url = row.result.get("url")
        return redirect(url) if url else redirect("core:task_detail", row.pk)
    if row.status == BackgroundTask.Status.FAILED:
        messages.error(request, row.message)
        return redirect(fallback)
    messages.info(request, _("“%(label)s”已在后台开始，可以离开本页，稍后在“后台任务”中查看结果")
                  % {"label": work_of(kind).label})
    return redirect("core:task_detail", row.pk)


def _own(request, pk: int) -> BackgroundTask:
    row = tasks_of(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def _context(row: BackgroundTask) -> dict:
    try:
        label = work_of(row.kind).label
    except WorkError:
        label = row.kind
    return {"task": row, "label": label, "progress": task_progress(row), "stalled": task_stalled(row)}


@login_required
def task_list(request):
    page = page_of(request, tasks_of(request.user), per_page=30)
    rows = [_context(row) for row in page]
    return render(request, "core/task_list.html", {"page": page, "rows": rows})


@login_required
def task_detail(request, pk: int):
    return render(request, "core/task_detail.html", _context(_own(request, pk)))


@login_required
def task_download(request, pk: int):
    """The file of a finished export, to the user who asked for it only."""
    row = _own(request, pk)
    content = task_file(row) if row.status == BackgroundTask.Status.DONE else None
    if content is None:
        raise Http404
    filename = row.result.get("filename") or "export.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE if filename.endswith(".xlsx")
                            else "application/octet-stream")
    response["Content-Disposition"] = f"attachment; filename=\"export_{row.pk}{Path(filename).suffix}\"; " \
                                      f"filename*=UTF-8''{quote(filename)}"
    return response


@login_required
def task_status(request, pk: int):
    """htmx: the progress fragment; it stops polling once the task has finished."""
    return render(request, "core/_task_status.html", _context(_own(request, pk)))


@login_required
@require_POST
def task_restart(request, pk: int):
    """Start again a task whose worker died (its page offers this once it has stalled)."""
    row = _own(request, pk)
    try:
        row = background_restart(actor=request.user, task_id=row.pk)
    except WorkError as exc:
        messages.error(request, str(exc))
    else:
        messages.info(request, _("“%(label)s”已重新开始") % {"label": _context(row)["label"]})
    return redirect("core:task_detail", row.pk)
