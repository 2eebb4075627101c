"""Payee accounts and the bank's return file of a batch."""

from __future__ import annotations

import csv
import io

import factory

from bangfu.core.pii import pii_hash
from bangfu.payments.models import PayeeAccount
from bangfu.registry.tests.factories import PersonFactory


class PayeeAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayeeAccount

    person = factory.SubFactory(PersonFactory)
    bank_name = "中国邮政储蓄银行"
    account = factory.Sequence(lambda n: f"6217{n:015d}")
    account_hash = factory.LazyAttribute(lambda o: pii_hash(o.account))


def bank_return(batch, failed_lines=(), amounts=None) -> bytes:
    """The bank's return file (CSV) of ``batch``: every line paid except ``failed_lines``."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["批次号", "序号", "收款人", "银行账号", "金额（元）", "处理结果", "失败原因", "银行流水号"])
    for p in batch.payments.order_by("line_no"):
        amount = (amounts or {}).get(p.line_no, p.amount_fen)
        failed = p.line_no in failed_lines
        w.writerow([batch.number, p.line_no, p.payee_name, p.account_masked, f"{amount / 100:.2f}",
                    "失败" if failed else "成功", "账户已销户" if failed else "", f"R{p.line_no}"])
    return out.getvalue().encode("utf-8")
