"""Monitoring pages: the dashboard (务工监测), its Excel exports, the monthly briefing."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from bangfu.core.actors import require
from bangfu.core.capabilities import Capability
from bangfu.core.exports import workbook_bytes, xlsx_response
from bangfu.core.months import ERR_MONTH, is_month
from bangfu.core.pagecache import cached_render
from bangfu.core.reference import area_name
from bangfu.monitoring import briefing, briefing_pdf, briefing_sections, dashboard, report_views, selectors
from bangfu.monitoring.completeness import ReportBook
from bangfu.core.background_views import start_from_page
from bangfu.monitoring.work import FILL_WORK
from bangfu.registry.choices import RegionGroup

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_ERRORS = {  # the converter's reasons, in the user's language
    briefing_pdf.LibreOfficeMissing: gettext_lazy("服务器未安装 LibreOffice，暂时无法生成 PDF 简报，请先下载 Word 版简报。"),
    briefing_pdf.ConversionTimeout: gettext_lazy("生成 PDF 简报超时，请稍后重试，或先下载 Word 版简报。"),
}
PDF_FAILED = gettext_lazy("PDF 简报生成失败，请先下载 Word 版简报。")


class BadMonth(Exception):
    """A ``?month=`` that is not a month: the page says so (400) rather than show another month."""

    def __init__(self, message: str, area: str):
        super().__init__(message)
        self.area = area


def _params(request) -> tuple[str | None, str]:
    """(month, area) from the query; an area not allowed is 404, a malformed month BadMonth."""
    area = request.GET.get("area") or dashboard.default_area(request.user)
    selectors.area_check(user=request.user, code=area)
    month = request.GET.get("month") or None
    if month and not is_month(month):
        raise BadMonth(_(ERR_MONTH).format(value=month), area)
    return month, area


def _bad_month_page(request, exc: BadMonth, template: str = "monitoring/dashboard.html") -> HttpResponse:
    data = dashboard.dashboard_frame(user=request.user, area=exc.area)
    return render(request, template, {
        "d": data, "month_error": str(exc), "area_options": _area_options(request.user, exc.area),
        "month_options": _month_options(data), "tables": [],
    }, status=400)


def _area_options(user, current: str) -> list[dict]:
    """The area picker: the user's own area, the zones (city users) and the districts in reach."""
    return _area_options_for(dashboard.default_area(user), current, get_language())


@lru_cache(maxsize=512)
def _area_options_for(own: str, current: str, language: str) -> list[dict]:
    """Reference data only, so built once per process (it sorts the 1,000-odd divisions)."""
    from bangfu.core import reference

    options = [{"code": own, "name": area_name(own), "depth": 0}]
    if own == "50":
        for zone in RegionGroup.values:
            options.append({"code": zone, "name": area_name(zone), "depth": 1})
            for code, row in sorted(reference.divisions().items()):
                if len(code) == 6 and row["region_group"] == zone:
                    options.append({"code": code, "name": row["name"], "depth": 2})
    elif len(own) == 6:
        for code, row in sorted(reference.divisions().items()):
            if len(code) == 9 and row["parent_code"] == own:
                options.append({"code": code, "name": row["name"], "depth": 1})
    if current not in {o["code"] for o in options}:
        options.append({"code": current, "name": area_name(current), "depth": 1})
    return options


def _month_options(data) -> list[dict]:
    """Filled months, newest first, a partial month marked with its reports; a month asked for
    without data stays selected, marked so."""
    book = ReportBook(data.months)
    options = []
    for m in data.months:
        status = book.status(m, data.area)
        label = briefing.month_label(m)
        if not status.complete:
            label = _("{month}（{reported}）").format(month=label, reported=status.progress_label)
        options.append({"value": m, "label": label})
    if data.month and data.month not in data.months:
        options.insert(0, {"value": data.month,
                           "label": _("{month}（无数据）").format(month=briefing.month_label(data.month))})
    return options


@login_required
@require_GET
def dashboard_view(request):
    try:
        month, area = _params(request)
    except BadMonth as exc:
        return _bad_month_page(request, exc)

    def context() -> dict:
        data = dashboard.dashboard_for(user=request.user, month=month, area=area)
        return {
            "d": data, "month_label": briefing.month_label(data.month) if data.month else "",
            "area_options": _area_options(request.user, area),
            "month_options": _month_options(data),
            "can_refill": request.user.has_capability(Capability.IMPORT_MONITORING),
            "tables": [data.tables[k] for k in dashboard.TABLES if k in data.tables],
            "report": report_views.report_panel(request, data),
        }

    # The page is rendered once per version of the KPI tables and of the monthly reports
    # (and per user, language and query): the bureau opens it all at once.
    return cached_render(request, "monitoring/dashboard.html", context=context,
                         key=selectors.dashboard_version())


@login_required
@require_GET
def export_view(request, table: str):
    if table not in dashboard.TABLES:
        raise Http404("table")
    try:
        month, area = _params(request)
    except BadMonth as exc:
        return _bad_month_page(request, exc)
    data = dashboard.dashboard_for(user=request.user, month=month, area=area)
    found = data.tables.get(table)
    if found is None:
        raise Http404("table")
    title = f"{data.area_name}{briefing.month_label(data.month)}{found.title}"
    content = workbook_bytes(title=found.title, headers=found.headers, rows=found.rows)
    return xlsx_response(content, filename_stem=title)


@login_required
@require_GET
def briefing_view(request):
    try:
        month, area = _params(request)
    except BadMonth as exc:
        return _bad_month_page(request, exc, "monitoring/briefing.html")
    month = month or selectors.kpi_default_month(user=request.user, code=area)
    brief = briefing.briefing_for(month=month, code=area, user=request.user) if month else None
    data = dashboard.dashboard_for(user=request.user, month=month, area=area)
    return render(request, "monitoring/briefing.html", {
        "d": data, "brief": brief, "paragraphs": briefing.paragraphs(brief) if brief else [],
        "programme_paragraphs": briefing_sections.programme_sections(brief) if brief and brief.has_data else [],
        "figures": briefing.figure_rows(brief) if brief else [],
        "month_label": briefing.month_label(month) if month else "",
        "area_options": _area_options(request.user, area),
        "month_options": _month_options(data),
    })


def _document_brief(request):
    month, area = _params(request)
    month = month or selectors.kpi_default_month(user=request.user, code=area)
    if month is None:
        raise Http404("month")
    return briefing.briefing_for(month=month, code=area, user=request.user)


def _attachment(content: bytes, content_type: str, *, brief, suffix: str) -> HttpResponse:
    filename = _("{area}务工监测简报_{month}").format(area=brief.area_name, month=brief.month) + suffix
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f"attachment; filename=\"briefing_{brief.month}{suffix}\"; filename*=UTF-8''{quote(filename)}")
    return response


@login_required
@require_GET
def briefing_docx_view(request):
    try:
        brief = _document_brief(request)
    except BadMonth as exc:
        return _bad_month_page(request, exc, "monitoring/briefing.html")
    return _attachment(briefing_sections.briefing_docx(brief), DOCX_CONTENT_TYPE, brief=brief, suffix=".docx")


@login_required
@require_GET
def briefing_pdf_view(request):
    """The same document through LibreOffice; when it cannot run, back to the page with the reason."""
    try:
        brief = _document_brief(request)
    except BadMonth as exc:
        return _bad_month_page(request, exc, "monitoring/briefing.html")
    try:
        content = briefing_sections.briefing_pdf_bytes(brief)
    except briefing_pdf.PdfError as exc:
        messages.error(request, PDF_ERRORS.get(type(exc), PDF_FAILED))
        return redirect(f"{reverse('monitoring:briefing')}?month={brief.month}&area={brief.area}")
    return _attachment(content, "application/pdf", brief=brief, suffix=".pdf")


@login_required
@require_POST
def refill_view(request):
    """Recompute the stale months in the background (officers who import data): the task's bar
    follows it, or the dashboard comes back at once when it finished within the request."""
    require(request.user, Capability.IMPORT_MONITORING)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("monitoring:dashboard")
    return start_from_page(request, kind=FILL_WORK, params={"next": target}, fallback=target)
