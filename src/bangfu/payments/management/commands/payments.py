"""``bangfu payments``: a payment batch of any claim type after it was made.

    bangfu payments export BATCH_NUMBER --user fengdu [--out FILE.csv|FILE.xlsx|DIR] [--full]
    bangfu payments reverse BATCH_NUMBER LINE_NO --reason "…" --user fengdu   (a bank reversal, 退汇)
    bangfu payments reconcile BATCH_NUMBER --user fengdu
    bangfu payments cancel BATCH_NUMBER --reason "…" --user fengdu   (a batch never exported)
    bangfu import bank_return FILE --actor fengdu     (the bank's return file)

Batches are made by the app whose claims they pay (``bangfu policy batch`` for entitlements).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.actors import SYSTEM, Actor
from bangfu.core.money import format_yuan


def command_user(username: str | None) -> Actor:
    """The active user of that name (the system actor without one), or a CommandError."""
    if not username:
        return SYSTEM
    from bangfu.accounts.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user


def batch_of(actor: Actor, number: str):
    from bangfu.payments.selectors import batch_list

    batch = batch_list(user=actor).filter(number=number).first()
    if batch is None:
        raise CommandError("批次不存在或不在您的管辖区域内")
    return batch


def bank_file_write(actor: Actor, batch, *, out: str | None, full: bool, fmt: str = "") -> Path:
    """Write the bank file through the export service to ``out``: a .csv/.xlsx file, or a folder
    for the batch's own file name. The file appears whole or not at all."""
    from bangfu.payments.services import payment_batch_export

    target = Path(out or ".")
    to_file = not fmt and target.suffix.lower() in (".csv", ".xlsx") and not target.is_dir()
    fmt = fmt or (target.suffix.lower().lstrip(".") if to_file else "csv")
    content, name, _ctype = payment_batch_export(actor=actor, batch=batch, fmt=fmt, full=full)
    if not to_file:
        target = target / name
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".bank-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def payment_reverse_line(stdout, *, actor: Actor, number: str, line: int, reason: str) -> None:
    from bangfu.payments.services import payment_reverse

    payment = batch_of(actor, number).payments.filter(line_no=line).first()
    if payment is None:
        raise CommandError(f"批次 {number} 没有第 {line} 笔")
    payment = payment_reverse(actor=actor, payment=payment, reason=reason)
    stdout.write(f"已登记退汇：批次 {number} 第 {line} 笔，{format_yuan(payment.amount_fen)} 元；"
                 "待遇已退回“发放失败”，核实账户后可生成失败重发批次")


def batch_reconcile(stdout, *, actor: Actor, number: str) -> None:
    from bangfu.payments.services import payment_batch_reconcile

    batch = batch_of(actor, number)
    for ch in payment_batch_reconcile(actor=actor, batch=batch):
        stdout.write(f"{'✓' if ch.ok else '✗'} {ch.label}：{ch.detail}")
    batch.refresh_from_db()
    stdout.write(f"批次状态：{batch.get_status_display()}")


class Command(BaseCommand):
    help = "支付批次：重新导出银行文件、登记退汇、对账、作废未导出的批次"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("export", help="写出批次的银行文件（如生成批次后进程中断）")
        p.add_argument("number", help="批次号")
        p.add_argument("--user", required=True)
        p.add_argument("--out", help="文件（.csv 或 .xlsx）或目录（默认当前目录）")
        p.add_argument("--full", action="store_true", help="导出完整账号（需要相应权限，记入操作日志）")
        p = sub.add_parser("reverse", help="登记银行退汇：已成功的一笔改为已退汇，待遇退回发放失败以便重发")
        p.add_argument("number", help="批次号")
        p.add_argument("line", type=int, help="序号")
        p.add_argument("--reason", required=True, help="退汇原因（必填，记入操作日志）")
        p.add_argument("--user", required=True)
        p = sub.add_parser("reconcile", help="对账")
        p.add_argument("number")
        p.add_argument("--user", required=True)
        p = sub.add_parser("cancel", help="作废银行文件尚未导出的批次，其中的待遇可重新生成批次")
        p.add_argument("number")
        p.add_argument("--reason", required=True, help="作废原因（必填，记入操作日志）")
        p.add_argument("--user", required=True)

    def handle(self, *args, action, **opts):
        try:
            getattr(self, "do_" + action)(**opts)
        except (PermissionDenied, ValidationError) as exc:
            raise CommandError(_message(exc)) from None

    def do_export(self, number, user, out=None, full=False, **opts):
        actor = command_user(user)
        self.stdout.write(f"银行文件：{bank_file_write(actor, batch_of(actor, number), out=out, full=full)}")

    def do_reverse(self, number, line, reason, user, **opts):
        payment_reverse_line(self.stdout, actor=command_user(user), number=number, line=line, reason=reason)

    def do_reconcile(self, number, user, **opts):
        batch_reconcile(self.stdout, actor=command_user(user), number=number)

    def do_cancel(self, number, reason, user, **opts):
        from bangfu.payments.services import payment_batch_cancel

        actor = command_user(user)
        batch = payment_batch_cancel(actor=actor, batch=batch_of(actor, number), reason=reason)
        self.stdout.write(f"批次 {batch.number} 已作废（{batch.line_count:,} 笔），其中的待遇可重新生成批次")


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)
