"""``bangfu match``: job matching and push (渝职聘) from the command line.

    bangfu match run [--district CODE] [--dry-run] [--json] [--date YYYY-MM-DD] [--user NAME]
    bangfu match explain --person ID [--job ID] [--json] [--date YYYY-MM-DD]

``run`` ranks the open postings for every worker in scope (out of work or registered as a job
seeker), applies the caps (N a week per worker, never a job twice, about k × remaining headcount
per job) and pushes through the outbox; ``--dry-run`` writes nothing. With ``--json`` it prints
``{"summary": {...}, "pushes": [{"person": ID, "job": ID, "score": x, "reasons": ["..."]}]}``.
``explain`` prints the vetoes and the score parts of one person and one posting, or the person's
best postings when no ``--job`` is given.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from bangfu.core import reference
from bangfu.core.actors import SYSTEM, Actor


def _day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "渝职聘：岗位匹配与推送（run），解释推荐（explain）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("run", help="匹配并推送（--dry-run 只试算不写入）")
        p.add_argument("--district", help="区县代码（默认全市）")
        p.add_argument("--dry-run", action="store_true", help="只试算，不写入推送、不发短信")
        p.add_argument("--json", action="store_true", help="输出 JSON")
        p.add_argument("--date", help="按该日期运行（默认今天）")
        p.add_argument("--user", help="以该用户身份（默认 system）")
        p = sub.add_parser("explain", help="解释某人与某岗位的否决条件和得分")
        p.add_argument("--person", type=int, required=True, help="人员编号（数据库 id）")
        p.add_argument("--job", type=int, help="岗位编号（数据库 id）；不填则列出最佳岗位")
        p.add_argument("--json", action="store_true")
        p.add_argument("--date", help="按该日期解释（默认今天）")

    def handle(self, *args, action, **options):
        if action == "run":
            return self._run(**options)
        return self._explain(**options)

    def _actor(self, username: str | None) -> Actor:
        if not username:
            return SYSTEM
        from bangfu.accounts.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"没有该用户：{username}")
        return user

    def _run(self, *, district, dry_run, json: bool, date, user, **_):
        from bangfu.jobs.services import match_run

        if district and (len(district) != 6 or district not in reference.divisions()):
            raise CommandError(f"未知的区县代码：{district}")
        result = match_run(actor=self._actor(user), area_code=district or None, dry_run=dry_run,
                           on=_day(date))
        if json:
            self.stdout.write(_json(result.to_json()))
            return
        console = Console(file=self.stdout, highlight=False, width=120)
        s = result.summary
        console.print(f"[bold]{'试算' if dry_run else '推送'}完成[/bold]：范围内 {s['workers_in_scope']:,} 人，"
                      f"在招岗位 {s['open_jobs']:,} 个，推送 {s['pushes']:,} 条给 {s['workers_pushed']:,} 人，"
                      f"涉及 {s['jobs_pushed']:,} 个岗位（{s['seconds']} 秒）")
        table = Table("人员", "岗位", "得分", "推荐理由")
        for p in result.pushes[:20]:
            table.add_row(str(p["person"]), str(p["job"]), f"{p['score']:.3f}", "；".join(p["reasons"]))
        if result.pushes:
            console.print(table)

    def _explain(self, *, person, job, json: bool, date, **_):
        from bangfu.jobs.matching import explain_for, recommendations_for
        from bangfu.jobs.models import JobPosting
        from bangfu.registry.models import Person

        on = _day(date)
        who = Person.objects.filter(pk=person).first()
        if who is None:
            raise CommandError(f"没有该人员：{person}")
        if job is None:
            recs = recommendations_for(who, on=on, k=10)
            data = {"person": person, "recommendations": [
                {"job": r["posting"].pk, "title": r["posting"].title, **r["explanation"].as_dict()} for r in recs]}
            if json:
                self.stdout.write(_json(data))
                return
            console = Console(file=self.stdout, highlight=False, width=140)
            table = Table("岗位", "名称", "得分", "推荐理由")
            for r in data["recommendations"]:
                table.add_row(str(r["job"]), r["title"], f"{r['score']:.3f}", "；".join(r["reasons"]))
            console.print(table if recs else "没有可推荐的岗位")
            return
        posting = JobPosting.objects.filter(pk=job).first()
        if posting is None:
            raise CommandError(f"没有该岗位：{job}")
        data = explain_for(who, posting, on=on).as_dict()
        if json:
            self.stdout.write(_json(data))
            return
        console = Console(file=self.stdout, highlight=False, width=120)
        console.print(f"[bold]人员 {person} × 岗位 {job}（{posting.title}）[/bold]")
        if data["vetoes"]:
            console.print("否决：" + "；".join(v["text"] for v in data["vetoes"]))
        else:
            console.print("否决：无（可以推荐）")
        table = Table("项目", "得分", "权重", "加权得分")
        for part in data["parts"]:
            table.add_row(part["label"], f"{part['value']:.3f}", f"{part['weight']}", f"{part['contribution']:.3f}")
        console.print(table)
        console.print(f"总分 {data['score']:.3f}；理由：" + "；".join(data["reasons"]))


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=None, default=str)
