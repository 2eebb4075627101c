"""``bangfu policy``: subsidies without application from the command line.

    bangfu policy list
    bangfu policy features [--kind person]
    bangfu policy load --examples | FILE.yaml ...
    bangfu policy run CODE --period 2024 [--engine duckdb|sqlite|postgres|spark] [--area 500230] [--commit] [--json]
    bangfu policy explain CODE --period 2024 (--person ID | --enterprise USCC | --workshop CODE | --helper ID) [--json]
    bangfu policy approve CODE --period 2024 --user fengdu [--township 500230101]
    bangfu policy batch CODE --period 2024 --user fengdu [--rebatch] [--out DIR] [--full]
    bangfu policy batch --export BATCH_NUMBER --user fengdu [--out FILE.csv|FILE.xlsx] [--full]
    bangfu policy reverse BATCH_NUMBER LINE_NO --reason "…" --user fengdu   (a bank reversal, 退汇)
    bangfu policy reconcile BATCH_NUMBER --user fengdu
    bangfu import bank_return FILE --actor fengdu     (the bank's return file)

The last three are ``bangfu payments export|reverse|reconcile`` (any claim type), kept here for
the officers who know them.

A run previews unless ``--commit``; committing twice adds nothing and says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.table import Table

from bangfu.core.money import format_yuan
from bangfu.core.pii import pii_hash
from bangfu.core.engine import set_spark_master
from bangfu.engine import features as ft
from bangfu.engine.backends import EngineError
from bangfu.engine.policy.definition import DefinitionError, from_yaml
from bangfu.policies import choices as c


class Command(BaseCommand):
    help = "免申即享：政策载入、试算、生成待遇、解释、审核、支付批次和对账"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="列出政策")
        p = sub.add_parser("features", help="特征目录")
        p.add_argument("--kind", choices=ft.KINDS)
        p = sub.add_parser("load", help="载入 YAML 政策（新建或保存为新版本）")
        p.add_argument("files", nargs="*")
        p.add_argument("--examples", action="store_true", help="载入内置的示例政策")
        p.add_argument("--user", help="以该用户身份（默认 system）")
        p = sub.add_parser("run", help="试算（预览）或生成待遇（--commit）")
        p.add_argument("code")
        p.add_argument("--period", required=True)
        p.add_argument("--engine", choices=c.Engine.values, default=None, help="计算引擎（默认按设置 ENGINE，通常为 duckdb）")
        p.add_argument("--spark-master", default=None, help="Spark 集群地址（--engine spark 时）：spark://主机:端口")
        p.add_argument("--area", help="区域代码（默认全市 50）")
        p.add_argument("--commit", action="store_true", help="写入待遇（重复运行不会重复写入）")
        p.add_argument("--json", action="store_true")
        p.add_argument("--user")
        p = sub.add_parser("explain", help="解释某个对象为什么符合或不符合")
        p.add_argument("code")
        p.add_argument("--period", required=True)
        who = p.add_mutually_exclusive_group(required=True)
        who.add_argument("--person", help="人员编号或身份证号")
        who.add_argument("--enterprise", help="企业统一社会信用代码或编号")
        who.add_argument("--workshop", help="帮扶车间认定编号或编号")
        who.add_argument("--helper", help="帮扶人员编号")
        p.add_argument("--json", action="store_true")
        p = sub.add_parser("approve", help="审核通过待审核的待遇")
        p.add_argument("code")
        p.add_argument("--period", required=True)
        p.add_argument("--user", required=True)
        p.add_argument("--township")
        p = sub.add_parser("batch", help="生成支付批次并导出银行文件；--export 重新写出已有批次的银行文件")
        p.add_argument("code", nargs="?")
        p.add_argument("--period")
        p.add_argument("--user", required=True)
        p.add_argument("--rebatch", action="store_true", help="对发放失败且已更正账户的待遇重新生成批次")
        p.add_argument("--export", metavar="BATCH", help="重新写出该批次的银行文件（如生成批次后进程中断）")
        p.add_argument("--out", help="生成批次时为输出目录（默认当前目录）；--export 时为文件（.csv 或 .xlsx）或目录")
        p.add_argument("--full", action="store_true", help="导出完整账号（需要相应权限，记入操作日志）")
        p = sub.add_parser("reverse", help="登记银行退汇：已成功的一笔改为已退汇，待遇退回发放失败以便重发")
        p.add_argument("number", help="批次号")
        p.add_argument("line", type=int, help="序号")
        p.add_argument("--reason", required=True, help="退汇原因（必填，记入操作日志）")
        p.add_argument("--user", required=True)
        p = sub.add_parser("reconcile", help="对账")
        p.add_argument("number")
        p.add_argument("--user", required=True)

    def handle(self, *args, **opts):
        self.console = Console(file=self.stdout, highlight=False, width=None if self.stdout.isatty() else 120)
        try:
            getattr(self, "do_" + opts["action"])(**opts)
        except (PermissionDenied, ValidationError, DefinitionError) as exc:
            raise CommandError(_message(exc)) from None
        except Exception as exc:
            from bangfu.policies.services import PolicyRunError

            if isinstance(exc, PolicyRunError):
                raise CommandError(str(exc)) from None
            raise

    # ---- helpers ---------------------------------------------------------------------------
    def _user(self, username):
        from bangfu.payments.management.commands.payments import command_user

        return command_user(username)

    def _policy(self, code):
        from bangfu.policies.models import Policy

        policy = Policy.objects.select_related("current_version").filter(code=code).first()
        if policy is None:
            raise CommandError(f"政策“{code}”不存在；先运行 bangfu policy load --examples")
        return policy

    # ---- actions ---------------------------------------------------------------------------
    def do_list(self, **opts):
        from bangfu.policies.selectors import policy_list

        table = Table(title="补贴政策")
        for h in ("代码", "名称", "受益对象", "版本", "依据", "启用"):
            table.add_column(h)
        for p in policy_list():
            v = p.current_version
            table.add_row(p.code, v.name if v else "", v.get_beneficiary_kind_display() if v else "",
                          str(v.number) if v else "", v.legal_basis if v else "", "是" if p.active else "否")
        self.console.print(table)

    def do_features(self, kind=None, **opts):
        table = Table(title="特征目录")
        for h in ("对象", "写法", "名称", "类型", "说明"):
            table.add_column(h)
        for f in ft.CATALOGUE:
            if kind and f.kind != kind:
                continue
            table.add_row(ft.KIND_LABELS[f.kind], f.signature, f.label, ft.TYPE_LABELS[f.type], f.description)
        self.console.print(table)

    def do_load(self, files, examples, user=None, **opts):
        from bangfu.policies.services import policy_load, policy_load_examples

        actor = self._user(user)
        if not files and not examples:
            raise CommandError("请给出 YAML 文件或 --examples")
        outcomes = policy_load_examples(actor=actor) if examples else {}
        for name in files:
            definition = from_yaml(Path(name).read_text(encoding="utf-8"))
            outcomes[definition.code] = policy_load(definition=definition, actor=actor)[1]
        labels = {"created": "新建", "updated": "已保存新版本", "unchanged": "无变化"}
        for code, outcome in outcomes.items():
            self.stdout.write(f"{code}: {labels[outcome]}")

    def do_run(self, code, period, engine, area, commit, json, user=None, spark_master=None, **opts):
        try:
            set_spark_master(spark_master)
        except EngineError as exc:
            raise CommandError(str(exc)) from None
        from bangfu.policies.services import policy_run, run_json

        policy = self._policy(code)
        run = policy_run(policy=policy, period=period, actor=self._user(user), commit=commit, engine=engine,
                         area_code=area or "50")
        data = run_json(run)
        if json:
            self.stdout.write(_json(data))
            return
        self._print_run(run, data)

    def _print_run(self, run, data):
        from bangfu.core.reference import area_name

        mode = "生成待遇" if data["mode"] == "commit" else "试算预览"
        self.console.print(f"[bold]{run.version.name}[/bold] {data['period']}年 {mode}（引擎 {data['engine']}，{data['seconds']} 秒）")
        self.console.print(f"符合条件：{data['eligible']:,}　金额合计：{format_yuan(run.total_fen)} 元")
        if data["mode"] == "commit":
            self.console.print(f"新增待遇：{data['created']:,}　此前已存在：{data['already_existed']:,}")
        for m in data["messages"]:
            self.console.print(m)
        table = Table(title="按区县")
        for h in ("区县", "人数（户数）", "金额（元）"):
            table.add_column(h)
        for d in data["by_district"]:
            table.add_row(area_name(d["district_code"]), f"{d['count']:,}", format_yuan(round(d["total_yuan"] * 100)))
        self.console.print(table)
        for s in (run.result or {}).get("sample", [])[:5]:
            self.console.print(f"  #{s['id']}：{s['summary']}")

    def do_explain(self, code, period, person=None, enterprise=None, workshop=None, helper=None, json=False,
                   **opts):
        from bangfu.employers.models import Employer
        from bangfu.engine.policy import explain_beneficiary
        from bangfu.network.models import Helper, Workshop
        from bangfu.policies.services.runs import open_engine_for_explain
        from bangfu.registry.models import Person

        policy = self._policy(code)
        definition = policy.current_version.to_definition()
        if person:
            kind = "person"
            obj = (Person.objects.filter(pk=int(person)).first() if person.isdigit() and len(person) < 15
                   else Person.objects.filter(id_number_hash=pii_hash(person)).first())
        elif enterprise:
            kind = "enterprise"
            obj = Employer.objects.filter(uscc=enterprise.upper()).first() or (
                Employer.objects.filter(pk=int(enterprise)).first() if enterprise.isdigit() else None)
        elif helper:
            kind = "helper"
            obj = Helper.objects.filter(pk=int(helper)).first() if helper.isdigit() else None
        else:
            kind = "workshop"
            by_code = list(Workshop.objects.filter(code=workshop)[:2])  # 认定编号 are unique per district
            if len(by_code) > 1:
                raise CommandError("该认定编号在多个区县使用，请填写车间编号")
            obj = by_code[0] if by_code else (
                Workshop.objects.filter(pk=int(workshop)).first() if workshop.isdigit() else None)
        if obj is None:
            raise CommandError("未找到该对象")
        if definition.beneficiary != kind:
            raise CommandError(f"该政策的受益对象是{ft.KIND_LABELS[definition.beneficiary]}")
        try:
            ft.Period.parse(period)
        except ft.PeriodError as exc:
            raise CommandError(str(exc)) from None
        with open_engine_for_explain() as eng:
            exp = explain_beneficiary(eng, definition, period, obj.pk)
        if json:
            self.stdout.write(_json({**exp.to_json(), "name": str(obj)}))
            return
        self.console.print(f"对象：{obj}（编号 {obj.pk}）")
        for line in exp.lines():
            self.console.print(line)

    def do_approve(self, code, period, user, township=None, **opts):
        from bangfu.policies.services import entitlement_approve
        from bangfu.policies.selectors import entitlement_list

        actor = self._user(user)
        qs = entitlement_list(user=actor, data={"policy": code, "period": period, "status": "pending",
                                                "township": township or ""}, strict=True)
        n = entitlement_approve(actor=actor, queryset=qs)
        self.stdout.write(f"已审核通过 {n:,} 条待遇")

    def do_batch(self, code, period, user, rebatch, export, out, full, **opts):
        from bangfu.payments.management.commands.payments import bank_file_write, batch_of
        from bangfu.policies.services import entitlement_batch_create

        actor = self._user(user)
        if export:
            path = bank_file_write(actor, batch_of(actor, export), out=out, full=full)
            self.stdout.write(f"银行文件：{path}")
            return
        if not code or not period:
            raise CommandError("请给出政策代码和 --period（或用 --export 批次号 重新导出）")
        result = entitlement_batch_create(actor=actor, policy=self._policy(code), period=period, rebatch=rebatch)
        batch = result.batch
        self.stdout.write(f"批次 {batch.number}：{batch.line_count:,} 笔，{format_yuan(batch.total_fen)} 元，校验码 {batch.checksum}")
        if result.without_account:
            self.stdout.write(f"{result.without_account:,} 条待遇缺少收款账户，未纳入批次")
        if result.uncorrected:
            self.stdout.write(f"{result.uncorrected:,} 条失败待遇的账户尚未更正，未纳入批次")
        for fmt in ("csv", "xlsx"):
            path = bank_file_write(actor, batch, out=out, full=full, fmt=fmt)
            self.stdout.write(f"银行文件：{path}")
        self.stdout.write(f"如写出文件前中断，可运行 bangfu payments export {batch.number} --user {user} 重新导出")

    def do_reverse(self, number, line, reason, user, **opts):
        from bangfu.payments.management.commands.payments import payment_reverse_line

        payment_reverse_line(self.stdout, actor=self._user(user), number=number, line=line, reason=reason)

    def do_reconcile(self, number, user, **opts):
        from bangfu.payments.management.commands.payments import batch_reconcile

        batch_reconcile(self.stdout, actor=self._user(user), number=number)


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)
