"""Services that expose a worker's data: the full ID and phone, evidence files, the export."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.arrears.models import ArrearsCase, CaseAttachment
from bangfu.arrears.selectors import case_clock, case_filter
from bangfu.core.actors import Actor, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.exports import workbook_bytes
from bangfu.core.money import format_yuan

CAPABILITY_VIEW_FULL_PII = Capability.VIEW_FULL_PII
ERR_EXPORT_TOO_LARGE = gettext_noop("导出条数超过上限 {limit}，请缩小筛选范围")


@dataclass(frozen=True)
class FullPii:
    id_number: str
    phone: str


class ExportTooLarge(ValueError):
    pass


@transaction.atomic
def case_pii_reveal(*, case: ArrearsCase, actor: Actor, ip_address: str | None = None) -> FullPii:
    require(actor, CAPABILITY_VIEW_FULL_PII)
    audit_record(actor=actor, action="arrears_case.view_full_pii", obj=case,
                 detail={"number": case.number, "fields": ["id_number", "phone"]}, ip_address=ip_address)
    return FullPii(id_number=case.id_number, phone=case.phone)


@transaction.atomic
def case_attachment_open(*, case: ArrearsCase, attachment: CaseAttachment, actor: Actor,
                         ip_address: str | None = None):
    """Open an evidence file for reading; the audit row names the file, not its content."""
    audit_record(actor=actor, action="arrears_case.attachment_view", obj=case,
                 detail={"number": case.number, "attachment": attachment.pk}, ip_address=ip_address)
    return attachment.file.open("rb")


EXPORT_HEADERS = [
    gettext_noop("案件号"), gettext_noop("状态"), gettext_noop("来源"), gettext_noop("办理机构"), gettext_noop("投诉人"), gettext_noop("证件号码"), gettext_noop("手机号码"),
    gettext_noop("脱贫人口"), gettext_noop("用人单位"), gettext_noop("务工地"), gettext_noop("工程建设领域"), gettext_noop("欠薪期间"), gettext_noop("欠薪金额（元）"),
    gettext_noop("涉及人数"), gettext_noop("登记日期"), gettext_noop("受理期限"), gettext_noop("办结期限"), gettext_noop("剩余工作日"), gettext_noop("市级督办"),
    gettext_noop("追回金额（元）"), gettext_noop("已支付人数"),
]


@transaction.atomic
def case_list_export(*, actor: Actor, data=None, ip_address: str | None = None) -> bytes:
    """The list that ``data`` (the page's query string) selects, as xlsx, ID and phone masked;
    one audit row per export. A value the filters refuse is a ``ValidationError``: a dropped
    filter would export more than was asked for."""
    today = timezone.localdate()
    filters = case_filter(user=actor, data=data, today=today, strict=True)
    qs = filters.qs
    limit = int(settings.BANGFU.get("EXPORT_MAX_ROWS", 100_000))
    total = qs.count()
    if total > limit:
        raise ExportTooLarge(_(ERR_EXPORT_TOO_LARGE).format(limit=f"{limit:,}"))

    def rows():
        for case in qs.iterator(chunk_size=500):
            clock = case_clock(case, today)
            yield [
                case.number, case.get_state_display(), case.get_channel_display(), case.office.name,
                case.worker_name, case.id_number_masked, case.phone_masked,
                _("是") if case.from_registry else _("否"), case.employer_name, case.work_place_label,
                _("是") if case.is_construction else _("否"), f"{case.period_start}至{case.period_end}",
                format_yuan(case.amount_owed_fen), case.workers_affected, case.received_on.isoformat(),
                case.accept_due.isoformat() if case.accept_due else "",
                case.finish_due.isoformat() if case.finish_due else "",
                clock.days_left if clock else "", _("是") if case.escalated_at else "",
                format_yuan(case.amount_recovered_fen), case.workers_paid,
            ]

    content = workbook_bytes(title=_("欠薪案件"), headers=[_(h) for h in EXPORT_HEADERS], rows=rows())
    audit_record(actor=actor, action="arrears_case.export", area_code=actor.area_code,
                 detail={"rows": total, "filters": filters.audit_detail()}, ip_address=ip_address)
    return content
