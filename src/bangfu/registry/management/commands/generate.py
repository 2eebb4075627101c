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
ERR_PARQUET = "--format parquet 只用于 --scenario china-2024（全国数据直接写为 Parquet），且须指定 --out"
ERR_SCALE = "--scale 须大于 0、不超过 1.5"


class Command(BaseCommand):
    help = "生成模拟的脱贫户和人员数据（导入格式文件，或直接装入数据库）"

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=None,
                            help=f"人数（默认 {DEFAULT_PEOPLE}；--scenario 会设定人数）")
        parser.add_argument("--seed", type=int, default=2024, help="随机种子：同一种子生成同样的数据")
        parser.add_argument("--out", type=Path, default=None, help="写入导入格式文件的目录")
        parser.add_argument("--load", action="store_true", help="直接批量装入数据库（须为空的花名册）")
        parser.add_argument("--format", choices=("csv", "xlsx", "parquet"), default="csv", dest="file_format",
                            help="文件格式（默认 csv；xlsx 较慢；parquet 只用于 china-2024）")
        parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="",
                            help="预设场景：chongqing-2024 = 190 万人；china-2024 = 全国 9899 万人（Parquet）")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="china-2024 的比例（默认 1 = 全国；0.01 = 约 99 万人）")
        parser.add_argument("--chunk", type=int, default=None,
                            help="china-2024 每块最多人数（默认 100 万；决定内存峰值）")

    def handle(self, *args, people, seed, out, load, file_format, scenario, **options):
        if file_format == "parquet" or SCENARIOS.get(scenario, {}).get("format") == "parquet":
            return self._nation(seed=seed, out=out, load=load, file_format=file_format, scenario=scenario,
                                scale=options["scale"], chunk=options["chunk"])
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

    def _nation(self, *, seed, out, load, file_format, scenario, scale, chunk):
        from bangfu.registry.generate.nation import DEFAULT_CHUNK, generate_nation

        if scenario != "china-2024" or file_format != "parquet" or out is None or load:
            raise CommandError(ERR_PARQUET)
        if not 0 < scale <= 1.5:
            raise CommandError(ERR_SCALE)
        console = Console(file=self.stdout, highlight=False, width=None if self.stdout.isatty() else 120)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as progress:
            task = progress.add_task("全国数据", total=None)
            try:
                result = generate_nation(out, scale=scale, seed=seed, chunk_persons=chunk or DEFAULT_CHUNK,
                                         progress=lambda _s, done, total: progress.update(task, completed=done,
                                                                                          total=total))
            except (FileExistsError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
        table = Table(title=f"生成完成：种子 {seed}，用时 {result.seconds:.1f} 秒，内存峰值 {result.peak_rss_mib:,.0f} MiB")
        table.add_column("项目")
        table.add_column("数量")
        table.add_row("人员", f"{result.persons:,}")
        table.add_row("户", f"{result.households:,}")
        table.add_row("务工月份", f"{result.employment_months:,}")
        table.add_row("分块", f"{result.chunks:,}（最大 {result.largest_chunk:,} 人）")
        console.print(table)
