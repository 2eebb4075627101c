"""``bangfu import bank_return FILE``: the bank's return of a payment batch, one line per payment.

``check`` gives the early, complete error list (unknown batch or line, wrong amount or account,
a line already settled otherwise) and prepares the texts to the payees ("您已免申领取…"); it runs before the write
transaction, so it proves nothing about the moment of writing. The decision is made again in
``commit``, inside the transaction, by ``payment_results_apply`` (batch locked, compare-and-set
per line): of two returns imported at once, the second is refused line by line.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.imports import CellError, Column, CommitRefused, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.payments import choices as c
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.payments.services.accounts import normalise_account
from bangfu.payments.services.batches import CAPABILITY_PAY
from bangfu.payments.services.settlement import (
    ERR_LINE_UNKNOWN, BankResult, BankReturnRefused, paid_notices_prepare, payment_results_apply, settled_message,
)

ERR_DUPLICATE = gettext_noop("与第{row}行重复")
ERR_BATCH_UNKNOWN = gettext_noop("批次号不存在，或不在您的管辖区域内")
ERR_BATCH_NOT_EXPORTED = gettext_noop("该批次的银行文件尚未导出，不能导入回盘")
ERR_AMOUNT_MISMATCH = gettext_noop("金额 {value} 元与批次中该笔金额 {expected} 元不一致")
ERR_ACCOUNT_MISMATCH = gettext_noop("银行账号尾号与批次中该笔不一致")
ERR_RESULT = gettext_noop("处理结果应为“成功”或“失败”")
ERR_LINE_NUMBER = gettext_noop("序号应为正整数")
COL_LINE = "序号"
COL_RESULT = "处理结果"
RESULTS = {"成功": True, "已成功": True, "交易成功": True, "success": True, "paid": True,
           "失败": False, "交易失败": False, "退票": False, "failed": False, "fail": False}


def _result(text: str) -> bool:
    value = RESULTS.get(text.strip().lower())
    if value is None:
        raise CellError(ERR_RESULT)
    return value


def _line(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError as exc:
        raise CellError(ERR_LINE_NUMBER) from exc
    if value <= 0:
        raise CellError(ERR_LINE_NUMBER)
    return value


class BankReturnImporter(Importer):
    kind = "bank_return"
    title = gettext_noop("银行回盘文件")
    capability = CAPABILITY_PAY
    description = gettext_noop("银行处理支付批次后返回的结果：每笔一行，批次号、序号、金额和处理结果（成功/失败）。")
    commit_may_refuse = True
    columns = (
        Column("batch", "批次号", ("batch", "batch_number"), required=True, example="ZF2025010100001"),
        Column("line_no", COL_LINE, ("line", "line_no", "明细序号"), required=True, parse=_line, example="1"),
        Column("payee", "收款人", ("payee", "户名"), help="仅供核对", example="张三"),
        Column("account", "银行账号", ("account", "账号", "卡号"), help="可为脱敏账号，核对尾号4位",
               example="6214***********4567"),
        Column("amount", "金额（元）", ("amount", "金额", "交易金额"), required=True, parse=parsers.yuan_to_fen(), example="200"),
        Column("paid", COL_RESULT, ("result", "status", "结果", "交易状态"), required=True, parse=_result,
               example="成功", choices=("成功", "失败")),
        Column("reason", "失败原因", ("reason", "备注"), example=""),
        Column("reference", "银行流水号", ("reference", "流水号"), example=""),
    )

    def check(self, rows, *, actor: Actor):
        errors: list[RowError] = []
        numbers = {r.values["batch"] for r in rows}
        batches = {b.number: b for b in PaymentBatch.objects.restrict(actor).filter(number__in=numbers)}
        lines = {(p.batch_id, p.line_no): p for p in Payment.objects.filter(batch__in=list(batches.values()))}
        seen: dict[tuple[str, int], int] = {}
        newly_paid: dict[int, list[tuple[object, Payment]]] = defaultdict(list)
        for row in rows:
            v = row.values
            batch = batches.get(v["batch"])
            if batch is None:
                errors.append(RowError(row.number, "批次号", ERR_BATCH_UNKNOWN))
                continue
            if batch.status == c.BatchStatus.CREATED:
                errors.append(RowError(row.number, "批次号", ERR_BATCH_NOT_EXPORTED))
                continue
            key = (v["batch"], v["line_no"])
            if key in seen:
                errors.append(RowError(row.number, COL_LINE, ERR_DUPLICATE.format(row=seen[key])))
                continue
            seen[key] = row.number
            payment = lines.get((batch.pk, v["line_no"]))
            if payment is None:
                errors.append(RowError(row.number, COL_LINE, ERR_LINE_UNKNOWN))
                continue
            if v["amount"] != payment.amount_fen:
                errors.append(RowError(row.number, "金额（元）", ERR_AMOUNT_MISMATCH.format(
                    value=f"{v['amount'] / 100:.2f}", expected=f"{payment.amount_fen / 100:.2f}")))
                continue
            digits = normalise_account(v["account"]).replace("*", "")
            if v["account"] and len(digits) >= 4 and digits[-4:] != payment.account[-4:]:
                errors.append(RowError(row.number, "银行账号", ERR_ACCOUNT_MISMATCH))
                continue
            target = c.PaymentStatus.PAID if v["paid"] else c.PaymentStatus.FAILED
            if payment.status not in (c.PaymentStatus.PENDING, target):
                errors.append(RowError(row.number, COL_RESULT, settled_message(payment.status, target)))
                continue
            row.meta["batch"] = batch
            if v["paid"] and payment.status == c.PaymentStatus.PENDING:
                newly_paid[batch.pk].append((row, payment))
        # The texts to the people paid, prepared here so the write transaction only inserts them.
        for pairs in newly_paid.values():
            notices = paid_notices_prepare(pairs[0][0].meta["batch"], [p for _r, p in pairs])
            for row, payment in pairs:
                row.meta["notice"] = notices.get(payment.pk)
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        results = [BankResult(batch=r.meta["batch"], line_no=r.values["line_no"], paid=r.values["paid"],
                              reason=r.values["reason"], reference=r.values["reference"], row=r.number,
                              notice=r.meta.get("notice")) for r in rows]
        try:
            counts = payment_results_apply(actor=actor, results=results)
        except BankReturnRefused as refused:
            raise CommitRefused([RowError(x.row, COL_LINE if x.field == "line" else COL_RESULT, x.message)
                                 for x in refused.refusals]) from None
        result.updated = counts["paid"] + counts["failed"]
        result.unchanged = counts["unchanged"]

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        pending = set(Payment.objects.filter(batch__in={r.meta["batch"] for r in rows}, status=c.PaymentStatus.PENDING)
                      .values_list("batch_id", "line_no"))
        for r in rows:
            if (r.meta["batch"].pk, r.values["line_no"]) in pending:
                result.updated += 1
            else:
                result.unchanged += 1

    def template_rows(self):
        return [["ZF2025010100001", "1", "张三", "6214***********4567", "200", "成功", "", "B2025010100001"],
                ["ZF2025010100001", "2", "李四", "6228***********0021", "50", "失败", "账户已销户", ""]]
