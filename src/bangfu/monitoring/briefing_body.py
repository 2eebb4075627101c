"""The body of a briefing document: numbered sections, paragraphs, charts and tables with captions."""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Twips

from bangfu.monitoring import briefing_ooxml as ooxml
from bangfu.monitoring.briefing_page import (
    BODY_PT, FANGSONG, HEITI, INDENT, KAITI, KEEP_TOGETHER_ROWS, SMALL_PT, TEXT_WIDTH, Face,
    chinese_number,
)

if TYPE_CHECKING:  # briefing_doc imports this module
    from bangfu.monitoring.briefing_doc import Chart, Section, Table


def render_section(doc, section: Section, *, number: int, level: int, counters: dict) -> None:
    if section.title:
        label = f"{chinese_number(number)}、" if level == 1 else f"（{chinese_number(number)}）"
        heading = paragraph(doc, label + section.title, HEITI if level == 1 else KAITI, indent=True)
        heading.paragraph_format.keep_with_next = True
        ooxml.put(heading._p.get_or_add_pPr(), "w:outlineLvl", val=level - 1)  # the navigation pane
    for text in section.paragraphs:
        paragraph(doc, text, FANGSONG, indent=True)
    for chart in section.charts:
        counters["chart"] += 1
        _chart(doc, chart, counters["chart"])
    for table in section.tables:
        counters["table"] += 1
        _table(doc, table, counters["table"])
    for index, sub in enumerate(section.subsections, start=1):
        render_section(doc, sub, number=index, level=level + 1, counters=counters)


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
    blank(doc)


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


def paragraph(doc, text: str, face: Face, *, indent: bool):
    p = doc.add_paragraph()
    if indent:
        ooxml.put(p._p.get_or_add_pPr(), "w:ind", firstLineChars=200, firstLine=INDENT)
    ooxml.fonts(p.add_run(text)._r.get_or_add_rPr(), face, BODY_PT)
    return p


IMPRINT_THICK, IMPRINT_THIN = 8, 6  # border widths in 1/8 pt: 1 pt ≈ 0.35 mm, 0.75 pt ≈ 0.25 mm


def blank(doc, lines: int = 1) -> None:
    for _ in range(lines):
        doc.add_paragraph()
