"""The briefing as an official document in the layout of GB/T 9704-2012 (党政机关公文格式).

No Django here: a ``BriefingDocument`` is the header block (issuing office, issue number, date),
a title and a list of ``Section``s of paragraphs, charts and tables, so that any app can
contribute a section; ``docx_bytes`` lays it out on A4 with 22 lines of 28 characters:

    发文机关标志 (red)  ·  发文字号 … 日期  ·  red separator line  ·  标题 (2号小标宋)
    一、(3号黑体)  （一）(3号楷体)  body (3号仿宋)  ·  page numbers "— 1 —" (4号宋体, outside corners)

Fonts are named as the bureaus' machines have them; each carries an alternative name that
Word substitutes when the first is missing (``fontTable``), and ``fonts.conf`` beside this
file maps both to Debian's free CJK fonts for the server's PDF.
"""

from __future__ import annotations

import datetime
import io
import math
from dataclasses import dataclass, field

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Twips
from lxml import etree

from bangfu.monitoring import briefing_ooxml as ooxml


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


@dataclass(frozen=True)
class Face:
    name: str  # the font the bureaus' machines have
    alternative: str  # what Word uses when ``name`` is missing


XIAOBIAOSONG = Face("方正小标宋简体", "宋体")
FANGSONG = Face("仿宋_GB2312", "仿宋")
HEITI = Face("黑体", "SimHei")
KAITI = Face("楷体_GB2312", "楷体")
SONGTI = Face("宋体", "SimSun")
FACES = (XIAOBIAOSONG, FANGSONG, HEITI, KAITI, SONGTI)

# ---- the page (GB/T 9704-2012, 5.2 and 5.2.2) ---------------------------------------------------------
RED = "FF0000"
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
OFFICE_PT = 36  # 小初, for a name that fits one line at that size
OFFICE_MIN_PT = 26  # 一号; a longer name is squeezed horizontally rather than wrapped or smaller
SMALL_PT = 14  # 4号: page numbers, tables, captions
LINES_PER_PAGE = 22
KEEP_TOGETHER_ROWS = 15  # a table up to this long moves to the next page whole rather than split
CHARS_PER_LINE = 28


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


PAGE_WIDTH, PAGE_HEIGHT = twips(210), twips(297)
TOP, BOTTOM, LEFT, RIGHT = twips(37), twips(35), twips(28), twips(26)
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
TEXT_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
# Rounded down, or the 22nd line would not fit: 579 twips = 28.95 pt.
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE
# 28 characters of 3号 are 448 pt, the text width 442 pt: each character is drawn a little closer.
# w:charSpace says so in 1/4096 pt for the declared grid (-842: Word's page set-up then shows
# 28 characters a line). LibreOffice would give each character two cells of that grid, so the
# paragraphs keep off it and get the 28 from character spacing instead, in 1/20 pt: at -0.25 pt
# LibreOffice still breaks after 27, at -0.4 pt 28 take 437 pt and 29 would take 452.
CHAR_SPACE = math.floor((TEXT_WIDTH / CHARS_PER_LINE / 20 - BODY_PT) * 4096)
CHAR_SPACING = -8
INDENT = 2 * (BODY_PT * 20 + CHAR_SPACING)  # first lines indented by two characters
# The footer's first line sits 7 mm below the text area (GB/T 9704-2012, 7.5).
FOOTER_LINE = 18 * 20
FOOTER_DISTANCE = BOTTOM - twips(7) - FOOTER_LINE


def chinese_date(day: datetime.date) -> str:
    """2024年10月8日: Arabic numerals, no leading zeros (GB/T 9704-2012, 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """一 … 九十九, for the heading numbers 一、 and （一）."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


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
        _section(doc, section, number=first, level=1, counters=counters)
    if document.notes:
        _blank(doc)
        for note in document.notes:
            _paragraph(doc, note, FANGSONG, indent=True)
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
    _blank(doc, 2)
    issue = doc.add_paragraph()
    ppr = issue._p.get_or_add_pPr()
    tabs = ooxml.put(ppr, "w:tabs")
    for kind, pos in (("left", BODY_PT * 20), ("right", TEXT_WIDTH - BODY_PT * 20)):
        tabs.append(ooxml.element("w:tab", val=kind, pos=pos))
    # The red line spans the text width 4 mm below the line (sz in eighths of a point, space in points).
    ooxml.put(ppr, "w:pBdr").append(ooxml.element("w:bottom", val="single", sz=12, space=11, color=RED))
    ooxml.fonts(issue.add_run(f"\t{document.issue}\t{chinese_date(document.date)}")._r.get_or_add_rPr(),
           FANGSONG, BODY_PT)
    _blank(doc, 2)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ooxml.no_grid(title, line=LINE_PITCH)
    for index, line in enumerate(document.title.split("\n")):  # the lines the title was given
        run = title.add_run(line)
        if index:
            run._r.insert(0, OxmlElement("w:br"))
        ooxml.fonts(run._r.get_or_add_rPr(), XIAOBIAOSONG, TITLE_PT)
    _blank(doc)


def fits_one_title_line(text: str) -> bool:
    """Whether ``text`` in 2号 fits one line (a longer title is broken where its words allow)."""
    return sum(1 if ord(ch) > 0x2E80 else 0.55 for ch in text) * TITLE_PT * 20 <= TEXT_WIDTH


def office_size(name: str) -> tuple[float, int]:
    """(points, horizontal scale %) of the issuing office: on one line, as large as fits up to 小初,
    not below 一号; a longer name (石柱土家族自治县人力资源和社会保障局) is drawn narrower instead."""
    room = TEXT_WIDTH * 0.96 / 20  # points, with a little air at both ends
    size = max(OFFICE_MIN_PT, min(OFFICE_PT, math.floor(room / max(len(name), 1))))
    scale = min(100, math.floor(room / (len(name) * size) * 100)) if name else 100
    return size, max(50, scale)


def _section(doc, section: Section, *, number: int, level: int, counters: dict) -> None:
    if section.title:
        label = f"{chinese_number(number)}、" if level == 1 else f"（{chinese_number(number)}）"
        heading = _paragraph(doc, label + section.title, HEITI if level == 1 else KAITI, indent=True)
        heading.paragraph_format.keep_with_next = True
        ooxml.put(heading._p.get_or_add_pPr(), "w:outlineLvl", val=level - 1)  # the navigation pane
    for text in section.paragraphs:
        _paragraph(doc, text, FANGSONG, indent=True)
    for chart in section.charts:
        counters["chart"] += 1
        _chart(doc, chart, counters["chart"])
    for table in section.tables:
        counters["table"] += 1
        _table(doc, table, counters["table"])
    for index, sub in enumerate(section.subsections, start=1):
        _section(doc, sub, number=index, level=level + 1, counters=counters)


def _chart(doc, chart: Chart, number: int) -> None:
    holder = doc.add_paragraph()
    holder.alignment = WD_ALIGN_PARAGRAPH.CENTER
    holder.paragraph_format.keep_with_next = True
    ooxml.no_grid(holder, line=None)  # an exact line height would crop the picture
    width = min(chart.width_mm, TEXT_WIDTH * 25.4 / 1440 - 2)
    holder.add_run().add_picture(io.BytesIO(chart.png), width=Mm(width))
    _caption(doc, f"图{number}　{chart.title}", keep_with_next=False)


def _table(doc, table: Table, number: int) -> None:
    _caption(doc, f"表{number}　{table.title}", keep_with_next=True)
    grid = doc.add_table(rows=0, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = _column_widths(table)
    keep_together = len(table.rows) <= KEEP_TOGETHER_ROWS
    for column, width in zip(grid.columns, widths):
        column.width = Twips(width)
    for index, values in enumerate([table.headers, *table.rows]):
        row = grid.add_row()
        trpr = row._tr.get_or_add_trPr()
        trpr.append(ooxml.element("w:cantSplit"))  # a row never breaks across pages
        if index == 0:
            trpr.append(ooxml.element("w:tblHeader"))  # repeated at the top of every page
        for column, (cell, text) in enumerate(zip(row.cells, values)):
            cell.width = Twips(widths[column])
            p = cell.paragraphs[0]
            ooxml.no_grid(p, line=round(SMALL_PT * 1.5 * 20))
            if index == 0 or (keep_together and index < len(table.rows)):
                p.paragraph_format.keep_with_next = True  # the header with the first row, a short table whole
            if index == 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif table.is_numeric(column):
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            else:
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            ooxml.fonts(p.add_run(str(text))._r.get_or_add_rPr(), HEITI if index == 0 else FANGSONG, SMALL_PT)
    _blank(doc)


def _column_widths(table: Table) -> list[int]:
    """The text width shared by what each column needs: its widest cell on one line, and its
    header's widest part (a header may break before its unit: 务工规模 / （人）)."""
    pad = 2 * 115 + 60  # the cell margins of Table Grid and a little air, in twips
    need = []
    for column, header in enumerate(table.headers):
        parts = header.replace("（", "\n（").split("\n")
        cells = [str(row[column]) for row in table.rows if column < len(row)] + parts
        need.append(max(_text_width(text) for text in cells) + pad)
    total = sum(need)
    widths = [math.floor(n * TEXT_WIDTH / total) for n in need]
    widths[0] += TEXT_WIDTH - sum(widths)
    return widths


def _text_width(text: str) -> float:
    """Twips of ``text`` at the table's size: a Chinese character is square, the rest about half."""
    return sum(SMALL_PT * 20 * (1 if ord(ch) > 0x2E80 else 0.55) for ch in text)


def _caption(doc, text: str, *, keep_with_next: bool) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.keep_with_next = keep_with_next
    ooxml.fonts(p.add_run(text)._r.get_or_add_rPr(), HEITI, SMALL_PT)


def _paragraph(doc, text: str, face: Face, *, indent: bool):
    p = doc.add_paragraph()
    if indent:
        ooxml.put(p._p.get_or_add_pPr(), "w:ind", firstLineChars=200, firstLine=INDENT)
    ooxml.fonts(p.add_run(text)._r.get_or_add_rPr(), face, BODY_PT)
    return p


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


def _blank(doc, lines: int = 1) -> None:
    for _ in range(lines):
        doc.add_paragraph()


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
