"""Excel files the officer downloads: the import template and the error report."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any, Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from bangfu.core.imports.reader import FORMULA
from bangfu.core.imports.result import RowError
from bangfu.core.imports.spec import Importer

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
TEMPLATE_ROWS = 5000  # rows with drop-down lists
MAX_REPORT_ROWS = 100_000


def _autosize(sheet, widths: Iterable[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def template_xlsx(importer: Importer) -> bytes:
    """Header row (required columns shaded), example rows, every column formatted as text,
    drop-down lists for code columns, and a second sheet explaining each column."""
    book = Workbook()
    sheet = book.active
    sheet.title = (importer.title or "导入模板")[:31]
    lists = book.create_sheet("可选值")
    for index, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        # Text format (for the whole column) stops Excel from turning ID numbers and phones
        # into numbers that lose their last digits.
        sheet.column_dimensions[letter].number_format = "@"
        if column.choices:
            lists.cell(row=1, column=index, value=column.header).font = Font(bold=True)
            for offset, label in enumerate(column.choices, start=2):
                lists.cell(row=offset, column=index, value=label)
            source = f"{quote_sheetname(lists.title)}!${letter}$2:${letter}${len(column.choices) + 1}"
            # Multi-valued columns (places, several codes) accept free text: warn, do not stop.
            multi = "、" in column.example or "," in column.example
            validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                        showErrorMessage=not multi, errorStyle="warning" if multi else "stop")
            validation.error = "请从下拉列表中选择：" + "、".join(column.choices)
            validation.errorTitle = column.header
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    for row_index, values in enumerate(importer.template_rows(), start=2):
        for col_index, value in enumerate(values, start=1):
            sheet.cell(row=row_index, column=col_index, value=value).number_format = "@"
    sheet.freeze_panes = "A2"
    _autosize(sheet, [max(12, len(c.header) * 2 + 4) for c in importer.columns])
    _autosize(lists, [max(12, len(c.header) * 2 + 4) for c in importer.columns])

    guide = book.create_sheet("填写说明", 1)
    guide.append(["列名", "是否必填", "英文列名", "说明", "示例"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for column in importer.columns:
        help_text = column.help
        if column.choices and "可选" not in help_text:
            help_text = (help_text + " 可选：" if help_text else "可选：") + "、".join(column.choices)
        guide.append([column.header, "必填" if column.required else "选填",
                      " / ".join((column.key, *column.aliases)), help_text, column.example])
    for cell in guide["D"]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    _autosize(guide, [16, 10, 28, 70, 24])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _report_value(value: Any) -> Any:
    if value is None or value is FORMULA:
        return None
    if isinstance(value, (dt.date, dt.datetime, dt.time, bool, int, float)):
        return value
    return str(value)


def error_report_xlsx(
    errors: list[RowError],
    *,
    title: str = "错误报告",
    headers: Sequence[str] | None = None,
    rows: Sequence[tuple[int, Sequence[Any]]] | None = None,
) -> bytes:
    """The errors, one per line (行号, 列, 错误原因).

    With the file's ``headers`` and its rejected ``rows`` (row number, raw cells), a first
    sheet holds those rows as they were, each with its reasons in a last column: the officer
    corrects them there and imports that sheet again (the reasons column is ignored).
    """
    book = Workbook(write_only=True)
    if headers is not None and rows:
        reasons: dict[int, list[str]] = {}
        for error in errors:
            reasons.setdefault(error.row, []).append(
                f"{error.column}：{error.message}" if error.column else error.message)
        fix = book.create_sheet("需修改的行")
        for index, _header in enumerate(headers, start=1):
            fix.column_dimensions[get_column_letter(index)].width = 16
        fix.column_dimensions[get_column_letter(len(headers) + 2)].width = 80
        header_cells = []
        for value in [*headers, "原行号", "错误原因"]:
            cell = WriteOnlyCell(fix, value=value)
            cell.font = Font(bold=True)
            header_cells.append(cell)
        fix.append(header_cells)
        for number, raw in rows[:MAX_REPORT_ROWS]:
            cells = []
            for value in list(raw)[:len(headers)] + [None] * (len(headers) - len(raw)):
                cell = WriteOnlyCell(fix, value=_report_value(value))
                cell.number_format = "@"
                cells.append(cell)
            reason = WriteOnlyCell(fix, value="；".join(reasons.get(number, [])))
            reason.fill = ERROR_FILL
            fix.append([*cells, number, reason])
    sheet = book.create_sheet(title[:31])
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 80
    sheet.append(["行号", "列", "错误原因"])
    for error in errors[:MAX_REPORT_ROWS * 5]:
        sheet.append([error.row or None, error.column, error.message])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
