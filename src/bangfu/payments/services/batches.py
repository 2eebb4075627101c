"""Direct payment (直补快办) of any kind of claim: batches, the bank file, re-batching of failed
lines, reconciliation and withdrawal of a batch never sent. The bank's return and reversals are
in ``settlement``; what a claim is, in ``bangfu.payments.claims``.

A batch takes its claims by compare-and-set on their state inside its transaction (and the
database keeps each claim in at most one live payment), so two batch creations at once make one
batch; the other is refused in Chinese."""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, Forbidden, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.exports import workbook_bytes
from bangfu.core.money import fen_to_yuan, format_yuan
from bangfu.core.pii import mask_bank_account
from bangfu.core.scoping import area_level
from bangfu.payments import choices as c
from bangfu.payments.claims import BATCHED, CANCELLED, ClaimType
from bangfu.payments.claims import claim_type as claim_type_of  # the argument is named claim_type
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.payments.services.accounts import Payee, payees_for

# The capability that lets an officer pay (审核补贴和支付); the actors refactor will name it.
CAPABILITY_PAY = Capability.APPROVE_PAYMENTS
CAPABILITY_FULL = Capability.VIEW_FULL_PII
ERR_NO_PAY = gettext_noop("生成支付批次和导入银行回盘需要区县或市级经办人员的审核权限")
ERR_NO_FULL = gettext_noop("您没有查看完整银行账号的权限，只能导出脱敏文件")
ERR_NOTHING_TO_PAY = gettext_noop("没有可支付的待遇（已审核且有收款账户）")
ERR_NOT_SETTLED = gettext_noop("还有 {n} 笔未回盘，不能对账")
ERR_BATCHED_MEANWHILE = gettext_noop("这些待遇刚刚已被另一个支付批次纳入（其他操作同时生成了批次），本次未生成批次，请刷新后查看")
ERR_CANCEL_EXPORTED = gettext_noop("银行文件已导出的批次不能作废（银行可能已在处理）；请等待回盘")
ERR_CANCEL_REASON = gettext_noop("请填写作废原因")
ERR_CHANGED = gettext_noop("该批次刚刚被其他操作修改，本次未作废，请刷新后查看")
ERR_CANCELLED = gettext_noop("该批次已作废")
P = c.PaymentStatus


def check_payer(actor: Actor) -> None:
    """Paying is a district (or city) role: the capability and an area above township level."""
    require(actor, CAPABILITY_PAY, _(ERR_NO_PAY))
    if area_level(actor.area_code) == "township":
        raise Forbidden(_(ERR_NO_PAY))


@dataclass
class BatchResult:
    batch: PaymentBatch | None
    lines: int = 0
    total_fen: int = 0
    without_account: int = 0
    uncorrected: int = 0
    messages: list[str] = field(default_factory=list)


def batch_checksum(batch: PaymentBatch, lines: Iterable[tuple[int, int, str, int]] | None = None) -> str:
    """SHA-256 over the batch header and every (line, claim, account hash, amount)."""
    if lines is None:
        lines = batch.payments.order_by("line_no").values_list("line_no", "claim_id", "account_hash", "amount_fen")
    h = hashlib.sha256()
    rows = list(lines)
    h.update(f"{batch.number}|{len(rows)}|{sum(r[3] for r in rows)}\n".encode())
    for line_no, claim_id, account_hash, amount in rows:
        h.update(f"{line_no}|{claim_id}|{account_hash}|{amount}\n".encode())
    return h.hexdigest()


def _last_failures(kind: ClaimType, claim_ids: list[int]) -> dict[int, object]:
    """{claim id: when its latest failed or reversed payment stopped} (re-batching)."""
    out: dict[int, object] = {}
    for start in range(0, len(claim_ids), 5000):
        out.update(Payment.objects.filter(claim_type=kind.code, claim_id__in=claim_ids[start:start + 5000],
                                          status__in=c.PAYMENT_FAILED_STATUSES)
                   .values("claim_id").annotate(last=Max(Coalesce("reversed_at", "settled_at")))
                   .values_list("claim_id", "last"))
    return out


@transaction.atomic
def payment_batch_create(*, actor: Actor, claim_type: str, scope: str, rebatch: bool = False,
                         include_uncorrected: bool = False) -> BatchResult:
    """A batch of the claims of ``claim_type`` and ``scope`` in the actor's area that are ready
    and have an account; with ``rebatch`` the failed ones instead (by default only those whose
    account was corrected after the failure, so the bank is not sent the same wrong account)."""
    check_payer(actor)
    kind = claim_type_of(claim_type)
    claims = list(kind.claimable(actor=actor, scope=scope, rebatch=rebatch).select_for_update())
    lines = kind.lines(claims)
    payees = payees_for(lines)
    result = BatchResult(batch=None)
    picked: list[tuple[object, Payee]] = []
    failed_at = _last_failures(kind, [x.claim_id for x in lines]) if rebatch else {}
    for line in lines:
        payee = payees.get(line.claim_id)
        if payee is None:
            result.without_account += 1
            continue
        if rebatch and not include_uncorrected:
            last_failure = failed_at.get(line.claim_id)
            if last_failure is not None and payee.updated_at is not None and payee.updated_at <= last_failure:
                result.uncorrected += 1
                continue
        picked.append((line, payee))
    if not picked:
        raise ValidationError(_(ERR_NOTHING_TO_PAY))
    batch = PaymentBatch.objects.create(
        number=f"TMP{uuid.uuid4().hex[:24]}", claim_type=kind.code, scope=scope, purpose=kind.purpose(scope)[:200],
        area_code=actor.area_code, is_rebatch=rebatch, created_by=actor_user(actor),
    )
    batch.number = f"ZF{timezone.localdate():%Y%m%d}{batch.pk:05d}"
    payments = [
        Payment(batch=batch, line_no=i, claim_type=kind.code, claim_id=x.claim_id, payee_person_id=p.person_id,
                payee_employer_id=p.employer_id, payee_name=p.name, bank_name=p.bank_name, account=p.account,
                account_hash=p.account_hash, amount_fen=x.amount_fen, district_code=x.district_code,
                township_code=x.township_code)
        for i, (x, p) in enumerate(picked, start=1)
    ]
    try:
        with transaction.atomic():  # the constraint: one live payment per claim
            Payment.objects.bulk_create(payments, batch_size=2000)
    except IntegrityError:
        raise ValidationError(_(ERR_BATCHED_MEANWHILE)) from None
    # Compare-and-set: the claims read above are still in the state they were picked in, or
    # another batch took them meanwhile and this one is rolled back.
    ids = [x.claim_id for x, _p in picked]
    if kind.on_payment_event(event=BATCHED, claim_ids=ids, rebatch=rebatch) != len(ids):
        raise ValidationError(_(ERR_BATCHED_MEANWHILE))
    batch.line_count = len(payments)
    batch.total_fen = sum(p.amount_fen for p in payments)
    batch.checksum = batch_checksum(batch, [(p.line_no, p.claim_id, p.account_hash, p.amount_fen) for p in payments])
    batch.save(update_fields=["number", "line_count", "total_fen", "checksum"])
    audit_record(actor=actor, action="payment_batch.create", obj=batch, area_code=actor.area_code,
                 detail={"number": batch.number, "claim_type": kind.code, "scope": scope, "lines": batch.line_count,
                         "total_fen": batch.total_fen, "rebatch": rebatch, "without_account": result.without_account,
                         "uncorrected": result.uncorrected})
    result.batch = batch
    result.lines = batch.line_count
    result.total_fen = batch.total_fen
    return result


BANK_FILE_HEADERS = [gettext_noop("序号"), gettext_noop("批次号"), gettext_noop("收款人"), gettext_noop("开户银行"),
                     gettext_noop("银行账号"), gettext_noop("金额（元）"), gettext_noop("用途"), gettext_noop("待遇编号")]


@transaction.atomic
def payment_batch_export(*, actor: Actor, batch: PaymentBatch, fmt: str = "csv", full: bool = False) -> tuple[bytes, str, str]:
    """The bank file: (content, file name, content type). Full account numbers only with the
    capability ``pii.view_full``; every export is audited (masked or full)."""
    check_payer(actor)
    if full:
        require(actor, CAPABILITY_FULL, _(ERR_NO_FULL))
    if batch.status == c.BatchStatus.CANCELLED:
        raise ValidationError(_(ERR_CANCELLED))
    rows = []
    for p in batch.payments.order_by("line_no"):
        rows.append([p.line_no, batch.number, p.payee_name, p.bank_name,
                     p.account if full else mask_bank_account(p.account),
                     str(fen_to_yuan(p.amount_fen)), batch.purpose, p.claim_id])
    footer = [
        [],
        [_("合计笔数"), batch.line_count],
        [_("合计金额（元）"), str(fen_to_yuan(batch.total_fen))],
        [_("批次校验码（SHA-256）"), batch.checksum],
    ]
    headers = [_(h) for h in BANK_FILE_HEADERS]
    stem = f"{batch.number}{'' if full else '_masked'}"
    if fmt == "xlsx":
        content = workbook_bytes(title=batch.number, headers=headers, rows=rows + footer,
                                 widths=[8, 18, 16, 22, 26, 14, 36, 12])
        name, ctype = f"{stem}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerows(rows)
        writer.writerows(footer)
        content = ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens UTF-8 CSV correctly
        name, ctype = f"{stem}.csv", "text/csv; charset=utf-8"
    # Compare-and-set: only the first export marks the batch exported (a second one, or one
    # racing it, leaves the first time in place).
    if PaymentBatch.objects.filter(pk=batch.pk, status=c.BatchStatus.CREATED).update(
            status=c.BatchStatus.EXPORTED, exported_at=timezone.now()):
        batch.refresh_from_db(fields=["status", "exported_at"])
    audit_record(actor=actor, action="payment_batch.export_full" if full else "payment_batch.export",
                 obj=batch, area_code=batch.area_code, detail={"number": batch.number, "format": fmt, "lines": len(rows)})
    return content, name, ctype


@transaction.atomic
def payment_batch_cancel(*, actor: Actor, batch: PaymentBatch, reason: str) -> PaymentBatch:
    """Withdraw a batch whose bank file was never exported (made by mistake, or for the wrong
    scope): its lines become ``cancelled`` and their claims go back to where they were taken
    from, to be batched again. Audited, with the reason."""
    check_payer(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _(ERR_CANCEL_REASON)})
    kind = claim_type_of(batch.claim_type)
    # The batch row is the lock: an export racing this one waits, then finds it cancelled.
    if not PaymentBatch.objects.select_for_update().filter(pk=batch.pk, status=c.BatchStatus.CREATED).exists():
        raise ValidationError(_(ERR_CANCEL_EXPORTED))
    ids = list(batch.payments.filter(status=P.PENDING).values_list("claim_id", flat=True))
    changed = batch.payments.filter(status=P.PENDING).update(status=P.CANCELLED)
    moved = kind.on_payment_event(event=CANCELLED, claim_ids=ids, rebatch=batch.is_rebatch)
    if changed != batch.line_count or moved != len(ids):
        raise ValidationError(_(ERR_CHANGED))
    PaymentBatch.objects.filter(pk=batch.pk).update(status=c.BatchStatus.CANCELLED)
    batch.refresh_from_db()
    audit_record(actor=actor, action="payment_batch.cancel", obj=batch, area_code=batch.area_code,
                 detail={"number": batch.number, "lines": changed, "reason": reason[:200]})
    return batch


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


def _claim_mismatches(kind: ClaimType, batch: PaymentBatch) -> tuple[int, int]:
    """(lines whose amount differs from their claim's, lines whose claim is in a state the
    bank's answer does not allow), read from the claim model through a subquery."""
    claims = kind.model._default_manager.filter(pk=OuterRef("claim_id"))
    lines = batch.payments.annotate(
        claim_amount=Subquery(claims.values(kind.amount_field)[:1]),
        claim_state=Subquery(claims.values(kind.status_field)[:1]),
    )
    amounts = lines.exclude(amount_fen=F("claim_amount")).count()
    states = (lines.filter(status=P.PAID).exclude(claim_state=kind.paid).count()
              + lines.filter(status__in=c.PAYMENT_FAILED_STATUSES)
              .exclude(claim_state__in=[kind.failed, kind.paying, kind.paid]).count())
    return amounts, states


@transaction.atomic
def payment_batch_reconcile(*, actor: Actor, batch: PaymentBatch) -> list[Check]:
    """Check that the batch balances and mark it reconciled; returns the checks made."""
    check_payer(actor)
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == c.BatchStatus.CANCELLED:
        raise ValidationError(_(ERR_CANCELLED))
    pending = batch.payments.filter(status=P.PENDING).count()
    if pending:
        raise ValidationError(_(ERR_NOT_SETTLED).format(n=pending))
    lines = batch.payments.aggregate(n=Count("id"), s=Sum("amount_fen"))
    paid = batch.payments.filter(status=P.PAID).aggregate(n=Count("id"), s=Sum("amount_fen"))
    failed = batch.payments.filter(status__in=c.PAYMENT_DEAD_STATUSES).aggregate(n=Count("id"), s=Sum("amount_fen"))
    mismatched, wrong_status = _claim_mismatches(claim_type_of(batch.claim_type), batch)
    checks = [
        Check(_("校验码与生成时一致"), batch_checksum(batch) == batch.checksum, batch.checksum[:16] + "…"),
        Check(_("笔数：成功 + 失败 = 批次笔数"), (paid["n"] + failed["n"]) == lines["n"] == batch.line_count,
              f"{paid['n']} + {failed['n']} = {lines['n']}"),
        Check(_("金额：成功 + 失败 = 批次金额"),
              (paid["s"] or 0) + (failed["s"] or 0) == (lines["s"] or 0) == batch.total_fen,
              f"{format_yuan(paid['s'] or 0)} + {format_yuan(failed['s'] or 0)} = {format_yuan(lines['s'] or 0)} 元"),
        Check(_("每笔金额与待遇金额一致"), mismatched == 0, str(mismatched)),
        Check(_("待遇状态与银行结果一致"), wrong_status == 0, str(wrong_status)),
    ]
    if all(ch.ok for ch in checks):
        batch.status = c.BatchStatus.RECONCILED
        batch.reconciled_at = timezone.now()
        batch.save(update_fields=["status", "reconciled_at"])
    audit_record(actor=actor, action="payment_batch.reconcile", obj=batch, area_code=batch.area_code,
                 detail={"number": batch.number, "ok": all(ch.ok for ch in checks),
                         "failed_checks": [ch.label for ch in checks if not ch.ok]})
    return checks
