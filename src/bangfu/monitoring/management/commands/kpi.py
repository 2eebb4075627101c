"""``bangfu kpi fill [--from YYYY-MM] [--to YYYY-MM] [--force] [--engine duckdb|sqlite|postgres|spark]``,
``bangfu kpi show [--month YYYY-MM] [--area CODE] [--json]``, and the monthly reports (报送):
``bangfu kpi close --district CODE --month YYYY-MM [--user U]`` and
``bangfu kpi reopen --district CODE --month YYYY-MM --reason 原因 [--user U]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from django.utils.translation import gettext as _

from bangfu.core.actors import SYSTEM, Actor
from bangfu.core.months import MonthError, parse_month
from bangfu.core.reference import area_name, is_area
from bangfu.core.scoping import CITY_CODE
from bangfu.engine.backends import KINDS, EngineError
from bangfu.core.engine import set_spark_master
from bangfu.monitoring import briefing, completeness, selectors
from bangfu.monitoring.services import FillError, MonthReportError, kpi_fill, month_close, month_reopen

ERR_AREA = "无法识别的区域代码：{code}（50、main_metro/northeast/southeast、6位区县或9位乡镇代码）"
NO_DATA = "{month} {area} 暂无数据（该月没有务工记录，或尚未计算：bangfu kpi fill）"
NO_MONTH = "还没有计算过任何月份的指标（bangfu kpi fill）"
ERR_USER = "没有用户：{username}"
STAGES = {"compute": "计算指标", "write": "写入指标表"}


def _month(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_month(value)
    except MonthError as exc:
        raise CommandError(str(exc)) from exc
    return value


class Command(BaseCommand):
    help = "务工监测指标：fill 计算并写入指标表（可断点续算），show 查看某月某区域的指标"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        fill = sub.add_parser("fill", help="计算指标（已完成的月份跳过，中断的月份重算）")
        fill.add_argument("--from", dest="first", default=None, help="起始月份 YYYY-MM（默认最早有数据的月份）")
        fill.add_argument("--to", dest="last", default=None, help="结束月份 YYYY-MM（默认最近有数据的月份）")
        fill.add_argument("--force", action="store_true", help="已完成的月份也重算")
        fill.add_argument("--engine", choices=KINDS, default=None, help="计算引擎（默认按设置 ENGINE，通常为 duckdb）")
        fill.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        fill.add_argument("--spark-master", default=None,
                          help="Spark 集群地址（--engine spark 时）：spark://主机:端口，或 local[N]；默认按设置 SPARK_MASTER")
        show = sub.add_parser("show", help="查看指标")
        show.add_argument("--month", default=None, help="月份 YYYY-MM（默认该区域最近一个数据完整的月份）")
        show.add_argument("--area", default=CITY_CODE, help="区域代码（默认 50 重庆市）")
        show.add_argument("--json", action="store_true", help="以 JSON 输出")
        close = sub.add_parser("close", help="区县报送某月数据（该月数据已全部录入）")
        reopen = sub.add_parser("reopen", help="退回区县已报送的月份（市级，须填写原因）")
        for p in (close, reopen):
            p.add_argument("--district", required=True, help="区县代码（6位）")
            p.add_argument("--month", required=True, help="月份 YYYY-MM")
            p.add_argument("--user", default=None, help="以该用户身份操作（检查其权限；默认系统运维）")
        reopen.add_argument("--reason", required=True, help="退回原因")

    def handle(self, *args, action, **options):
        console = Console(file=self.stdout, highlight=False, soft_wrap=True)
        if action == "fill":
            return self.fill(console, **options)
        if action in ("close", "reopen"):
            return self.report(console, action, **options)
        return self.show(console, **options)

    def report(self, console, action, *, district, month, user, reason: str = "", **options):
        from django.core.exceptions import PermissionDenied

        from bangfu.accounts.models import User

        actor: Actor = SYSTEM
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(ERR_USER.format(username=user))
        try:
            if action == "close":
                month_close(actor=actor, district=district, month=month)
            else:
                month_reopen(actor=actor, district=district, month=month, reason=reason)
        except (MonthReportError, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc
        done = "已报送" if action == "close" else "已退回"
        status = completeness.month_status(month=month, code=CITY_CODE)
        console.print(f"{done}：{area_name(district)} {briefing.month_label(month)}（全市 {status.reported_label}）")

    def fill(self, console, *, first, last, force, engine, json: bool = False, **options):
        first, last = _month(first), _month(last)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True), transient=True,
                      disable=json) as progress:
            tasks: dict[str, int] = {}

            def advance(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(STAGES.get(stage, stage), total=total)
                progress.update(tasks[stage], completed=done, total=total)

            try:
                set_spark_master(options.get("spark_master"))
                report = kpi_fill(actor=SYSTEM, first=first, last=last, force=force, engine=engine,
                                  progress=advance)
            except (FillError, EngineError) as exc:
                raise CommandError(str(exc)) from exc
        if json:
            import json as _json

            self.stdout.write(_json.dumps(report.to_json(), ensure_ascii=False))
            return
        if not report.months and not report.empty:
            console.print(f"没有需要计算的月份（{len(report.skipped)} 个月份已完成；--force 可重算）")
            return
        console.print(
            f"已计算 {len(report.months)} 个月份（{report.months[0] if report.months else '—'} 至 "
            f"{report.months[-1] if report.months else '—'}），引擎 {report.engine}："
            f"区域指标 {report.area_rows:,} 行，分组 {report.breakdown_rows:,} 行；"
            f"计算 {report.compute_seconds:.1f} 秒，写入 {report.write_seconds:.1f} 秒"
        )
        if report.empty:
            console.print(f"无务工记录、不生成指标的月份：{'、'.join(report.empty)}")
        if report.skipped:
            console.print(f"已完成而跳过：{len(report.skipped)} 个月份")

    def show(self, console, *, month, area, json: bool = False, **options):
        month = _month(month)
        if not is_area(area):
            raise CommandError(ERR_AREA.format(code=area))
        month = month or selectors.kpi_default_month_unrestricted(code=area)
        if month is None:
            raise CommandError(NO_MONTH)
        summary = selectors.kpi_summary_unrestricted(month=month, code=area)
        if json:
            import json as _json

            if not summary.has_data:
                self.stderr.write(NO_DATA.format(month=month, area=area))
            self.stdout.write(_json.dumps(summary.to_json(), ensure_ascii=False, indent=2))
            return
        if not summary.has_data:
            console.print(NO_DATA.format(month=month, area=area_name(area)))
            return
        brief = briefing.briefing_for(month=month, code=area)
        table = Table(title=f"{area_name(area)} {briefing.month_label(month)}")
        table.add_column("指标")
        table.add_column("数值", justify="right")
        for name, value in briefing.figure_rows(brief):
            table.add_row(name, value)
        console.print(table)
        status = summary.status
        if not status.complete:
            console.print(f"数据尚不完整：{status.reported_label}；未报送：{'、'.join(status.missing_names)}")
        elif status.missing:
            console.print(f"报送截止日（{status.deadline_label}）已过，未报送：{'、'.join(status.missing_names)}")
        for dimension in selectors.SUMMARY_DIMENSIONS:
            values = summary.breakdowns.get(dimension, {})
            if values:
                console.print(f"{_(briefing.LABELS_TITLE[dimension])}：" + "，".join(
                    f"{briefing.label(dimension, k)} {v:,}" for k, v in values.items()))
