"""Direct payment (直补快办): batches of approved entitlements, the bank file, re-batching of
failed lines, reconciliation, and the payee accounts they are paid into. The bank's return and
reversals are in ``settlement``.

A batch takes its entitlements by compare-and-set on their state inside its transaction (and
the database keeps each entitlement in at most one live payment), so two batch creations at
once make one batch; the other is refused in Chinese."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.audit import audit_record
from bangfu.core.exports import workbook_bytes
from bangfu.core.money import fen_to_yuan, format_yuan
from bangfu.core.pii import mask_bank_account, pii_hash
from bangfu.core.scoping import area_level
from bangfu.policies import choices as c
from bangfu.policies.models import (
    Enterprise, Entitlement, PayeeAccount, Payment, PaymentBatch, Policy, Workshop,
)
from bangfu.registry.models import Person

CAPABILITY_APPROVE = "policies.approve"
CAPABILITY_FULL = "pii.view_full"
ERR_NO_PAY = gettext_noop("生成支付批次和导入银行回盘需要区县或市级经办人员的审核权限")
ERR_NO_FULL = gettext_noop("您没有查看完整银行账号的权限，只能导出脱敏文件")
ERR_NOTHING_TO_PAY = gettext_noop("没有可支付的待遇（已审核且有收款账户）")
ERR_ACCOUNT = gettext_noop("银行账号应为 8 到 32 位数字")
ERR_BANK_NAME = gettext_noop("请填写开户银行")
ERR_NOT_SETTLED = gettext_noop("还有 {n} 笔未回盘，不能对账")
ERR_NO_EDIT = gettext_noop("您没有维护收款账户的权限")
ERR_BATCHED_MEANWHILE = gettext_noop("这些待遇刚刚已被另一个支付批次纳入（其他操作同时生成了批次），本次未生成批次，请刷新后查看")
S = c.EntitlementStatus
P = c.PaymentStatus
ACCOUNT_RE = re.compile(r"^\d{8,32}$")


def _check_payer(actor) -> None:
    if not actor.has_capability(CAPABILITY_APPROVE) or area_level(actor.area_code) == "township":
        raise PermissionDenied(_(ERR_NO_PAY))


def normalise_account(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


# --------------------------------------------------------------------------------------------
# Payee accounts
# --------------------------------------------------------------------------------------------
@transaction.atomic
def payee_account_set(*, actor, person: Person, bank_name: str, account: str) -> PayeeAccount:
    """Set (or correct) the account a person's subsidies are paid into."""
    if getattr(actor, "pk", None) and not actor.has_capability("registry.edit"):
        raise PermissionDenied(_(ERR_NO_EDIT))
    account = normalise_account(account)
    if not ACCOUNT_RE.match(account):
        raise ValidationError({"account": _(ERR_ACCOUNT)})
    if not (bank_name or "").strip():
        raise ValidationError({"bank_name": _(ERR_BANK_NAME)})
    existing = PayeeAccount.objects.filter(person=person).first()
    digest = pii_hash(account)
    changed = existing is None or existing.account_hash != digest or existing.bank_name != bank_name.strip()
    if existing is None:
        existing = PayeeAccount(person=person)
    existing.bank_name = bank_name.strip()
    existing.account = account
    existing.account_hash = digest
    existing.updated_by = actor if getattr(actor, "pk", None) else None
    existing.save()
    if changed:
        audit_record(actor=actor, action="payee_account.set", obj=person,
                     detail={"bank_name": existing.bank_name, "account_last4": account[-4:]})
    return existing


@dataclass
class Payee:
    name: str
    bank_name: str
    account: str
    account_hash: str
    updated_at: object = None


def payees_for(entitlements: list[Entitlement]) -> dict[int, Payee]:
    """{entitlement id: payee} for those that have an account to pay into."""
    person_ids = [e.person_id for e in entitlements if e.person_id]
    accounts = {}
    for start in range(0, len(person_ids), 5000):  # SQLite caps the parameters of one statement
        chunk = person_ids[start:start + 5000]
        accounts.update({a.person_id: a for a in PayeeAccount.objects.filter(person_id__in=chunk).select_related("person")})
    ent_ids = {e.enterprise_id for e in entitlements if e.enterprise_id}
    workshops = {w.pk: w for w in Workshop.objects.filter(pk__in={e.workshop_id for e in entitlements if e.workshop_id})
                 .select_related("enterprise")}
    enterprises = {x.pk: x for x in Enterprise.objects.filter(pk__in=ent_ids)}
    out: dict[int, Payee] = {}
    for e in entitlements:
        if e.person_id and e.person_id in accounts:
            a = accounts[e.person_id]
            out[e.pk] = Payee(a.person.name, a.bank_name, a.account, a.account_hash, a.updated_at)
        elif e.enterprise_id or e.workshop_id:
            firm = enterprises.get(e.enterprise_id) if e.enterprise_id else getattr(workshops.get(e.workshop_id), "enterprise", None)
            if firm is not None and firm.bank_account:
                out[e.pk] = Payee(firm.name, firm.bank_name, firm.bank_account, firm.bank_account_hash, firm.updated_at)
    return out


# --------------------------------------------------------------------------------------------
# Batches
# --------------------------------------------------------------------------------------------
@dataclass
class BatchResult:
    batch: PaymentBatch | None
    lines: int = 0
    total_fen: int = 0
    without_account: int = 0
    uncorrected: int = 0
    messages: list[str] = field(default_factory=list)


def batch_checksum(batch: PaymentBatch, lines: Iterable[tuple[int, int, str, int]] | None = None) -> str:
    """SHA-256 over the batch header and every (line, entitlement, account hash, amount)."""
    if lines is None:
        lines = batch.payments.order_by("line_no").values_list("line_no", "entitlement_id", "account_hash", "amount_fen")
    h = hashlib.sha256()
    rows = list(lines)
    h.update(f"{batch.number}|{len(rows)}|{sum(r[3] for r in rows)}\n".encode())
    for line_no, ent_id, account_hash, amount in rows:
        h.update(f"{line_no}|{ent_id}|{account_hash}|{amount}\n".encode())
    return h.hexdigest()


@transaction.atomic
def payment_batch_create(*, actor, policy: Policy, period: str, rebatch: bool = False,
                         include_uncorrected: bool = False) -> BatchResult:
    """A batch of the approved entitlements of ``policy``/``period`` in the actor's area that have
    an account; with ``rebatch`` the failed ones instead (by default only those whose account
    was corrected after the failure, so the bank is not sent the same wrong account again)."""
    _check_payer(actor)
    qs = Entitlement.objects.restrict(actor).filter(policy=policy, period=period)
    qs = qs.filter(status=S.FAILED if rebatch else S.APPROVED).select_for_update().order_by("district_code", "township_code", "id")
    entitlements = list(qs)
    payees = payees_for(entitlements)
    result = BatchResult(batch=None)
    picked: list[tuple[Entitlement, Payee]] = []
    failed_at: dict[int, object] = {}
    if rebatch:
        failed_ids = Entitlement.objects.restrict(actor).filter(policy=policy, period=period, status=S.FAILED).values("pk")
        failed_at = dict(Payment.objects.filter(entitlement__in=failed_ids, status__in=c.PAYMENT_DEAD_STATUSES)
                         .values("entitlement_id").annotate(last=Max(Coalesce("reversed_at", "settled_at")))
                         .values_list("entitlement_id", "last"))
    for e in entitlements:
        payee = payees.get(e.pk)
        if payee is None:
            result.without_account += 1
            continue
        if rebatch and not include_uncorrected:
            last_failure = failed_at.get(e.pk)
            if last_failure is not None and payee.updated_at is not None and payee.updated_at <= last_failure:
                result.uncorrected += 1
                continue
        picked.append((e, payee))
    if not picked:
        raise ValidationError(_(ERR_NOTHING_TO_PAY))
    batch = PaymentBatch.objects.create(
        number=f"TMP{uuid.uuid4().hex[:24]}", policy=policy, period=period, area_code=actor.area_code,
        is_rebatch=rebatch, created_by=actor,
    )
    batch.number = f"ZF{timezone.localdate():%Y%m%d}{batch.pk:05d}"
    payments = [
        Payment(batch=batch, line_no=i, entitlement=e, payee_name=p.name, bank_name=p.bank_name,
                account=p.account, account_hash=p.account_hash, amount_fen=e.amount_fen,
                district_code=e.district_code, township_code=e.township_code)
        for i, (e, p) in enumerate(picked, start=1)
    ]
    try:
        with transaction.atomic():  # the constraint: one live payment per entitlement
            Payment.objects.bulk_create(payments, batch_size=2000)
    except IntegrityError:
        raise ValidationError(_(ERR_BATCHED_MEANWHILE)) from None
    # Compare-and-set: the rows read above are still in the state they were picked in, or
    # another batch took them meanwhile and this one is rolled back.
    ids = [e.pk for e, _p in picked]
    expected = S.FAILED if rebatch else S.APPROVED
    changed = 0
    for start in range(0, len(ids), 5000):
        changed += Entitlement.objects.filter(pk__in=ids[start:start + 5000], status=expected).update(status=S.PAYING)
    if changed != len(ids):
        raise ValidationError(_(ERR_BATCHED_MEANWHILE))
    batch.line_count = len(payments)
    batch.total_fen = sum(p.amount_fen for p in payments)
    batch.checksum = batch_checksum(batch, [(p.line_no, p.entitlement_id, p.account_hash, p.amount_fen) for p in payments])
    batch.save(update_fields=["number", "line_count", "total_fen", "checksum"])
    audit_record(actor=actor, action="payment_batch.create", obj=batch, area_code=actor.area_code,
                 detail={"number": batch.number, "policy": policy.code, "period": period, "lines": batch.line_count,
                         "total_fen": batch.total_fen, "rebatch": rebatch, "without_account": result.without_account,
                         "uncorrected": result.uncorrected})
    result.batch = batch
    result.lines = batch.line_count
    result.total_fen = batch.total_fen
    return result


BANK_FILE_HEADERS = [gettext_noop("序号"), gettext_noop("批次号"), gettext_noop("收款人"), gettext_noop("开户银行"), gettext_noop("银行账号"), gettext_noop("金额（元）"),
                     gettext_noop("用途"), gettext_noop("待遇编号")]


@transaction.atomic
def payment_batch_export(*, actor, batch: PaymentBatch, fmt: str = "csv", full: bool = False) -> tuple[bytes, str, str]:
    """The bank file: (content, file name, content type). Full account numbers only with the
    capability ``pii.view_full``; every export is audited (masked or full)."""
    _check_payer(actor)
    if full and not actor.has_capability(CAPABILITY_FULL):
        raise PermissionDenied(_(ERR_NO_FULL))
    purpose = f"{batch.policy.name}（{batch.period}年）"
    rows = []
    for p in batch.payments.order_by("line_no"):
        rows.append([p.line_no, batch.number, p.payee_name, p.bank_name,
                     p.account if full else mask_bank_account(p.account),
                     str(fen_to_yuan(p.amount_fen)), purpose, p.entitlement_id])
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


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


@transaction.atomic
def payment_batch_reconcile(*, actor, batch: PaymentBatch) -> list[Check]:
    """Check that the batch balances and mark it reconciled; returns the checks made."""
    _check_payer(actor)
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    pending = batch.payments.filter(status=P.PENDING).count()
    if pending:
        raise ValidationError(_(ERR_NOT_SETTLED).format(n=pending))
    lines = batch.payments.aggregate(n=Count("id"), s=Sum("amount_fen"))
    paid = batch.payments.filter(status=P.PAID).aggregate(n=Count("id"), s=Sum("amount_fen"))
    failed = batch.payments.filter(status__in=c.PAYMENT_DEAD_STATUSES).aggregate(n=Count("id"), s=Sum("amount_fen"))
    mismatched = batch.payments.exclude(amount_fen=F("entitlement__amount_fen")).count()
    wrong_status = (batch.payments.filter(status=P.PAID).exclude(entitlement__status=S.PAID).count()
                    + batch.payments.filter(status__in=c.PAYMENT_DEAD_STATUSES).exclude(
                        entitlement__status__in=[S.FAILED, S.PAYING, S.PAID]).count())
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


@transaction.atomic
def enterprise_bank_account_set(*, actor, enterprise: Enterprise, bank_name: str, account: str) -> Enterprise:
    if getattr(actor, "pk", None) and not actor.has_capability("registry.edit"):
        raise PermissionDenied(_(ERR_NO_EDIT))
    account = normalise_account(account)
    if not ACCOUNT_RE.match(account):
        raise ValidationError({"account": _(ERR_ACCOUNT)})
    enterprise.bank_name = bank_name.strip()
    enterprise.bank_account = account
    enterprise.bank_account_hash = pii_hash(account)
    enterprise.save(update_fields=["bank_name", "bank_account", "bank_account_hash", "updated_at"])
    audit_record(actor=actor, action="enterprise.bank_account_set", obj=enterprise,
                 detail={"bank_name": enterprise.bank_name, "account_last4": account[-4:]})
    return enterprise
