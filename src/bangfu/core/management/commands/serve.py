"""``bangfu serve [--host H] [--port N] [--workers N]``: the production server.

Runs three supervised children (``bangfu.core.supervisor``): gunicorn with the site (static
files through whitenoise, settings in ``bangfu.core.gunicorn_conf``), the task worker
(``bangfu task_worker``) and the scheduler (``bangfu scheduler loop``), so no cron line is needed.
A child that dies is started again after a back-off; SIGTERM or Ctrl-C stops them all and
exits 0. Put nginx in front of it (README: 生产部署 / Production).
"""

from __future__ import annotations

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from bangfu.core.gunicorn_conf import default_workers
from bangfu.core.supervisor import ChildSpec, Supervisor

DEFAULT_SCHEDULER_INTERVAL = 60
ERR_UNMIGRATED = "数据库有 %(count)d 个迁移尚未执行，请先运行 bangfu migrate"


def children(*, host: str, port: int, workers: int, threads: int, task_worker: bool = True,
             scheduler: bool = True, scheduler_interval: float = DEFAULT_SCHEDULER_INTERVAL) -> list[ChildSpec]:
    """The processes ``bangfu serve`` supervises, each a fresh Python with this interpreter."""
    python = sys.executable
    web = [python, "-m", "gunicorn", "-c", "python:bangfu.core.gunicorn_conf",
           "--bind", f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
           "--workers", str(workers), "--threads", str(threads)]
    if threads > 1:
        web += ["--worker-class", "gthread"]
    specs = [ChildSpec("web", web)]
    if task_worker:
        specs.append(ChildSpec("task-worker", [python, "-m", "bangfu.cli", "task_worker", "--no-reload"]))
    if scheduler:
        specs.append(ChildSpec("scheduler", [python, "-m", "bangfu.cli", "scheduler", "loop",
                                             "--interval", str(scheduler_interval)]))
    return specs


def unapplied_migrations() -> int:
    connection = connections["default"]
    try:
        executor = MigrationExecutor(connection)
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    finally:
        connection.close()  # the supervisor keeps no connection open while it waits


class Command(BaseCommand):
    help = ("生产服务：gunicorn 网站 + 后台任务进程 + 定时任务进程，进程退出后自动重启；"
            "收到 SIGTERM 或 Ctrl-C 时全部停止。前面应有 nginx（见 README）")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，由 nginx 转发）")
        parser.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"网站工作进程数（默认 CPU 核数+1，本机 {default_workers()}）")
        parser.add_argument("--threads", type=int, default=1, help="每个工作进程的线程数（默认 1）")
        parser.add_argument("--scheduler-interval", type=float, default=DEFAULT_SCHEDULER_INTERVAL,
                            help=f"定时任务检查间隔秒数（默认 {DEFAULT_SCHEDULER_INTERVAL}）")
        parser.add_argument("--no-task-worker", action="store_true", help="不启动后台任务进程")
        parser.add_argument("--no-scheduler", action="store_true",
                            help="不启动定时任务进程（多台服务器时只在一台上运行定时任务）")

    def handle(self, *args, host, port, workers, threads, scheduler_interval, no_task_worker,
               no_scheduler, **options):
        if workers is not None and workers < 1 or threads < 1:
            raise CommandError("--workers 和 --threads 至少为 1")
        pending = unapplied_migrations()
        if pending:
            raise CommandError(ERR_UNMIGRATED % {"count": pending})
        # Cheap when nothing changed (only modified files are copied); whitenoise serves STATIC_ROOT.
        call_command("collectstatic", interactive=False, verbosity=0)
        specs = children(host=host, port=port, workers=workers or default_workers(), threads=threads,
                         task_worker=not no_task_worker, scheduler=not no_scheduler,
                         scheduler_interval=scheduler_interval)
        supervisor = Supervisor(specs)
        supervisor.install_signal_handlers()
        self.stderr.write(f"bangfu serve: http://{host}:{port} ({', '.join(s.name for s in specs)})")
        code = supervisor.run()
        if code:
            raise CommandError("子进程反复启动失败，服务已停止 / a child kept failing; stopped", returncode=code)
