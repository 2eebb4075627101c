"""``bangfu facts rebuild [--from 2023-01 --to 2024-12] [--table T]``, ``bangfu facts refresh [--verify]``,
``bangfu facts status [--verify] [--json]``: the columnar fact store (``bangfu.core.facts``).

``rebuild`` writes every partition of the fact tables from the database (with ``--from/--to`` only
those months, and the years they fall in for a table partitioned by year); ``refresh`` rewrites
the months marked dirty (with ``--verify`` also those whose version differs from the database);
``status`` shows each table's partitions, rows and dirty months (``--verify`` scans the database).
"""

from __future__ import annotations

import json
import time

from django.core.management.base import BaseCommand, CommandError

from bangfu.core import facts
from bangfu.core.months import is_month, month_range


class Command(BaseCommand):
    help = "重建、刷新或查看列式事实库（按月分区的 Parquet 文件）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild", help="从数据库重写事实库")
        rebuild.add_argument("--from", dest="first", default=None, help="起始年月 YYYY-MM")
        rebuild.add_argument("--to", dest="last", default=None, help="截止年月 YYYY-MM")
        refresh = sub.add_parser("refresh", help="重写标记为待刷新的月份")
        refresh.add_argument("--verify", action="store_true", help="同时核对每个月份的版本")
        status = sub.add_parser("status", help="查看事实库状态")
        status.add_argument("--verify", action="store_true", help="与数据库逐月核对（需扫描数据库）")
        status.add_argument("--json", action="store_true")
        for target in (rebuild, refresh, status):
            target.add_argument("--table", action="append", default=None, help="只处理该表（可重复）")

    def handle(self, *args, action: str, **options):
        self.verbosity = options.get("verbosity", 1)
        known = {f.table for f in facts.fact_tables()}
        tables = options.get("table")
        unknown = sorted(set(tables or ()) - known)
        if unknown:
            raise CommandError(f"不是事实表：{', '.join(unknown)}（事实表：{', '.join(sorted(known))}）")
        started = time.perf_counter()
        if action == "rebuild":
            first, last = options["first"], options["last"]
            if (first is None) != (last is None) or (first and not (is_month(first) and is_month(last))):
                raise CommandError("--from 和 --to 须同时给出，格式为 YYYY-MM")
            if first and first > last:
                raise CommandError("--from 不能晚于 --to")
            reports = []
            for fact in facts.fact_tables():
                if tables and fact.table not in tables:
                    continue
                if first:
                    months = month_range(first, last)
                    values = sorted({m[:4] for m in months}) if fact.partition == "year" else months
                    reports += facts.refresh(tables=[fact.table], values=values)
                else:
                    reports += facts.refresh(tables=[fact.table], rebuild=True)
            self._report(reports, started)
        elif action == "refresh":
            self._report(facts.refresh(tables=tables, verify=options["verify"]), started)
        else:
            rows = [r for r in facts.status(verify=options["verify"]) if not tables or r["table"] in tables]
            if options["json"]:
                self.stdout.write(json.dumps({"store": str(facts.store_dir()), "tables": rows}, ensure_ascii=False,
                                             indent=1))
                return
            self.stdout.write(f"事实库：{facts.store_dir()}")
            for r in rows:
                state = "未建立" if not r["built"] else ("待刷新 " + "、".join(r["dirty"]) if r["dirty"] else "最新")
                if r.get("snapshot"):
                    state = "未建立" if not r["built"] else ("待刷新（数据库已改动）" if r.get("stale") else "最新")
                    self.stdout.write(f"{r['table']}（{r['label']}）：整表快照，{r['rows']} 行，{state}")
                    continue
                if r.get("stale") or r.get("missing") or r.get("extra"):
                    state = "与数据库不一致 " + "、".join(r["stale"] + r["missing"] + r["extra"])
                self.stdout.write(f"{r['table']}（{r['label']}）：{r['partitions']} 个分区，{r['rows']} 行，{state}")

    def _report(self, reports: list[dict], started: float) -> None:
        if self.verbosity == 0:
            return
        for r in reports:
            if r.get("version") is not None or r.get("skipped"):  # a snapshot table
                done = "跳过（仅支持 SQLite）" if r.get("skipped") else ("重写整表快照" if r["written"] else "快照已是最新")
                self.stdout.write(f"{r['table']}：{done}（{r['seconds']} 秒）")
                continue
            self.stdout.write(f"{r['table']}：重写 {len(r['written'])} 个分区，删除 {len(r['removed'])} 个（{r['seconds']} 秒）")
        self.stdout.write(f"完成，用时 {time.perf_counter() - started:.1f} 秒")
