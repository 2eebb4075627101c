"""``bangfu scheduler list | run CODE | run-due [--dry-run] | loop [--interval S]``: 定时任务.

``bangfu serve`` runs ``bangfu scheduler loop`` beside the web server. Without it, install one
cron line on one machine (the tasks are recorded, so an extra tick runs nothing twice within a
slot)::

    */10 * * * * bangfu scheduler run-due
"""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bangfu.core import schedule
from bangfu.core.actors import SYSTEM
from bangfu.core.models import ScheduledRun

CRON_LINE = "*/10 * * * * bangfu scheduler run-due"


class Command(BaseCommand):
    help = ("定时任务：list 列出任务及下次执行时间，run CODE 立即执行一个任务，run-due 执行所有到期任务。"
            f"在一台服务器的 crontab 中加入：{CRON_LINE}")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="列出任务、周期、上次执行和下次执行时间")
        run = sub.add_parser("run", help="立即执行一个任务")
        run.add_argument("code", help="任务代码：" + "、".join(job.code for job in schedule.jobs()))
        due = sub.add_parser("run-due", help=f"执行所有到期的任务（cron：{CRON_LINE}）")
        due.add_argument("--dry-run", action="store_true", help="只列出到期的任务，不执行")
        loop = sub.add_parser("loop", help="常驻运行：每隔一段时间执行到期的任务（bangfu serve 使用），"
                                           "收到 SIGTERM 或 Ctrl-C 时在当前任务完成后退出")
        loop.add_argument("--interval", type=float, default=60, help="检查间隔秒数（默认 60）")

    def handle(self, *args, action, **options):
        if action == "list":
            return self.list()
        if action == "loop":
            return self.loop(options["interval"])
        if action == "run":
            job = schedule.get_job(options["code"])
            if job is None:
                raise CommandError(f"未知的任务代码：{options['code']}")
            runs = [schedule.scheduled_run_execute(job=job, actor=SYSTEM)]
        else:
            if options["dry_run"]:
                for job in schedule.due_jobs():
                    self.stdout.write(f"{job.code}\t{job.name}")
                return
            runs = schedule.scheduled_runs_due()
            if not runs:
                self.stdout.write("没有到期的任务")
        self.report(runs)

    def loop(self, interval: float):
        if interval <= 0:
            raise CommandError("--interval 必须大于 0")
        stop = threading.Event()

        def on_signal(signum, frame):
            stop.set()

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, on_signal)
        self.stdout.write(f"定时任务进程已启动，每 {interval:g} 秒检查一次 / scheduler loop started")
        schedule.scheduled_runs_loop(interval=interval, stop=stop, report=self.report_quietly)
        self.stdout.write("定时任务进程已停止 / scheduler loop stopped")

    def report_quietly(self, runs: list[ScheduledRun]):
        """As ``report``, but a failed task does not end the loop (it is recorded and retried)."""
        try:
            self.report(runs)
        except CommandError as exc:
            self.stderr.write(str(exc))

    def list(self):
        for row in schedule.schedule_rows():
            job, last = row["job"], row["last"]
            last_text = (f"{timezone.localtime(last.started_at):%Y-%m-%d %H:%M} {last.get_status_display()}"
                         if last else "从未执行")
            next_text = "到期" if row["due"] else f"{timezone.localtime(row['next_due']):%Y-%m-%d %H:%M}"
            self.stdout.write(f"{job.code}\t{job.name}\t{job.cadence.label()}\t上次：{last_text}\t下次：{next_text}")

    def report(self, runs: list[ScheduledRun]):
        failed = [run for run in runs if run.status == ScheduledRun.Status.FAILED]
        for run in runs:
            if run.status == ScheduledRun.Status.FAILED:
                self.stderr.write(f"{run.task} 失败：{run.error}")
            else:
                self.stdout.write(self.style.SUCCESS(f"{run.task} 成功：{run.summary}"))
        if failed:
            raise CommandError(f"{len(failed)} 个任务失败：" + "、".join(run.task for run in failed))
