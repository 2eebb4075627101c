"""The briefing as an official document in the layout of GB/T 9704-2012 (党政机关公文格式).

No Django here: a ``BriefingDocument`` is the header block (issuing office, issue number, date),
a title and a list of ``Section``s of paragraphs, charts and tables, so that any app can
contribute a section; ``docx_bytes`` lays it out on A4 with 22 lines of 28 characters:

    发文机关标志 (red)  ·  发文字号 … 日期  ·  red separator line  ·  标题 (2号小标宋)
    一、(3号黑体)  （一）(3号楷体)  body (3号仿宋)  ·  page numbers "— 1 —" (4号宋体, outside corners)

Fonts are named as the bureaus' machines have them; each carries an alternative name that
Word substitutes when the first is missing (``fontTable``), and ``fonts.conf`` beside this
file maps both to Debian's free CJK fonts for the server's PDF.

The content lives here, the page (fonts, sizes, grid) in ``briefing_page`` and the body
(sections, charts, tables) in ``briefing_body``.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Twips
from lxml import etree

from bangfu.monitoring import briefing_ooxml as ooxml
from bangfu.monitoring.briefing_body import blank, paragraph, render_section
# The page's names stay importable from here (briefing_sections and the tests use them).
from bangfu.monitoring.briefing_page import (  # noqa: F401
    BODY_PT, BOTTOM, CHAR_SPACE, CHAR_SPACING, CHARS_PER_LINE, FACES, FANGSONG, FOOTER_DISTANCE,
    FOOTER_LINE, HEITI, INDENT, KAITI, KEEP_TOGETHER_ROWS, LEFT, LINE_PITCH, LINES_PER_PAGE,
    OFFICE_MIN_PT, OFFICE_PT, PAGE_HEIGHT, PAGE_WIDTH, RED, RIGHT, SMALL_PT, SONGTI, TEXT_HEIGHT,
    TEXT_WIDTH, TITLE_PT, TOP, XIAOBIAOSONG, Face, chinese_date, chinese_number, fits_one_title_line,
    office_size, twips,
)


# ---- the content ---------------------------------------------------------------------------------------
@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]]
    numeric_columns: tuple[int, ...] | None = None  # right-aligned; None: every column but the first

    def is_numeric(self, column: int) -> bool:
        return column > 0 if self.numeric_columns is None else column in self.numeric_columns


@dataclass
class Chart:
    title: str
    png: bytes
    width_mm: float = 150.0


@dataclass
class Section:
    """One part of the briefing; the renderer numbers the titles (一、 then （一）)."""

    title: str = ""  # "" for the lead paragraphs, which carry no heading
    paragraphs: list[str] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class BriefingDocument:
    office: str  # 发文机关标志, e.g. 重庆市人力资源和社会保障局
    issue: str  # 发文字号, e.g. 渝人社就业简报〔2024〕9号
    date: datetime.date
    title: str  # "\n" where a long title breaks (GB/T 9704: lines broken between words)
    sections: list[Section]
    notes: list[str] = field(default_factory=list)  # after the body: data source and the like
    printer: str = ""  # 版记: 印发机关, e.g. 重庆市人力资源和社会保障局办公室 ("" = office + 办公室)
    copies_to: str = ""  # 版记: 抄送, e.g. 各区县人力社保局 ("" = no 抄送 line)


# ---- rendering -------------------------------------------------------------------------------------------
def docx_bytes(document: BriefingDocument) -> bytes:
    doc = Document()
    _page_setup(doc)
    _defaults(doc)
    _font_table(doc)
    _header_block(doc, document)
    counters = {"table": 0, "chart": 0}
    first = 0
    for section in document.sections:
        if section.title:
            first += 1
        render_section(doc, section, number=first, level=1, counters=counters)
    if document.notes:
        blank(doc)
        for note in document.notes:
            paragraph(doc, note, FANGSONG, indent=True)
    _imprint(doc, document)
    doc.core_properties.title = document.title
    doc.core_properties.author = document.office
    doc.core_properties.language = "zh-CN"
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(TOP), Twips(BOTTOM)
    section.left_margin, section.right_margin = Twips(LEFT), Twips(RIGHT)
    section.footer_distance = Twips(FOOTER_DISTANCE)
    section.header_distance = Twips(twips(15))
    sect = section._sectPr
    old = sect.find(qn("w:docGrid"))
    grid = ooxml.element("w:docGrid", type="linesAndChars", linePitch=LINE_PITCH, charSpace=CHAR_SPACE)
    if old is not None:
        old.addprevious(grid)
        sect.remove(old)
    else:
        sect.append(grid)
    # Page numbers on the outside corners: odd pages right, even pages left (GB/T 9704-2012, 7.5).
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _defaults(doc) -> None:
    """Every paragraph 3号仿宋 on the line grid, Chinese as the East Asian language."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    ooxml.fonts(rpr, FANGSONG, BODY_PT)
    ooxml.put(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ooxml.spacing(defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")), exact=LINE_PITCH)
    normal = doc.styles["Normal"]
    rpr = normal.element.get_or_add_rPr()
    ooxml.fonts(rpr, FANGSONG, BODY_PT)
    ooxml.put(rpr, "w:spacing", val=CHAR_SPACING)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.widow_control = False  # lines moved by a widow rule would leave the page short of 22
    ppr = normal.element.get_or_add_pPr()
    ooxml.put(ppr, "w:snapToGrid", val=0)
    ooxml.spacing(ppr, exact=LINE_PITCH)


def _font_table(doc) -> None:
    """Declare each font with its alternative, for Word's substitution on a machine without it."""
    part = next(r.target_part for r in doc.part.rels.values() if r.reltype == RELATIONSHIP_TYPE.FONT_TABLE)
    root = parse_xml(part.blob)
    for face in FACES:  # charset 86: GB2312
        font = ooxml.element("w:font", name=face.name)
        for tag, value in (("w:altName", face.alternative), ("w:charset", "86"), ("w:family", "auto"),
                           ("w:pitch", "variable")):
            font.append(ooxml.element(tag, val=value))
        root.append(font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _header_block(doc, document: BriefingDocument) -> None:
    """发文机关标志, two lines down the issue number and date, 4 mm below them the red line."""
    office = doc.add_paragraph()
    office.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size, scale = office_size(document.office)
    ooxml.no_grid(office, line=round(size * 1.25 * 20))
    rpr = office.add_run(document.office)._r.get_or_add_rPr()
    ooxml.fonts(rpr, XIAOBIAOSONG, size, color=RED)
    if scale < 100:
        ooxml.put(rpr, "w:w", val=scale)
    blank(doc, 2)
    issue = doc.add_paragraph()
    ppr = issue._p.get_or_add_pPr()
    tabs = ooxml.put(ppr, "w:tabs")
    for kind, pos in (("left", BODY_PT * 20), ("right", TEXT_WIDTH - BODY_PT * 20)):
        tabs.append(ooxml.element("w:tab", val=kind, pos=pos))
    # The red line spans the text width 4 mm below the line (sz in eighths of a point, space in points).
    ooxml.put(ppr, "w:pBdr").append(ooxml.element("w:bottom", val="single", sz=12, space=11, color=RED))
    ooxml.fonts(issue.add_run(f"\t{document.issue}\t{chinese_date(document.date)}")._r.get_or_add_rPr(),
           FANGSONG, BODY_PT)
    blank(doc, 2)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ooxml.no_grid(title, line=LINE_PITCH)
    for index, line in enumerate(document.title.split("\n")):  # the lines the title was given
        run = title.add_run(line)
        if index:
            run._r.insert(0, OxmlElement("w:br"))
        ooxml.fonts(run._r.get_or_add_rPr(), XIAOBIAOSONG, TITLE_PT)
    blank(doc)


IMPRINT_THICK, IMPRINT_THIN = 8, 6  # border widths in 1/8 pt: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm


def _imprint(doc, document: BriefingDocument) -> None:
    """版记 (GB/T 9704-2012, 7.4): 抄送 and 印发机关 … 印发日期 between lines, thick above and
    below, thin between, in 4号 仿宋, one character in from each side, at the foot of the last
    page (a frame anchored to the bottom margin, so the text above keeps its flow)."""
    lines = []
    if document.copies_to:
        lines.append(("copies", f"抄送：{document.copies_to}。"))
    lines.append(("printer", document.printer or f"{document.office}办公室"))
    for index, (kind, text) in enumerate(lines):
        p = doc.add_paragraph()
        ppr = p._p.get_or_add_pPr()
        ooxml.put(ppr, "w:framePr", wrap="notBeside", vAnchor="margin", hAnchor="margin", yAlign="bottom",
                  w=TEXT_WIDTH)
        borders = ooxml.put(ppr, "w:pBdr")
        top = IMPRINT_THICK if index == 0 else IMPRINT_THIN
        borders.append(ooxml.element("w:top", val="single", sz=top, space=1, color="000000"))
        if index == len(lines) - 1:
            borders.append(ooxml.element("w:bottom", val="single", sz=IMPRINT_THICK, space=1, color="000000"))
        ooxml.no_grid(p, line=LINE_PITCH)
        side = SMALL_PT * 20
        if kind == "printer":
            tabs = ooxml.put(ppr, "w:tabs")
            tabs.append(ooxml.element("w:tab", val="right", pos=TEXT_WIDTH - side))
        ooxml.put(ppr, "w:ind", left=side, right=side)
        ooxml.fonts(p.add_run(text)._r.get_or_add_rPr(), FANGSONG, SMALL_PT)
        if kind == "printer":
            run = p.add_run("\t" + f"{chinese_date(document.date)}印发")
            ooxml.fonts(run._r.get_or_add_rPr(), FANGSONG, SMALL_PT)


def _page_number(p, alignment) -> None:
    """— 1 —: 4号 half-width 宋体 digits between one-character dashes, one character from the edge."""
    p.alignment = alignment
    ooxml.no_grid(p, line=FOOTER_LINE)
    side = "right" if alignment == WD_ALIGN_PARAGRAPH.RIGHT else "left"
    ooxml.put(p._p.get_or_add_pPr(), "w:ind", **{side: SMALL_PT * 20})

    def run(text: str = ""):
        r = p.add_run(text)
        ooxml.fonts(r._r.get_or_add_rPr(), SONGTI, SMALL_PT)
        return r._r

    run("— ")
    run().append(ooxml.element("w:fldChar", fldCharType="begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run().append(instr)
    run().append(ooxml.element("w:fldChar", fldCharType="separate"))
    run("1")
    run().append(ooxml.element("w:fldChar", fldCharType="end"))
    run(" —")
