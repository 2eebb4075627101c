"""``bangfu demo``: a ready-to-try platform on this machine in a few minutes.

Migrates (the reference data comes with the migrations), generates and loads 20,000 persons
(seed 2024) unless persons are already there, creates one user per role with the demo
password, collects static files when needed, prints the users and serves on 127.0.0.1.
Every step is idempotent: running it again only serves.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Count
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

# A fixed, documented password for the demo users only (README); never use it elsewhere.
DEMO_PASSWORD = "Bangfu@2024"
DEMO_SEED = 2024
FENGDU = "500230"  # 丰都县

# (username, role, area code or None for "a township of 丰都县", Chinese label, English label)
DEMO_USERS = (
    ("admin", "city_admin", "50", "市级管理员（全市）", "city admin"),
    ("fengdu", "district_officer", FENGDU, "区县经办（丰都县）", "district officer"),
    ("fengdu_town", "township_officer", None, "乡镇经办（丰都县某镇）", "township officer"),
    ("broker", "broker", FENGDU, "劳务经纪人（丰都县）", "labour broker"),
    ("auditor", "auditor", "50", "审计员（全市）", "auditor"),
)


def fengdu_township() -> str:
    """The township of 丰都县 with the most registered persons (the first one if none)."""
    from bangfu.registry import reference
    from bangfu.registry.models import Person

    busiest = (Person.objects.filter(district_code=FENGDU).values("township_code")
               .annotate(n=Count("id")).order_by("-n", "township_code").first())
    if busiest:
        return busiest["township_code"]
    return min(code for code, row in reference.divisions().items() if row["parent_code"] == FENGDU)


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
            self._reference_data()
        console.print("✓ 数据库已就绪（含行政区划参考数据） / database ready")

        self._generate(console, people)
        rows = self._users(console)
        self._static(console)

        table = Table(title="演示用户 / demo users")
        for header in ("用户名 / user", "密码 / password", "角色 / role", "区域 / area"):
            table.add_column(header)
        for row in rows:
            table.add_row(*row)
        console.print(table)
        if any(row[1].endswith("*") for row in rows):
            console.print("* 用户已存在，未改动：密码如未修改仍为上述密码 / "
                          "existing user left as is: the password unless it was changed")
        url = f"http://127.0.0.1:{port}"
        console.print(f"准备用时 / ready in {time.perf_counter() - started:.0f} s")
        console.print(f"[bold]打开 / open {url}[/bold]")
        if no_serve:
            return
        # Background work started from the web (imports, policy runs, KPI fills) needs a
        # task worker; the demo runs one beside the web server and stops it on exit.
        import subprocess
        import sys

        worker = subprocess.Popen([sys.executable, "-m", "bangfu.cli", "db_worker"])
        console.print(f"任务进程已启动 / task worker started (pid {worker.pid})")
        try:
            call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _reference_data(self) -> None:
        """The migrations load the divisions; reload them if someone emptied the table since."""
        from bangfu.registry import reference
        from bangfu.registry.models import Division, Place

        if not Division.objects.exists() or not Place.objects.exists():
            reference.load_reference_data(Division, Place)

    def _generate(self, console: Console, people: int) -> None:
        from bangfu.registry.generate import GenerateContext, run_generate
        from bangfu.registry.models import Person

        existing = Person.objects.count()
        if existing:
            console.print(f"✓ 已有 {existing:,} 人，跳过生成 / {existing:,} persons already loaded")
            return
        ctx = GenerateContext(seed=DEMO_SEED, people=people, load=True)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as progress:
            tasks: dict[str, int] = {}

            def advance(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total)
                progress.update(tasks[stage], completed=done, total=total)

            ctx.say = lambda message: progress.console.print("  " + message)
            ctx.progress = advance
            run_generate(ctx)
        console.print(f"✓ 已生成并装入 {ctx.person_count:,} 人（种子 {DEMO_SEED}） / "
                      f"{ctx.person_count:,} persons generated and loaded")

    def _users(self, console: Console) -> list[tuple[str, str, str, str]]:
        from bangfu.accounts.choices import Role
        from bangfu.accounts.models import User
        from bangfu.accounts.services import user_create
        from bangfu.registry import reference

        names = reference.divisions()
        rows = []
        for username, role, area, label_zh, label_en in DEMO_USERS:
            user = User.objects.filter(username=username).first()
            if user is None:
                area_code = area or fengdu_township()
                user = user_create(username=username, password=DEMO_PASSWORD, role=role,
                                   area_code=area_code, display_name=label_zh.split("（")[0],
                                   actor="system", check_password=False)
                password = DEMO_PASSWORD
            else:  # never reset a password someone may have changed
                password = f"{DEMO_PASSWORD} *"
            area_name = "重庆市" if user.area_code == "50" else names.get(user.area_code, {}).get("name", "")
            rows.append((username, password, f"{Role(user.role).label} / {label_en}",
                         f"{area_name} {user.area_code}"))
        console.print("✓ 演示用户已就绪 / demo users ready")
        return rows

    def _static(self, console: Console) -> None:
        # Cheap when nothing changed (only modified files are copied), so always run it: the
        # vendor files from scripts/vendor.sh may have arrived after the last run.
        if not settings.STATIC_ROOT:
            return
        with console.status("收集静态文件 / collecting static files…"):
            call_command("collectstatic", interactive=False, verbosity=0)
        console.print("✓ 静态文件已就绪 / static files ready")
