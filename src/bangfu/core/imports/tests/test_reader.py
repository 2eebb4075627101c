"""Reading spreadsheets: formats, encodings, and files that cannot be used."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook

from bangfu.core.imports.reader import (
    ERR_EMPTY,
    ERR_ENCODING,
    ERR_ENCRYPTED,
    ERR_LONG_NUMBER,
    ERR_NO_ROWS,
    ERR_NOT_SPREADSHEET,
    ERR_TOO_LARGE,
    ERR_TOO_MANY_ROWS,
    ERR_XLS,
    FORMULA,
    FileError,
    cell_text,
    read_table,
)
from bangfu.core.imports.spec import ERR_FORMULA, CellError
from bangfu.core.imports.tests.files import Formula, csv_bytes, xlsx_bytes

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def read(data: bytes, filename: str = "file.xlsx", **kwargs):
    return read_table(io.BytesIO(data), filename=filename, **kwargs)


def openpyxl_bytes(rows, *, hidden_first: bool = False) -> bytes:
    book = Workbook()
    sheet = book.active
    if hidden_first:
        sheet.title = "hidden"
        sheet.append(["not", "this"])
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet("data")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_rows_are_numbered_as_in_the_spreadsheet():
    table = read(xlsx_bytes([["姓名", "年龄"], ["张三", 30], [], ["李四", 41]]))
    assert table.headers == ["姓名", "年龄"]
    assert [(n, list(v)[:2]) for n, v in table.rows] == [(2, ["张三", 30.0]), (4, ["李四", 41.0])]
    assert table.source_format == "xlsx"


def test_a_title_row_above_the_header_is_kept_for_the_runner():
    table = read(xlsx_bytes([["丰都县花名册"], ["姓名"], ["张三"]]))
    assert table.headers[0] == "丰都县花名册"
    assert [n for n, _ in table.rows] == [2, 3]


def test_the_first_visible_sheet_is_read():
    table = read(openpyxl_bytes([["姓名"], ["张三"]], hidden_first=True))
    assert table.headers == ["姓名"]


def test_a_sheet_with_formulas_marks_the_formula_cells():
    table = read(xlsx_bytes([["姓名", "年龄"], ["张三", Formula("1+1")]]))
    assert table.rows[0][1][1] is FORMULA
    with pytest.raises(CellError, match=ERR_FORMULA):
        cell_text(FORMULA)


def test_csv_in_utf8_with_bom_gbk_and_tabs_is_read():
    rows = [["姓名", "村"], ["张三", "新村"]]
    assert read(csv_bytes(rows), "a.csv").rows[0][1] == ["张三", "新村"]
    assert read(csv_bytes(rows, encoding="gbk"), "a.csv").rows[0][1] == ["张三", "新村"]
    tabbed = "姓名\t村\n张三\t新村\n".encode("utf-16")
    assert read(tabbed, "a.txt").rows[0][1] == ["张三", "新村"]


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"", "a.xlsx", ERR_EMPTY),
    (b"   \n\n", "a.csv", ERR_EMPTY),
    (b",,\n,,\n", "a.csv", ERR_EMPTY),
    (OLE2, "a.xls", ERR_XLS),
    (OLE2, "a.xlsx", ERR_ENCRYPTED),
    (b"%PDF-1.4 binary", "a.pdf", ERR_NOT_SPREADSHEET),
    (b"%PDF-1.4 binary", "a.csv", ERR_NOT_SPREADSHEET),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png", ERR_NOT_SPREADSHEET),
    (b"PK\x03\x04 truncated zip", "a.xlsx", ERR_NOT_SPREADSHEET),
    (b"plain text", "a.xlsx", ERR_NOT_SPREADSHEET),
    (bytes(range(256)) * 4, "a.csv", ERR_NOT_SPREADSHEET),
])
def test_files_that_are_not_usable_spreadsheets_raise_a_chinese_file_error(data, filename, message):
    with pytest.raises(FileError) as info:
        read(data, filename)
    assert str(info.value) == message


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(FileError, match=ERR_NOT_SPREADSHEET):
        read(out.getvalue(), "letter.docx")


def test_undecodable_csv_names_the_encoding_problem():
    with pytest.raises(FileError, match=ERR_ENCODING):
        read("姓名,村\n张三,新村\n".encode("gbk") + b"\xff\x80,\x81\x7f\n", "a.csv")


def test_a_file_with_only_a_header_has_no_rows():
    with pytest.raises(FileError, match=ERR_NO_ROWS):
        read(xlsx_bytes([["姓名", "年龄"]]))


def test_row_and_size_limits_are_enforced():
    with pytest.raises(FileError) as info:
        read(csv_bytes([["a"], ["1"], ["2"], ["3"]]), "a.csv", max_rows=2)
    assert str(info.value) == ERR_TOO_MANY_ROWS.format(limit="2")
    with pytest.raises(FileError) as info:
        read(b"a\n" * 2_000_000, "a.csv", max_bytes=1024 * 1024)
    assert str(info.value) == ERR_TOO_LARGE.format(limit=1)


@pytest.mark.parametrize(("raw", "text"), [
    (None, ""),
    ("  张三\u3000", "张三"),
    ("\ufeff张\u200b三\xa0", "张三"),
    (3000.0, "3000"),
    (3000.5, "3000.5"),
    (13812345678.0, "13812345678"),
    (42, "42"),
    (True, "是"),
    (dt.date(2024, 9, 1), "2024-09-01"),
    (dt.datetime(2024, 9, 1), "2024-09-01"),
    ("1.5E+3", "1.5E+3"),
])
def test_cells_are_normalised_to_text(raw, text):
    assert cell_text(raw) == text


@pytest.mark.parametrize("raw", [5.00101197005030e17, 500230198506011234, "5.00101E+17", "5.00230198506011E+17"])
def test_id_numbers_that_excel_turned_into_numbers_are_refused(raw):
    with pytest.raises(CellError) as info:
        cell_text(raw)
    assert str(info.value) == ERR_LONG_NUMBER


def test_id_numbers_stored_as_numbers_by_excel_come_back_as_floats():
    book_bytes = openpyxl_bytes([["证件号码"], [500230198506011234]])
    table = read(book_bytes)
    with pytest.raises(CellError, match="15位"):
        cell_text(table.rows[0][1][0])
