"""What payments contributes to core (``bangfu.core.hooks``): its code lists, the money paid
for the KPI tables and its briefing section. (Payable claims
come *to* payments from the other apps' hooks: ``payments.claims.PAYABLE_CLAIMS``.)"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.hooks import BriefingSection, CodeList, KpiContribution, KpiRollup
from bangfu.payments import choices as c
from bangfu.payments import kpi

CODE_LISTS = [
    CodeList("payment_batch_status", _("支付批次状态"), c.BatchStatus, order=80),
    CodeList("payment_status", _("支付状态"), c.PaymentStatus, order=81),
]


def _utc_offset_hours() -> int:
    """The programme's offset from UTC (Asia/Shanghai: 8, no daylight saving)."""
    from django.utils import timezone

    return int(timezone.localtime().utcoffset().total_seconds() // 3600)


def policy_claim_types() -> list[str]:
    """The claim types that count as 政策兑现 (``ClaimType.policy_funds``), read when the fill runs."""
    from bangfu.payments.claims import claim_types

    return sorted(code for code, kind in claim_types().items() if kind.policy_funds)


def paid_fen(engine, *, first: str, last: str):
    return kpi.paid_fen_by_month(engine, first=first, last=last, utc_offset_hours=_utc_offset_hours(),
                                 claim_types=policy_claim_types())


def person_times(engine, *, first: str, last: str):
    return kpi.person_times_by_month(engine, first=first, last=last, utc_offset_hours=_utc_offset_hours(),
                                     claim_types=policy_claim_types())


KPI_FIGURES = [
    KpiContribution("policy_paid_yuan_ytd", _("今年以来兑现资金"), "payments", paid_fen, (kpi.PAYMENT,),
                    rollup=KpiRollup.YTD, unit=_("元"), money=True, order=40),
    KpiContribution("policy_person_times_ytd", _("今年以来惠及人次"), "payments", person_times, (kpi.PAYMENT,),
                    rollup=KpiRollup.YTD, unit=_("人次"), order=41),
]


def briefing_payments(*, month: str, area_code: str, figures: dict) -> str:
    paid, times = figures.get("policy_paid_yuan_ytd"), figures.get("policy_person_times_ytd")
    if not paid or not paid.value:
        return ""
    return _("{year}年以来，通过“免申即享”“直补快办”兑现各类就业帮扶政策资金{paid}、惠及{times}。").format(
        year=month[:4], paid=paid.text(), times=times.text(str(_("人次"))) if times else "—")


BRIEFING = [BriefingSection("payments", _("政策兑现"), briefing_payments, order=40)]


# ---- 操作日志: the actions this app writes and its own detail keys

AUDIT_ACTIONS = {
    "payment_batch.create": _("生成支付批次"),
    "payment_batch.cancel": _("作废支付批次"),
    "payment_batch.export": _("导出支付文件"),
    "payment_batch.export_full": _("导出支付文件（完整账号）"),
    "payment_batch.settle": _("导入银行回盘"),
    "payment_batch.reconcile": _("对账"),
    "payment.reverse": _("登记退汇"),
    "payee_account.set": _("设置收款账户"),
    "employer.bank_account_set": _("设置单位银行账户"),
}

AUDIT_FIELDS = {
    "account_last4": _("账号后四位"),
    "bank_name": _("开户银行"),
    "bank_reference": _("银行流水号"),
    "claim": _("待遇记录"),
    "claim_type": _("待遇类别"),
    "failed_checks": _("未通过的核对"),
    "line_no": _("明细行号"),
    "lines": _("明细条数"),
    "ok": _("核对通过"),
    "rebatch": _("重新组批"),
    "uncorrected": _("未更正账户"),
    "without_account": _("缺少账户"),
}
