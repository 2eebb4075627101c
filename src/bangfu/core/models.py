"""Shared model base classes and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core.scoping import CITY_CODE, AreaQuerySet


class BaseModel(models.Model):
    """Every bangfu table records when a row was created and last changed."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class AuditLog(models.Model):
    """One row per write (or per full view of personal data), written in the same transaction."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    area_code = models.CharField(_("所属区域"), max_length=12, blank=True, db_index=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("操作日志")
        verbose_name_plural = _("操作日志")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"


class NoticeQuerySet(models.QuerySet):
    def showing(self, *, area_code: str, now) -> "NoticeQuerySet":
        """The notices a user of ``area_code`` sees on the home page at ``now``: published, begun,
        not expired, addressed to their area or an area containing it (the city: everyone)."""
        containing = [area_code[:n] for n in (2, 6, 9) if len(area_code) >= n]
        return self.filter(published=True, publish_at__lte=now, area_code__in=containing).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class Notice(BaseModel):
    """An announcement (通知公告) shown on the home page from ``publish_at`` until ``expires_at``
    to the users of ``area_code`` and below (written on 系统管理 → 通知公告)."""

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    published = models.BooleanField(_("已发布"), default=True)
    publish_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("截止时间"), null=True, blank=True,
                                      help_text=_("留空则一直显示"))
    area_code = models.CharField(_("发布范围"), max_length=12, default=CITY_CODE, db_index=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("发布人"))

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")

    def __str__(self) -> str:
        return self.title


class ParameterOverride(models.Model):
    """A value of ``settings.BANGFU[key]`` changed on 参数设置 (read by ``core.parameters.get``)."""

    key = models.CharField(_("参数"), max_length=80, unique=True)
    value = models.JSONField(_("值"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("修改人"))

    class Meta:
        verbose_name = _("参数设置")
        verbose_name_plural = _("参数设置")

    def __str__(self) -> str:
        return self.key


class JobStatus(models.TextChoices):
    """The states of work done in the background: an import (``ImportJob``) or a task started
    from a page (``BackgroundTask``)."""

    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


FINISHED_STATUSES = (JobStatus.DONE, JobStatus.FAILED)


class ImportJob(BaseModel):
    """An uploaded file being imported (or previewed) in the background, with its progress.

    The page polls this row, so closing the browser loses nothing: the result waits here.
    During the commit the import holds the database's write lock (SQLite), so its progress
    goes to a small file next to the upload instead (see ``bangfu.core.imports.jobs``).
    """

    Status = JobStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="import_jobs", verbose_name=_("操作人"),
    )
    area_code = models.CharField(_("所属区域"), max_length=12, blank=True, db_index=True)
    kind = models.CharField(_("导入类型"), max_length=40)
    filename = models.CharField(_("文件名"), max_length=255)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", blank=True, max_length=255)
    dry_run = models.BooleanField(_("试导入"), default=False)
    commit_valid = models.BooleanField(_("只导入无错误的行"), default=False)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    stage = models.CharField(_("阶段"), max_length=10, blank=True)
    done = models.PositiveIntegerField(_("已处理"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    error_report = models.FileField(_("错误报告"), upload_to="imports/reports/%Y/%m/", blank=True,
                                    max_length=255)
    message = models.TextField(_("说明"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    source = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("来源试导入"))

    objects = AreaQuerySet.as_manager()
    area_prefix_field = "area_code"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES


class ScheduledRun(models.Model):
    """One run of a scheduled task (定时任务), by the scheduler or by an operator's 立即执行.

    The row is written as ``running`` when the task starts, so a run that overlaps the next
    scheduler tick counts as that slot's run and is not started twice.
    """

    class Status(models.TextChoices):
        RUNNING = "running", _("执行中")
        OK = "ok", _("成功")
        FAILED = "failed", _("失败")

    task = models.CharField(_("任务"), max_length=40, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), db_index=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    summary = models.JSONField(_("结果摘要"), default=dict, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    triggered_by = models.CharField(_("触发人"), max_length=150, blank=True)  # "system" or a username

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["task", "-started_at"], name="core_schedrun_task_started")]
        verbose_name = _("定时任务执行记录")
        verbose_name_plural = _("定时任务执行记录")

    def __str__(self) -> str:
        return f"{self.task} {self.started_at:%Y-%m-%d %H:%M} {self.status}"


class BackgroundTask(models.Model):
    """Long work started from a page (后台任务): a policy run, a KPI fill, a matching run, a large
    export. The page that started it redirects here; the user may leave and find it again under
    后台任务, where its progress bar moves until it says it is done and where its result is.

    Its progress goes to a small file while it runs (``core.background``): on SQLite a long write
    holds the lock the row would need.
    """

    Status = JobStatus

    kind = models.CharField(_("任务类型"), max_length=40)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="background_tasks", verbose_name=_("操作人"))
    area_code = models.CharField(_("所属区域"), max_length=12, blank=True, db_index=True)
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED_STATUSES
