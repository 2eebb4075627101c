"""The upload page (数据导入): template download, upload, dry run or import, progress, result.

Every importer an app offers (``bangfu.<app>.importers``) is listed; a job runs in the
background (``bangfu.core.imports.jobs``) and its page polls the progress with htmx. A job is
shown only to the user who started it: any other id is a 404.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.core.actors import require
from bangfu.core.capabilities import Capability
from bangfu.core.imports import RowError, discover_importers, error_report_xlsx, template_xlsx
from bangfu.core.models import ImportJob
from bangfu.core.imports.jobs import (
    import_job_confirm,
    import_job_create,
    import_job_progress,
    import_job_stalled,
    import_job_start,
)

CAPABILITY = Capability.IMPORT_REGISTRY  # the role capability that opens the page
SHOWN_ERRORS = 200
RECENT_JOBS = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _allowed_importers(user) -> dict:
    """The importers this user may run, in discovery order."""
    return {kind: imp for kind, imp in discover_importers().items()
            if user.has_capability(imp.capability)}


def _require_capability(user) -> None:
    require(user, CAPABILITY)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("导入类型"))
    file = forms.FileField(label=gettext_lazy("文件"), help_text=gettext_lazy("Excel（.xlsx）或 CSV 文件"))
    mode = forms.ChoiceField(
        label=gettext_lazy("方式"), initial="dry_run", widget=forms.RadioSelect,
        choices=[("dry_run", gettext_lazy("试导入：只校验，不写入")), ("import", gettext_lazy("正式导入"))],
    )
    commit_valid = forms.BooleanField(
        label=gettext_lazy("有错误时仍导入无错误的行（默认全部无误才导入）"), required=False)

    def __init__(self, *args, importers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, _(imp.title) if imp.title else kind) for kind, imp in importers.items()]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = int(settings.BANGFU.get("IMPORT_MAX_BYTES", 40 * 1024 * 1024))
        if upload.size > limit:
            raise forms.ValidationError(_("文件超过大小上限 {limit} MB").format(limit=limit // 1024 // 1024))
        if upload.size == 0:
            raise forms.ValidationError(_("文件为空，没有任何数据"))
        return upload


def _own_job(request, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


@login_required
@require_http_methods(["GET", "POST"])
def import_index(request):
    _require_capability(request.user)
    importers = _allowed_importers(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, importers=importers)
        if form.is_valid():
            job = import_job_create(
                user=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                dry_run=form.cleaned_data["mode"] == "dry_run", commit_valid=form.cleaned_data["commit_valid"],
            )
            import_job_start(job)
            return redirect("imports:job", pk=job.pk)
    else:
        initial_kind = request.GET.get("kind")
        form = UploadForm(importers=importers, initial={"kind": initial_kind} if initial_kind in importers else None)
    jobs = ImportJob.objects.filter(user=request.user)
    page = Paginator(jobs, RECENT_JOBS).get_page(request.GET.get("page"))
    titles = {kind: _(imp.title) for kind, imp in discover_importers().items()}
    for job in page:
        job.kind_title = titles.get(job.kind, job.kind)
        job.rows_text, job.errors_text = _n(job.rows), _n(job.error_count)
    return render(request, "core/imports/index.html", {
        "form": form, "importers": importers, "page": page,
    })


@login_required
@require_GET
def import_template(request, kind: str):
    _require_capability(request.user)
    importer = _allowed_importers(request.user).get(kind)
    if importer is None:
        raise Http404
    response = HttpResponse(template_xlsx(importer), content_type=XLSX)
    name = f"{importer.title or kind}导入模板.xlsx"
    response["Content-Disposition"] = _attachment(name)
    return response


def _attachment(name: str) -> str:
    from urllib.parse import quote

    return f"attachment; filename=\"import.xlsx\"; filename*=UTF-8''{quote(name)}"


def _n(value) -> str:
    """1,204: thousands separators, which Django's zh-hans number format leaves out."""
    return f"{int(value or 0):,}"


def _result_link(importer) -> dict | None:
    """Where the importing app shows what was imported (``Importer.result_link``)."""
    if importer is None or not importer.result_link:
        return None
    name, label = importer.result_link
    try:
        return {"url": reverse(name), "label": label}
    except NoReverseMatch:
        return None


def _job_context(job: ImportJob) -> dict:
    importer = discover_importers().get(job.kind)
    errors = [RowError(**e) for e in job.result.get("errors", [])[:SHOWN_ERRORS]] if job.result else []
    file_error = errors[0].message if errors and errors[0].row == 0 else ""
    result = job.result or {}
    progress = import_job_progress(job)
    progress.update(done_text=_n(progress["done"]), total_text=_n(progress["total"]))
    return {
        "job": job,
        "importer_title": _(importer.title) if importer else job.kind,
        "progress": progress,
        "counts": {key: _n(result.get(key)) for key in ("created", "updated", "unchanged", "error_rows")}
        | {"rows": _n(job.rows), "errors": _n(job.error_count)},
        "stalled": import_job_stalled(job),
        "result_link": _result_link(importer),
        "errors": [] if file_error else errors,
        "file_error": file_error,
        "more_errors": _n(max(job.error_count - len(errors), 0)) if not file_error and job.error_count > len(errors) else "",
        "warnings": job.result.get("warnings", []) if job.result else [],
        "can_confirm": bool(job.dry_run and job.status == ImportJob.Status.DONE and not file_error
                            and job.file and (job.result or {}).get("rows")),
    }


@login_required
@require_GET
def import_job(request, pk: int):
    _require_capability(request.user)
    job = _own_job(request, pk)
    return render(request, "core/imports/job.html", _job_context(job))


@login_required
@require_GET
def import_job_status(request, pk: int):
    """The progress (or, once finished, the result) fragment that the job page polls."""
    _require_capability(request.user)
    job = _own_job(request, pk)
    return render(request, "core/imports/_job_status.html", _job_context(job))


@login_required
@require_GET
def import_error_report(request, pk: int):
    _require_capability(request.user)
    job = _own_job(request, pk)
    if not job.error_count:
        raise Http404
    name = f"{job.filename.rsplit('.', 1)[0]}_错误报告.xlsx"
    if job.error_report and job.error_report.storage.exists(job.error_report.name):
        response = FileResponse(job.error_report.open("rb"), content_type=XLSX)
    else:  # stored before reports were kept: rebuild from the stored errors
        errors = [RowError(**e) for e in job.result.get("errors", [])]
        response = HttpResponse(error_report_xlsx(errors), content_type=XLSX)
    response["Content-Disposition"] = _attachment(name)
    return response


@login_required
@require_POST
def import_job_commit(request, pk: int):
    """Import for real the file that a dry run checked."""
    _require_capability(request.user)
    preview = _own_job(request, pk)
    importer = _allowed_importers(request.user).get(preview.kind)
    if importer is None or not preview.dry_run or preview.status != ImportJob.Status.DONE:
        raise Http404
    try:
        job = import_job_confirm(preview=preview, user=request.user)
    except FileNotFoundError as exc:
        messages.error(request, str(exc))
        return redirect("imports:index")
    if request.POST.get("commit_valid"):
        job.commit_valid = True
        job.save(update_fields=["commit_valid"])
    import_job_start(job)
    return redirect("imports:job", pk=job.pk)
