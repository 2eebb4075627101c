"""``bangfu import KIND FILE``: import a spreadsheet with any importer an app offers.

Importers are found in ``bangfu.<app>.importers.IMPORTERS``, so a new app's import needs no
change here. All-or-nothing unless ``--commit-valid``; ``--dry-run`` writes nothing.
Exit status: 0 clean, 1 rows with errors, 2 the file could not be used.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.core.actors import SYSTEM, Actor
from bangfu.core.imports import FileError, ImportResult, discover_importers, error_report_xlsx, run_import

EXIT_ROW_ERRORS = 1
EXIT_FILE_ERROR = 2
SHOWN_ERRORS = 30
STAGE_LABELS = {"read": "读取文件", "parse": "解析", "check": "校验", "commit": "写入"}


def summary_line(result: ImportResult) -> str:
    """``1,204 行：新增 1,200，更新 3，未变 1；3 个错误（2 行）`` and what happened."""
    counts = _("{rows} 行：新增 {created}，更新 {updated}，未变 {unchanged}").format(
        rows=f"{result.rows:,}", created=f"{result.created:,}", updated=f"{result.updated:,}",
        unchanged=f"{result.unchanged:,}")
    if result.errors:
        counts += _("；{errors} 个错误（{error_rows} 行）").format(
            errors=f"{len(result.errors):,}", error_rows=f"{result.error_rows:,}")
    if result.dry_run:
        outcome = _("试导入，未写入数据库")
    elif result.committed and result.errors:
        outcome = _("已导入无错误的行，有错误的行未导入")
    elif result.committed:
        outcome = _("已导入")
    else:
        outcome = _("有错误，未导入任何数据；修正后重新导入，或使用 --commit-valid 只导入无错误的行")
    return f"{counts}。{outcome}"


class Command(BaseCommand):
    help = "导入 Excel（.xlsx）或 CSV 文件：bangfu import registry 花名册.xlsx [--dry-run] [--json]"

    def add_arguments(self, parser):
        kinds = sorted(discover_importers())
        parser.add_argument("kind", help=f"导入类型：{'、'.join(kinds)}")
        parser.add_argument("file", help=".xlsx 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并统计，不写入")
        parser.add_argument("--commit-valid", action="store_true", help="导入无错误的行，跳过有错误的行")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        parser.add_argument("--actor", default="", help="记录在操作日志中的用户名（默认 system）")
        parser.add_argument("--error-report", default="", metavar="OUT.xlsx", help="把错误写入 Excel 文件")

    def handle(self, *args, **options):
        importers = discover_importers()
        kind = options["kind"]
        importer = importers.get(kind)
        if importer is None:
            raise CommandError(_("未知的导入类型“{kind}”，可选：{kinds}").format(
                kind=kind, kinds="、".join(sorted(importers))))
        path = Path(options["file"])
        actor = self._actor(options["actor"])
        as_json = options["json"]
        try:
            if not path.is_file():
                raise FileError(_("找不到文件：{path}").format(path=path))
            if as_json or options["verbosity"] < 1 or not sys.stderr.isatty():
                result = self._run(importer, path, actor, options, progress=None)
            else:
                result = self._run_with_progress(importer, path, actor, options)
        except FileError as exc:
            result = ImportResult.for_file_error(str(exc), kind=kind, dry_run=options["dry_run"])
            self._report(result, options, importer=importer)
            raise CommandError(str(exc), returncode=EXIT_FILE_ERROR) from None
        self._report(result, options, importer=importer)
        if result.errors:
            raise CommandError(_("{n} 个错误").format(n=f"{len(result.errors):,}"), returncode=EXIT_ROW_ERRORS)

    def _actor(self, username: str) -> Actor:
        if not username:
            return SYSTEM
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(_("找不到用户：{username}").format(username=username))
        return user

    def _run(self, importer, path: Path, actor: Actor, options, progress):
        return run_import(importer, path, actor=actor, filename=path.name, dry_run=options["dry_run"],
                          commit_valid=options["commit_valid"], progress=progress)

    def _run_with_progress(self, importer, path: Path, actor: Actor, options):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        console = Console(stderr=True)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=True) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(STAGE_LABELS.get(stage, stage), total=max(total, 1))
                bar.update(tasks[stage], completed=done, total=max(total, 1))

            return self._run(importer, path, actor, options, progress)

    def _report(self, result: ImportResult, options, *, importer) -> None:
        if options["error_report"] and result.errors:
            Path(options["error_report"]).write_bytes(error_report_xlsx(
                result.errors, title=f"{importer.title}错误报告", headers=result.source_headers or None,
                rows=result.rejected_raw or None))
        if options["json"]:
            self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False))
            return
        if options["verbosity"] < 1:
            return
        self._print_rich(result, options)

    def _print_rich(self, result: ImportResult, options) -> None:
        from rich.console import Console
        from rich.table import Table

        # rich writes partial lines: give it the raw stream, not Django's line-ending wrapper.
        console = Console(file=getattr(self.stdout, "_out", self.stdout), highlight=False, soft_wrap=True)
        file_error = result.errors and result.errors[0].row == 0
        if file_error:
            console.print(f"[bold red]{_('文件无法导入')}：[/]{result.errors[0].message}")
            return
        for warning in result.warnings:
            console.print(f"[yellow]{warning}[/]")
        style = "green" if not result.errors else ("yellow" if result.committed else "red")
        console.print(f"[bold {style}]{summary_line(result)}[/]")
        if result.errors:
            table = Table(show_lines=False)
            table.add_column(_("行号"), justify="right", no_wrap=True)
            table.add_column(_("列"), no_wrap=True)
            table.add_column(_("错误原因"), overflow="fold")
            for error in result.errors[:SHOWN_ERRORS]:
                table.add_row(str(error.row), error.column, error.message)
            console.print(table)
            if len(result.errors) > SHOWN_ERRORS:
                console.print(_("……另有 {n} 个错误").format(n=f"{len(result.errors) - SHOWN_ERRORS:,}")
                              + ("" if options["error_report"] else _("，用 --error-report 错误.xlsx 导出全部")))
        if options["error_report"] and result.errors:
            console.print(_("错误报告已写入 {path}").format(path=options["error_report"]))
        total = result.timings.get("total")
        if total is not None and options["verbosity"] >= 2:
            console.print("  ".join(f"{k} {v:.1f}s" for k, v in result.timings.items()))
