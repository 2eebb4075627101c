"""``bangfu demo``: a ready-to-try platform on this machine in a few minutes.

Migrates (the reference data comes with the migrations), runs the apps' demo steps
(``DEMO_STEPS`` in ``bangfu/<app>/hooks.py``: the registry generates and loads 20,000 persons,
seed 2024, unless persons are already there; accounts creates one user per role with the demo
password), collects static files when needed, prints what the steps report (the users) and
serves on 127.0.0.1. Every step is idempotent: running it again only serves.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from rich.console import Console

from bangfu.core.hooks import DEMO_STEPS, DemoContext


class Command(BaseCommand):
    help = "演示：迁移数据库、生成并装入 2 万人、创建各角色演示用户，然后启动服务"

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=20_000, help="生成的人数（默认 20000）")
        parser.add_argument("--port", type=int, default=8000, help="服务端口（默认 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据和用户，不启动服务")

    def handle(self, *args, people, port, no_serve, **options):
        console = Console(file=self.stdout, highlight=False,
                          width=None if self.stdout.isatty() else 100)
        started = time.perf_counter()
        console.print("[bold]bangfu 演示 / demo[/bold]")

        with console.status("迁移数据库 / migrating…"):
            call_command("migrate", interactive=False, verbosity=0)
        console.print("✓ 数据库已就绪 / database ready")

        ctx = DemoContext(console=console, people=people)
        for step in DEMO_STEPS.items():
            step.run(ctx)
        self._static(console)

        for report in ctx.reports:
            console.print(report)
        url = f"http://127.0.0.1:{port}"
        console.print(f"准备用时 / ready in {time.perf_counter() - started:.0f} s")
        console.print(f"[bold]打开 / open {url}[/bold]")
        if no_serve:
            return
        # The demo runs as production does (`bangfu serve`): the site under gunicorn, the task
        # worker (imports, policy runs, KPI fills started from a page) and the scheduler (texts
        # sent, deadlines escalated, the nightly fill), so it behaves like a working bureau.
        console.print("网站、后台任务进程和定时任务已启动，按 Ctrl-C 停止 / site, task worker and "
                      "scheduler running; Ctrl-C stops them")
        call_command("serve", "--port", str(port))

    def _static(self, console: Console) -> None:
        # Cheap when nothing changed (only modified files are copied), so always run it: the
        # vendor files from scripts/vendor.sh may have arrived after the last run.
        if not settings.STATIC_ROOT:
            return
        with console.status("收集静态文件 / collecting static files…"):
            call_command("collectstatic", interactive=False, verbosity=0)
        console.print("✓ 静态文件已就绪 / static files ready")
