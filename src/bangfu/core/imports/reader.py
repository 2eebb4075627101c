"""Reading .xlsx, .ods and .csv files into raw rows, with Chinese errors for files we cannot use.

Spreadsheets are read with calamine (Rust; about ten times faster than openpyxl on a
100,000-row sheet). Calamine gives the cached value of a formula cell, and formulas must be
refused, so a sheet that contains any formula is read with openpyxl instead, which marks them.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.imports.spec import ERR_FORMULA, CellError

ERR_EMPTY = gettext_noop("文件为空，没有任何数据")
ERR_NO_ROWS = gettext_noop("文件只有表头，没有数据行")
ERR_NOT_SPREADSHEET = gettext_noop("文件不是有效的 Excel（.xlsx）或 CSV 文件")
ERR_XLS = gettext_noop("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入")
ERR_ENCODING = gettext_noop("CSV 文件编码无法识别，请保存为 UTF-8 或 GBK 编码")
ERR_TOO_MANY_ROWS = gettext_noop("数据行数超过上限 {limit} 行，请分批导入")
ERR_TOO_LARGE = gettext_noop("文件超过大小上限 {limit} MB")
ERR_ENCRYPTED = gettext_noop("文件设有打开密码，请取消密码后再导入")
ERR_FORMULA_FILE = gettext_noop("文件含有公式，请全选后复制并“粘贴为数值”，再导入")
ERR_LONG_NUMBER = gettext_noop(
    "单元格被 Excel 存成了数字，超过15位的末尾数字已丢失；请把该列设为“文本”格式后重新填写"
)

FORMULA = object()  # marker for a formula cell

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and password-protected .xlsx)
NOT_TEXT_MAGIC = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b",
                  b"{\\rtf", b"MZ")
CSV_SUFFIXES = ("", ".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A formula in SpreadsheetML is an <f> element (any namespace prefix); in ODS an attribute.
XLSX_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
ODS_FORMULA = re.compile(rb"table:formula=")
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
SPACES = str.maketrans({"\u3000": " ", "\xa0": " "})
CLEAN = {**INVISIBLE, **SPACES}  # one translate() for both
SCIENTIFIC = re.compile(r"^[+-]?\d(?:\.\d+)?[eE]\+?(\d+)$")


class FileError(ValueError):
    """The whole file is unusable; the message is Chinese and shown as is."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[Any]]]  # (spreadsheet row number, raw values)
    header_row: int = 1
    # Non-blank rows above the header (a title such as "丰都县2024年花名册"), kept so that the
    # runner can look for the real header row when the first one is not it.
    preamble: list[tuple[int, list[Any]]] = field(default_factory=list)
    source_format: str = ""  # xlsx | ods | csv


def _is_blank(values: list[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _read_bytes(source: str | Path | IO[bytes], max_bytes: int) -> bytes:
    if isinstance(source, (str, Path)):
        path = Path(source)
        if path.stat().st_size > max_bytes:
            raise FileError(_(ERR_TOO_LARGE).format(limit=max_bytes // 1024 // 1024))
        return path.read_bytes()
    data = source.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileError(_(ERR_TOO_LARGE).format(limit=max_bytes // 1024 // 1024))
    return data


def read_table(
    source: str | Path | IO[bytes], *, filename: str = "", max_rows: int = 200_000,
    max_bytes: int = 40 * 1024 * 1024,
) -> Table:
    """Read the first visible sheet (xlsx, ods) or the file (csv); the first non-blank row is the header."""
    data = _read_bytes(source, max_bytes)
    name = (filename or (str(source) if isinstance(source, (str, Path)) else "")
            or str(getattr(source, "name", "") or "")).lower()
    suffix = Path(name).suffix
    if not data.strip():
        raise FileError(_(ERR_EMPTY))
    if data[:8] == OLE2_MAGIC:
        # Excel also wraps a password-protected .xlsx in an OLE2 container.
        raise FileError(_(ERR_ENCRYPTED) if suffix in XLSX_SUFFIXES else _(ERR_XLS))
    if data[:2] == b"PK":
        rows, fmt = _zip_rows(data)
    elif suffix in CSV_SUFFIXES and not data.startswith(NOT_TEXT_MAGIC):
        rows, fmt = _csv_rows(data), "csv"
    else:
        raise FileError(_(ERR_NOT_SPREADSHEET))
    table = _to_table(rows, max_rows)
    table.source_format = fmt
    return table


def _to_table(rows: Iterable[tuple[int, list[Any]]], max_rows: int) -> Table:
    headers: list[str] | None = None
    header_row = 0
    body: list[tuple[int, list[Any]]] = []
    for number, values in rows:
        if _is_blank(values):
            continue
        if headers is None:
            headers = [header_text(v) for v in values]
            header_row = number
            continue
        if len(body) >= max_rows:
            raise FileError(_(ERR_TOO_MANY_ROWS).format(limit=f"{max_rows:,}"))
        body.append((number, values))
    if headers is None:
        raise FileError(_(ERR_EMPTY))
    if not body:
        raise FileError(_(ERR_NO_ROWS))
    return Table(headers=headers, rows=body, header_row=header_row)


def header_text(value: Any) -> str:
    if value is None or value is FORMULA:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(CLEAN).strip()


# -- spreadsheets -------------------------------------------------------------------------


def _zip_rows(data: bytes) -> tuple[Iterator[tuple[int, list[Any]]], str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError(_(ERR_NOT_SPREADSHEET)) from exc
    if "xl/workbook.xml" in names:
        fmt = "xlsx"
        has_formulas = _xlsx_has_formulas(archive, names)
    elif "mimetype" in names and archive.read("mimetype").strip() == ODS_MIMETYPE:
        fmt = "ods"
        has_formulas = _scan(archive, "content.xml", ODS_FORMULA)
    else:  # a .docx, a .zip of something else
        raise FileError(_(ERR_NOT_SPREADSHEET))
    if has_formulas and fmt == "xlsx":
        return _openpyxl_rows(data), fmt
    if has_formulas:  # ODS: calamine cannot say which cell holds the formula
        raise FileError(_(ERR_FORMULA_FILE))
    try:
        return _calamine_rows(data), fmt
    except FileError:
        if fmt == "xlsx":  # calamine refused a file openpyxl may still read
            return _openpyxl_rows(data), fmt
        raise


def _scan(archive: zipfile.ZipFile, member: str, pattern: re.Pattern) -> bool:
    """Stream-decompress ``member`` and tell whether ``pattern`` occurs (bounded memory)."""
    try:
        stream = archive.open(member)
    except KeyError:
        return False
    tail = b""
    with stream:
        while chunk := stream.read(1 << 20):
            if pattern.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _xlsx_has_formulas(archive: zipfile.ZipFile, names: set[str]) -> bool:
    # Any worksheet will do: a formula on another sheet is rare and costs only the slower reader.
    sheets = [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    return any(_scan(archive, sheet, XLSX_FORMULA) for sheet in sheets)


def _calamine_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        index = _first_visible_sheet(book)
        values = book.get_sheet_by_index(index).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise FileError(_(ERR_NOT_SPREADSHEET)) from exc
    return ((number, list(row)) for number, row in enumerate(values, start=1))


def _first_visible_sheet(book) -> int:
    for index, meta in enumerate(book.sheets_metadata):
        visible = str(getattr(meta, "visible", "Visible")).rsplit(".", 1)[-1].lower()
        kind = str(getattr(meta, "typ", "WorkSheet")).rsplit(".", 1)[-1].lower()
        if visible == "visible" and kind == "worksheet":
            return index
    return 0


def _openpyxl_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileError(_(ERR_NOT_SPREADSHEET)) from exc
    sheets = [s for s in book.worksheets if getattr(s, "sheet_state", "visible") == "visible"]
    sheet = (sheets or book.worksheets)[0]

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            expected = 1
            for row in sheet.iter_rows():
                cells = [c for c in row if getattr(c, "row", None) is not None]
                number = cells[0].row if cells else expected
                while expected < number:  # read-only mode skips empty rows
                    yield expected, []
                    expected += 1
                yield number, [FORMULA if getattr(c, "data_type", None) == "f" else c.value for c in row]
                expected = number + 1
        except (KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise FileError(_(ERR_NOT_SPREADSHEET)) from exc
        finally:
            book.close()

    return rows()


# -- csv ------------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        if data.startswith(codecs.BOM_UTF8):
            text = data[len(codecs.BOM_UTF8):].decode("utf-8")
        elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")  # Excel's "Unicode text"
        elif b"\x00" in data[:8192]:
            raise FileError(_(ERR_NOT_SPREADSHEET))
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("gb18030")  # what Excel writes on a Chinese Windows
    except UnicodeDecodeError as exc:
        raise FileError(_(ERR_ENCODING)) from exc
    if _looks_binary(text):
        raise FileError(_(ERR_NOT_SPREADSHEET))
    first_line = text[:4096].split("\n", 1)[0]
    dialect = "excel-tab" if first_line.count("\t") > first_line.count(",") else "excel"
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    # csv.reader counts physical lines; a quoted cell may span several, so number by record.
    return ((number, row) for number, row in enumerate(reader, start=1))


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return "\x00" in sample or controls > len(sample) // 100


# -- cells ----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """Normalise a raw cell to text; raises CellError for formulas and lost-precision numbers.

    Strings lose surrounding whitespace, ideographic and no-break spaces and zero-width
    characters (copied from web pages and WeChat); whole numbers lose their ``.0``.
    """
    if type(value) is str:
        if value.isascii():
            text = value.strip()
        else:
            text = value.translate(CLEAN).strip()
        if text and (text[0] in "0123456789+-") and ("e" in text or "E" in text):
            match = SCIENTIFIC.match(text)
            if match and int(match.group(1)) >= 15:  # a CSV saved by Excel: "5.00101E+17"
                raise CellError(_(ERR_LONG_NUMBER))
        return text
    if value is None:
        return ""
    if value is FORMULA:
        raise CellError(_(ERR_FORMULA))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        if abs(value) >= 10**15:
            raise CellError(_(ERR_LONG_NUMBER))
        return str(value)
    if isinstance(value, float):
        if abs(value) >= 1e15:
            raise CellError(_(ERR_LONG_NUMBER))
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"  # Excel keeps 15 significant digits
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).translate(CLEAN).strip()
