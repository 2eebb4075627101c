"""The posts' pay paid, for ``bangfu generate`` (a step after the policies step, which opens the
payee accounts): each month's approved pay claims become one payment batch, exported on the
5th and returned paid by the bank on the 10th of the next month — for the placed persons who
have a payee account. The others stay approved (缺少收款账户), as a real month leaves them; so
do the claims of a month whose next month is after ``ctx.as_of``.

Money counts in ``welfare_post_paid_yuan_ytd`` (not in 政策兑现资金: ``PostPayClaims.policy_funds``).
"""

from __future__ import annotations

import datetime as dt
import time

from bangfu.core.actors import SYSTEM
from bangfu.core.months import month_range, shift_month

EXPORT_DAY, SETTLE_DAY = 5, 10


def payable_months(as_of: dt.date) -> list[str]:
    """The months whose pay the bank has returned by ``as_of`` (the 10th of the next month)."""
    last = as_of.strftime("%Y-%m")
    months = []
    for month in month_range(f"{as_of.year}-01", last):
        after = shift_month(month, 1)
        if dt.date(int(after[:4]), int(after[5:]), SETTLE_DAY) <= as_of:
            months.append(month)
    return months


def generate_step(ctx) -> None:
    if not ctx.load:
        return
    from django.db import connection, transaction

    from bangfu.core.audit import audit_record
    from bangfu.payments.models import PayeeAccount, Payment, PaymentBatch
    from bangfu.posts.models import PostPay
    from bangfu.posts.payables import CLAIM_TYPE, PostPayClaims
    from bangfu.registry.generate.loader import _insert, _next_id, local_datetime
    from bangfu.registry.models import Person

    started = time.perf_counter()
    months = payable_months(ctx.as_of)
    pay, account, person = (connection.ops.quote_name(m._meta.db_table) for m in (PostPay, PayeeAccount, Person))
    counts = {"batches": 0, "payments": 0, "paid_fen": 0}
    with transaction.atomic(), connection.cursor() as cursor:
        batch_id, payment_id = _next_id(PaymentBatch), _next_id(Payment)
        for month in months:
            cursor.execute(
                f"SELECT p.id, p.person_id, p.amount_fen, p.district_code, p.township_code, a.bank_name, a.account, "
                f"a.account_hash, s.name FROM {pay} p JOIN {account} a ON a.person_id = p.person_id "
                f"JOIN {person} s ON s.id = p.person_id WHERE p.month = %s AND p.status = 'approved' ORDER BY p.id",
                [month])
            rows = cursor.fetchall()
            if not rows:
                continue
            paid_on = shift_month(month, 1)
            year, number = int(paid_on[:4]), int(paid_on[5:])
            exported, settled = (local_datetime(year, number, EXPORT_DAY, 11), local_datetime(year, number, SETTLE_DAY, 10))
            fen = sum(r[2] for r in rows)
            _insert(PaymentBatch, {
                "id": [batch_id], "number": [f"GW{paid_on.replace('-', '')}G{batch_id:05d}"],
                "claim_type": CLAIM_TYPE, "scope": month, "purpose": PostPayClaims().purpose(month)[:200],
                "area_code": "50", "status": "settled", "line_count": len(rows), "total_fen": fen,
                "paid_count": len(rows), "paid_fen": fen, "created_at": exported, "exported_at": exported,
                "settled_at": settled}, 1)
            k = len(rows)
            _insert(Payment, {
                "id": list(range(payment_id, payment_id + k)), "batch_id": batch_id, "line_no": list(range(1, k + 1)),
                "claim_type": CLAIM_TYPE, "claim_id": [r[0] for r in rows], "payee_person_id": [r[1] for r in rows],
                "payee_employer_id": None, "payee_name": [r[8] for r in rows], "bank_name": [r[5] for r in rows],
                "account": [r[6] for r in rows], "account_hash": [r[7] for r in rows],
                "amount_fen": [r[2] for r in rows], "status": "paid",
                "bank_reference": [f"GW{payment_id + j:012d}" for j in range(k)], "settled_at": settled,
                "district_code": [r[3] for r in rows], "township_code": [r[4] for r in rows]}, k)
            cursor.execute(f"UPDATE {pay} SET status = 'paid' WHERE month = %s AND status = 'approved' AND "
                           f"person_id IN (SELECT person_id FROM {account})", [month])
            payment_id += k
            batch_id += 1
            counts["batches"] += 1
            counts["payments"] += k
            counts["paid_fen"] += fen
            ctx.progress("岗位补贴发放", months.index(month) + 1, len(months))
        from django.core.management.color import no_style

        for sql in connection.ops.sequence_reset_sql(no_style(), [PaymentBatch, Payment]):
            cursor.execute(sql)
        audit_record(actor=SYSTEM, action="welfare_post.generate_pay", area_code="50", detail=counts)
    ctx.counts["posts_pay"] = counts
    ctx.say(f"已发放公益性岗位补贴 {counts['payments']:,} 笔（{counts['paid_fen'] / 1e6:,.1f} 万元），"
            f"{counts['batches']} 个批次，用时 {time.perf_counter() - started:.1f} 秒")
