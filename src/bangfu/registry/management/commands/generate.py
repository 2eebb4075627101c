"""``bangfu generate``: synthetic households and persons (and each app's data), to files or the database."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bangfu.registry.generate import SCENARIOS, GenerateContext, run_generate
from bangfu.registry.generate.loader import RegistryNotEmpty

DEFAULT_PEOPLE = 1_000
ERR_NOTHING_TO_DO = "请指定 --out 目录（写文件）或 --load（装入数据库），或两者都指定"
ERR_PEOPLE = "--people 必须是正整数"


class Command(BaseCommand):
    help = "生成模拟的脱贫户和人员数据（导入格式文件，或直接装入数据库）"

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=None,
                            help=f"人数（默认 {DEFAULT_PEOPLE}；--scenario 会设定人数）")
        parser.add_argument("--seed", type=int, default=2024, help="随机种子：同一种子生成同样的数据")
        parser.add_argument("--out", type=Path, default=None, help="写入导入格式文件的目录")
        parser.add_argument("--load", action="store_true", help="直接批量装入数据库（须为空的花名册）")
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", dest="file_format",
                            help="文件格式（默认 csv；xlsx 较慢）")
        parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="",
                            help="预设场景：chongqing-2024 = 190 万人")

    def handle(self, *args, people, seed, out, load, file_format, scenario, **options):
        if out is None and not load:
            raise CommandError(ERR_NOTHING_TO_DO)
        preset = SCENARIOS.get(scenario, {})
        people = people if people is not None else preset.get("people", DEFAULT_PEOPLE)
        if people < 1:
            raise CommandError(ERR_PEOPLE)
        console = Console(file=self.stdout, highlight=False,
                          width=None if self.stdout.isatty() else 120)
        ctx = GenerateContext(seed=seed, people=people, out_dir=out, load=load, scenario=scenario,
                              file_format=file_format, **({"as_of": preset["as_of"]} if "as_of" in preset else {}))
        started = time.perf_counter()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as progress:
            tasks: dict[str, int] = {}

            def advance(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total)
                progress.update(tasks[stage], completed=done, total=total)

            ctx.say = progress.console.print
            ctx.progress = advance
            try:
                run_generate(ctx)
            except RegistryNotEmpty as exc:
                raise CommandError(str(exc)) from exc
        table = Table(title=f"生成完成：种子 {seed}，用时 {time.perf_counter() - started:.1f} 秒")
        table.add_column("步骤")
        table.add_column("数量")
        for step, counts in ctx.counts.items():
            table.add_row(step, "，".join(f"{k} {v:,}" for k, v in counts.items()))
        console.print(table)
