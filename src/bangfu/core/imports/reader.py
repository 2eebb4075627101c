"""Reading .xlsx and .csv files into raw rows, with Chinese errors for files we cannot use."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator

ERR_EMPTY = "文件为空，没有任何数据"
ERR_NO_ROWS = "文件只有表头，没有数据行"
ERR_NOT_SPREADSHEET = "文件不是有效的 Excel（.xlsx）或 CSV 文件"
ERR_XLS = "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入"
ERR_ENCODING = "CSV 文件编码无法识别，请保存为 UTF-8 或 GBK 编码"
ERR_TOO_MANY_ROWS = "数据行数超过上限 {limit} 行，请分批导入"
ERR_TOO_LARGE = "文件超过大小上限 {limit} MB"

FORMULA = object()  # marker for a formula cell


class FileError(ValueError):
    """The whole file is unusable; the message is Chinese and shown as is."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, raw values)


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _read_bytes(source: str | Path | IO[bytes], max_bytes: int) -> bytes:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise FileError(ERR_TOO_LARGE.format(limit=max_bytes // 1024 // 1024))
        return path.read_bytes()
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileError(ERR_TOO_LARGE.format(limit=max_bytes // 1024 // 1024))
    return data


def read_table(
    source: str | Path | IO[bytes], *, filename: str = "", max_rows: int = 200_000,
    max_bytes: int = 40 * 1024 * 1024,
) -> Table:
    """Read the first sheet (xlsx) or the file (csv); the first non-blank row is the header."""
    data = _read_bytes(source, max_bytes)
    name = (filename or (str(source) if isinstance(source, (str, Path)) else "")).lower()
    if not data.strip():
        raise FileError(ERR_EMPTY)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":  # OLE2: a legacy .xls
        raise FileError(ERR_XLS)
    if data[:2] == b"PK":
        rows = _xlsx_rows(data)
    elif name.endswith((".xlsx", ".xlsm")):
        raise FileError(ERR_NOT_SPREADSHEET)
    else:
        rows = _csv_rows(data)
    return _to_table(rows, max_rows)


def _to_table(rows: Iterator[list[Any]], max_rows: int) -> Table:
    headers: list[str] | None = None
    body: list[tuple[int, list[Any]]] = []
    for number, values in enumerate(rows, start=1):
        if _is_blank(values):
            continue
        if headers is None:
            headers = [str(v).strip() if v is not None else "" for v in values]
            continue
        if len(body) >= max_rows:
            raise FileError(ERR_TOO_MANY_ROWS.format(limit=max_rows))
        body.append((number, values))
    if headers is None:
        raise FileError(ERR_EMPTY)
    if not body:
        raise FileError(ERR_NO_ROWS)
    return Table(headers=headers, rows=body)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(ERR_NOT_SPREADSHEET) from exc
    sheet = book.worksheets[0]

    def rows() -> Iterator[list[Any]]:
        try:
            for row in sheet.iter_rows():
                yield [FORMULA if getattr(cell, "data_type", None) == "f" else cell.value
                       for cell in row]
        finally:
            book.close()

    return rows()


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError as exc:
                raise FileError(ERR_ENCODING) from exc
    if "\x00" in text:
        raise FileError(ERR_NOT_SPREADSHEET)
    return iter(csv.reader(io.StringIO(text, newline="")))


def cell_text(value: Any) -> str:
    """Normalise a raw cell to text; raises CellError for formulas and lost-precision numbers."""
    from bangfu.core.imports.spec import ERR_FORMULA, CellError

    if value is None:
        return ""
    if value is FORMULA:
        raise CellError(ERR_FORMULA)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        if abs(value) >= 10**15:
            raise CellError(ERR_LONG_NUMBER)
        return str(value)
    if isinstance(value, float):
        if abs(value) >= 1e15:
            raise CellError(ERR_LONG_NUMBER)
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip().replace("\u3000", " ").strip()


ERR_LONG_NUMBER = "单元格被 Excel 存成了数字，超过15位的末尾数字已丢失；请把该列设为“文本”格式后重新填写"
