"""The registry's long work (``BACKGROUND_WORK`` in ``registry/hooks.py``): an export of the
person list larger than ``EXPORT_BACKGROUND_ROWS`` is built in the background; the user
downloads it from its task (后台任务), kept encrypted at rest until then."""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.background import WorkError, WorkResult

EXPORT_WORK = "person_export"
STAGE_EXPORT = gettext_noop("生成花名册文件")


def export_params(filters, ip_address: str | None) -> dict:
    return {"filters": asdict(filters), "ip": ip_address or ""}


def person_export_work(*, actor, params: dict, progress) -> WorkResult:
    from bangfu.registry.filters import PersonFilter
    from bangfu.registry.pii_services import ExportTooLarge, person_list_export

    filters = PersonFilter(**params["filters"])
    progress(_(STAGE_EXPORT), 0, 1)
    try:
        content = person_list_export(actor=actor, filters=filters, ip_address=params.get("ip") or None)
    except ExportTooLarge as exc:
        raise WorkError(str(exc)) from None
    return WorkResult(message=_("花名册已生成，请下载"), file=content, filename=_("人员花名册") + ".xlsx")
