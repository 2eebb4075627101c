"""Excel files the officer downloads: the import template and the error report."""

from __future__ import annotations

import io
from typing import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bangfu.core.imports.result import RowError
from bangfu.core.imports.spec import Importer

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")


def _autosize(sheet, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def template_xlsx(importer: Importer) -> bytes:
    """Header row (required columns shaded), example rows, every column formatted as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = importer.title[:31] or "导入模板"
    for index, column in enumerate(importer.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        # Text format stops Excel from turning ID numbers and phones into numbers.
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    for row_index, values in enumerate(importer.template_rows(), start=2):
        for col_index, value in enumerate(values, start=1):
            sheet.cell(row=row_index, column=col_index, value=value).number_format = "@"
    sheet.freeze_panes = "A2"
    _autosize(sheet, [max(12, len(c.header) * 2 + 4) for c in importer.columns])

    guide = book.create_sheet("填写说明")
    guide.append(["列名", "是否必填", "英文列名", "说明"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in importer.columns:
        guide.append([column.header, "必填" if column.required else "选填",
                      " / ".join(column.aliases), column.help])
    _autosize(guide, [16, 10, 24, 80])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def error_report_xlsx(errors: list[RowError], *, title: str = "错误报告") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 80
    sheet.append(["行号", "列", "错误原因"])
    for error in errors:
        sheet.append([error.row, error.column, error.message])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
