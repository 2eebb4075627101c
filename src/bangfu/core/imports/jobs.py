"""Import jobs (the service behind 数据导入): an uploaded file imported in the background, its
progress kept for the page.

``import_job_create`` stores the upload in ``MEDIA_ROOT/imports`` and the job row;
``import_job_start`` runs it as the configured runner says:

* ``task`` - a django-tasks task (``bangfu db_worker`` runs it; the server may restart meanwhile);
* ``inline`` - in the request (tests, tiny files);
* ``thread`` - a thread of the web process (a demo without a worker);
* ``auto`` (default) - inline up to ``IMPORT_INLINE_MAX_BYTES``, else a task.

Chosen by ``settings.BANGFU["IMPORT_RUNNER"]`` or the ``BANGFU_IMPORT_RUNNER`` environment variable.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_tasks import task

from bangfu.core.actors import SYSTEM
from bangfu.core.imports import FileError, ImportResult, error_report_xlsx, get_importer, run_import
from bangfu.core.filemodes import replace_file
from bangfu.core.models import ImportJob

logger = logging.getLogger(__name__)


MAX_STORED_ERRORS = 20_000  # kept in the job row (and its report); a count of all is kept too
KEEP_PREVIEW_FILES = timedelta(days=7)  # a dry run's upload waits this long for "import now"
STAGE_WEIGHTS = (("read", 10), ("parse", 30), ("check", 10), ("commit", 50))
STAGE_LABELS = {"": gettext_noop("排队中"), "read": gettext_noop("读取文件"), "parse": gettext_noop("解析数据"), "check": gettext_noop("校验数据"),
                "commit": gettext_noop("写入数据库"), "done": gettext_noop("完成")}
ERR_UNKNOWN_KIND = gettext_noop("未知的导入类型“{kind}”")
ERR_CRASHED = gettext_noop("导入时发生系统错误，未写入任何数据。请稍后重试或联系管理员")
ERR_FILE_GONE = gettext_noop("上传的文件已不存在，请重新上传")


def _runner() -> str:
    return str(getattr(settings, "BANGFU", {}).get("IMPORT_RUNNER")
               or os.environ.get("BANGFU_IMPORT_RUNNER", "auto"))


def _inline_limit() -> int:
    return int(getattr(settings, "BANGFU", {}).get("IMPORT_INLINE_MAX_BYTES", 256 * 1024))


def _progress_path(job_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / "progress" / f"{job_id}.json"


def import_job_create(*, user, kind: str, upload, dry_run: bool = False, commit_valid: bool = False,
                      language: str | None = None) -> ImportJob:
    """Store the uploaded file and a queued job for it."""
    import_files_prune()
    job = ImportJob(
        user=user, area_code=getattr(user, "area_code", "") or "", kind=kind,
        filename=Path(getattr(upload, "name", "") or "upload").name[:255], dry_run=dry_run,
        commit_valid=commit_valid, language=language or translation.get_language() or settings.LANGUAGE_CODE,
    )
    job.file.save(job.filename, upload, save=False)
    job.save()
    return job


def import_job_confirm(*, preview: ImportJob, user) -> ImportJob:
    """Import for real the file of a finished dry run (the upload is still stored)."""
    if not preview.file or not preview.file.storage.exists(preview.file.name):
        raise FileNotFoundError(_(ERR_FILE_GONE))
    job = ImportJob.objects.create(
        user=user, area_code=preview.area_code, kind=preview.kind, filename=preview.filename,
        file=preview.file.name, dry_run=False, commit_valid=preview.commit_valid, language=preview.language,
        source=preview,
    )
    return job


def import_job_start(job: ImportJob, *, runner: str | None = None) -> ImportJob:
    """Run ``job`` as configured (see the module docstring)."""
    runner = runner or _runner()
    if runner == "auto":
        size = job.file.size if job.file else 0
        runner = "inline" if size <= _inline_limit() else "task"
    if runner == "inline":
        return import_job_execute(job.pk)
    if runner == "thread":
        thread = threading.Thread(target=_execute_in_thread, args=(job.pk,), daemon=True,
                                  name=f"import-job-{job.pk}")
        thread.start()
        return job
    result = import_job_run.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.task_id = str(result.id)[:64]
    return job


def _execute_in_thread(job_id: int) -> None:
    try:
        import_job_execute(job_id)
    finally:
        close_old_connections()


@task()
def import_job_run(job_id: int) -> dict:
    """The background task: run the import job, return its counts."""
    job = import_job_execute(job_id)
    return {"status": job.status, "rows": job.rows, "errors": job.error_count}


class _JobProgress:
    """Records progress: in the job row outside the commit, in a file during it.

    On SQLite the commit holds the write lock until it ends, so no other connection could
    write the job row meanwhile; the page reads the file instead.
    """

    def __init__(self, job: ImportJob):
        self.job = job
        self.path = _progress_path(job.pk)
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total and done != 0:
            return
        self.last = now
        if stage == "commit":
            replace_file(self.path, json.dumps({"stage": stage, "done": done, "total": total}).encode())
        else:
            ImportJob.objects.filter(pk=self.job.pk).update(stage=stage, done=done, total=total,
                                                            updated_at=timezone.now())

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
        self.path.with_suffix(".tmp").unlink(missing_ok=True)


def import_job_execute(job_id: int) -> ImportJob:
    """Run the import of job ``job_id`` now and store its result; never raises for bad files."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.finished:
        return job
    job.status, job.started_at, job.stage = ImportJob.Status.RUNNING, timezone.now(), "read"
    job.save(update_fields=["status", "started_at", "stage", "updated_at"])
    progress = _JobProgress(job)
    with translation.override(job.language):
        importer = get_importer(job.kind)
        result: ImportResult | None = None
        try:
            if importer is None:
                raise FileError(_(ERR_UNKNOWN_KIND).format(kind=job.kind))
            if not job.file or not job.file.storage.exists(job.file.name):
                raise FileError(_(ERR_FILE_GONE))
            with job.file.open("rb") as handle:
                result = run_import(importer, handle, actor=job.user or SYSTEM,
 filename=job.filename,
                                    dry_run=job.dry_run, commit_valid=job.commit_valid, progress=progress)
        except FileError as exc:
            result = ImportResult.for_file_error(str(exc), kind=job.kind, dry_run=job.dry_run)
        except Exception:
            logger.exception("import job %s failed", job.pk)
            job.status, job.message = ImportJob.Status.FAILED, _(ERR_CRASHED)
        finally:
            progress.clear()
        if result is not None:
            _store_result(job, result, title=f"{importer.title}错误报告" if importer else "错误报告")
    job.finished_at = timezone.now()
    job.save()
    if not job.dry_run and job.file:
        _delete_upload(job)
    return job


def _store_result(job: ImportJob, result: ImportResult, *, title: str) -> None:
    data = result.to_json()
    data["error_count"] = len(result.errors)
    data["errors"] = data["errors"][:MAX_STORED_ERRORS]
    job.result = data
    job.rows, job.error_count = result.rows, len(result.errors)
    job.status, job.stage, job.done, job.total = ImportJob.Status.DONE, "done", result.rows, result.rows
    if result.errors:
        report = error_report_xlsx(result.errors[:MAX_STORED_ERRORS], title=title,
                                   headers=result.source_headers or None, rows=result.rejected_raw or None)
        stem = Path(job.filename).stem[:80] or "import"
        job.error_report.save(f"{stem}_错误报告.xlsx", ContentFile(report), save=False)


def _delete_upload(job: ImportJob) -> None:
    """The upload is kept only until processed (a dry run's, until imported or expired)."""
    name = job.file.name
    job.file.storage.delete(name)
    ImportJob.objects.filter(file=name).update(file="")
    job.file = ""


def import_files_prune(*, older_than: timedelta = KEEP_PREVIEW_FILES) -> int:
    """Delete uploads of dry runs older than ``older_than`` that were never imported."""
    cutoff = timezone.now() - older_than
    stale = ImportJob.objects.filter(created_at__lt=cutoff).exclude(file="")
    count = 0
    for job in stale:
        job.file.storage.delete(job.file.name)
        count += 1
    stale.update(file="")
    return count


def import_job_progress(job: ImportJob) -> dict:
    """Stage, counts and an overall percentage for the progress bar."""
    stage, done, total = job.stage, job.done, job.total
    if job.status == ImportJob.Status.RUNNING:
        try:
            data = json.loads(_progress_path(job.pk).read_text())
            stage, done, total = data["stage"], data["done"], data["total"]
        except (OSError, ValueError, KeyError):
            pass
    if job.finished:
        percent = 100
    else:
        percent, before = 0.0, 0
        for name, weight in STAGE_WEIGHTS:
            if name == stage:
                percent = before + weight * (done / total if total else 0)
                break
            before += weight
        percent = int(min(percent, 99))
    return {"stage": stage, "label": _(STAGE_LABELS.get(stage, stage)), "done": done, "total": total,
            "percent": percent}


def import_job_stalled(job: ImportJob, *, queued_for: timedelta = timedelta(seconds=30),
                       silent_for: timedelta = timedelta(minutes=10)) -> str:
    """``"queued"``: nobody picked the job up (no worker running); ``"running"``: no progress
    for ``silent_for`` (the worker died; the transaction left nothing behind); else ``""``."""
    now = timezone.now()
    if job.status == ImportJob.Status.QUEUED and now - job.created_at > queued_for:
        return "queued"
    if job.status == ImportJob.Status.RUNNING:
        last = job.updated_at
        try:
            mtime = _progress_path(job.pk).stat().st_mtime
            last = max(last, datetime.fromtimestamp(mtime, tz=dt_timezone.utc))
        except OSError:
            pass
        if now - last > silent_for:
            return "running"
    return ""
