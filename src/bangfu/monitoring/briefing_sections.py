"""The monthly briefing as an official document: monitoring's sections and the header block.

``briefing_document`` turns a ``Briefing`` into a ``briefing_doc.BriefingDocument``: the text
of ``briefing.paragraphs`` first, then the headline figures, the 24-month trend, the areas of
the next level and the breakdowns, each with its chart (drawn on the server) and its table.
The document is Chinese whatever the user's language: it is the text the bureau sends out.
Each programme adds its section through ``core.hooks.BRIEFING`` (``programme_sections``);
``extra`` takes any further section.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.core.months import parse_month
from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE
from bangfu.monitoring import briefing_charts, briefing_doc, briefing_pdf, selectors
from bangfu.monitoring.briefing import Briefing, figure_rows, label, month_label, paragraphs
from bangfu.monitoring.briefing_doc import BriefingDocument, Chart, Section, Table
from bangfu.monitoring.figures import programme_paragraphs

DOCUMENT_LANGUAGE = "zh-hans"
DEFAULT_OFFICE = "{area}人力资源和社会保障局"
DEFAULT_ISSUE = "{abbr}人社就业简报〔{year}〕{number}号"
CITY_ABBREVIATION = "渝"


def _issuing_area(code: str) -> str:
    """Who issues the briefing: the city bureau for the city and its zones, else the district's."""
    if code == CITY_CODE or selectors.area_level(code) == "region_group":
        return CITY_CODE
    return code[:6]


def issuing_office(code: str) -> str:
    """发文机关标志: 重庆市人力资源和社会保障局, 丰都县人力资源和社会保障局 (BRIEFING_OFFICE)."""
    pattern = settings.BANGFU.get("BRIEFING_OFFICE") or DEFAULT_OFFICE
    return pattern.format(area=area_name(_issuing_area(code)))


def issue_number(code: str, month: str) -> str:
    """发文字号: 渝人社就业简报〔2024〕9号 for September 2024 (BRIEFING_ISSUE)."""
    year, mon = parse_month(month)
    issuer = _issuing_area(code)
    abbr = CITY_ABBREVIATION if issuer == CITY_CODE else area_name(issuer)[:1]
    pattern = settings.BANGFU.get("BRIEFING_ISSUE") or DEFAULT_ISSUE
    return pattern.format(abbr=abbr, year=year, number=mon, month=mon)


def document_area_name(code: str) -> str:
    """The area as the title names it: 重庆市, 重庆市主城都市区, 丰都县, 丰都县虎威镇; never 全市."""
    level = selectors.area_level(code)
    if level == "region_group":
        return area_name(CITY_CODE) + area_name(code)
    if level == "township":
        return area_name(code[:6]) + area_name(code)
    return area_name(code)


def briefing_document(brief: Briefing, *, issued: datetime.date | None = None, office: str | None = None,
                      issue: str | None = None, extra: Iterable[Section] = ()) -> BriefingDocument:
    with translation.override(DOCUMENT_LANGUAGE):
        sections = [Section(paragraphs=paragraphs(brief)), *monitoring_sections(brief),
                    *programme_sections(brief), *extra]
        return BriefingDocument(
            office=office or issuing_office(brief.area),
            issue=issue or issue_number(brief.area, brief.month),
            date=issued or timezone.localdate(),
            title=briefing_title(brief),
            sections=sections,
            notes=[_("数据来源：帮扶平台务工监测（{month}，按月末在册脱贫劳动力统计）。").format(
                month=month_label(brief.month))],
        )


def briefing_title(brief: Briefing) -> str:
    """重庆市2024年9月脱贫人口务工监测情况; too long for one line, broken after the month."""
    area, month = document_area_name(brief.area), month_label(brief.month)
    title = _("{area}{month}脱贫人口务工监测情况").format(area=area, month=month)
    if briefing_doc.fits_one_title_line(title) or not title.startswith(area + month):
        return title
    return area + month + "\n" + title[len(area + month):]


def briefing_docx(brief: Briefing, **options) -> bytes:
    return briefing_doc.docx_bytes(briefing_document(brief, **options))


def briefing_pdf_bytes(brief: Briefing, **options) -> bytes:
    """The PDF of the same document; ``briefing_pdf.PdfError`` when LibreOffice cannot make it."""
    return briefing_pdf.docx_to_pdf(briefing_docx(brief, **options))


def programme_sections(brief: Briefing) -> list[Section]:
    """One section per programme (``core.hooks.BRIEFING``), from the figures of the KPI tables."""
    return [Section(title=title, paragraphs=[text]) for title, text in programme_paragraphs(
        month=brief.month, code=brief.area, figures=brief.summary.figures)]


def _share(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}" if whole else "—"


def monitoring_sections(brief: Briefing) -> list[Section]:
    """Monitoring's own sections, after the text; none for a month without data."""
    if not brief.has_data:
        return []
    out = [Section(title=_("主要指标"), tables=[Table(_("主要指标"), [_("指标"), _("数值")],
                                                      [list(row) for row in figure_rows(brief)])])]
    trend = brief.trend
    while trend and trend[0]["employment_scale"] is None:  # before the first month with data
        trend = trend[1:]
    if sum(1 for t in trend if t["employment_scale"] is not None) >= 2:
        png = briefing_charts.trend_png(months=[t["month"] for t in trend],
                                        values=[t["employment_scale"] for t in trend])
        out.append(Section(title=_("务工规模走势"), charts=[Chart(
            _("{area}近{count}个月脱贫人口务工规模").format(area=brief.subject, count=len(trend)), png)]))
    areas = _areas_section(brief)
    if areas:
        out.append(areas)
    structure = _structure_section(brief)
    if structure.subsections:
        out.append(structure)
    return out


def _areas_section(brief: Briefing) -> Section | None:
    areas = [a for a in brief.areas if a.employment_scale]
    if not areas:
        return None
    townships = selectors.area_level(brief.area) == "district"
    unit = _("乡镇（街道）") if townships else _("区县")
    names = [area_name(a.area_code) for a in areas]
    png = briefing_charts.bars_png(names=names, values=[a.employment_scale for a in areas])
    rows = []
    for a in sorted(areas, key=lambda a: a.area_code):  # the order of the division table
        r = brief.summary.book.honest_ratios(
            {f: getattr(a, f) for f in ("employment_scale", "workers", "target", "scale_last_year",
                                        "scale_last_month")}, month=brief.month, code=a.area_code)
        rows.append([area_name(a.area_code), f"{a.employment_scale:,}",
                     f"{a.target:,}" if a.target else "—",
                     f"{r['target_completion'] * 100:.1f}" if r["target_completion"] is not None else "—",
                     f"{r['yoy'] * 100:+.1f}" if r["yoy"] is not None else "—"])
    return Section(
        title=_("分{unit}情况").format(unit=unit),
        charts=[Chart(_("各{unit}务工规模").format(unit=unit), png)],
        tables=[Table(_("各{unit}完成年度目标情况").format(unit=unit),
                      [_("区域"), _("务工规模（人）"), _("年度目标（人）"), _("完成进度（%）"), _("同比（%）")],
                      rows)])


def _structure_section(brief: Briefing) -> Section:
    """Where and how people work: channel and place with a chart each, zones and regions as tables."""
    b = brief.summary.breakdowns
    subsections = []
    dimensions = [("channel", True), ("place_class", True), ("cooperation_region", False)]
    if brief.area == CITY_CODE:
        dimensions.insert(2, ("region_group", False))
    words = {  # heading, first column, title of the table and the chart
        "channel": (_("按就业渠道"), _("就业渠道"), _("分就业渠道务工人数")),
        "place_class": (_("按务工地点"), _("务工地点"), _("分务工地点务工人数")),
        "region_group": (_("按一区两群"), _("区域"), _("分一区两群务工人数")),
        "cooperation_region": (_("按劳务协作地区"), _("劳务协作地区"), _("市外务工分劳务协作地区人数")),
    }
    for dimension, with_chart in dimensions:
        values = b.get(dimension, {})
        if not values:
            continue
        whole = sum(values.values())  # shares of the breakdown's own total (市外务工 for regions)
        names = [label(dimension, k) for k in values]
        heading, first, title = words[dimension]
        sub = Section(title=heading, tables=[Table(
            title, [first, _("务工人数（人）"), _("占比（%）")],
            [[name, f"{v:,}", _share(v, whole)] for name, v in zip(names, values.values())])])
        if with_chart:
            png = briefing_charts.bars_png(names=names, values=list(values.values()),
                                           shares=[v / whole if whole else None for v in values.values()])
            sub.charts.append(Chart(title, png))
        subsections.append(sub)
    return Section(title=_("务工结构"), subsections=subsections)

