import io

from openpyxl import load_workbook

from bangfu.core.exports import workbook_bytes


def read(content: bytes):
    ws = load_workbook(io.BytesIO(content)).active
    return ws, list(ws.iter_rows(values_only=True))


def test_workbook_has_the_headers_then_the_rows():
    ws, rows = read(workbook_bytes(title="人员花名册", headers=["姓名", "年龄"],
                                   rows=[["张三", 40], ["李四", 35]]))
    assert ws.title == "人员花名册"
    assert rows == [("姓名", "年龄"), ("张三", 40), ("李四", 35)]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b


def test_text_that_looks_like_a_formula_stays_text():
    ws, rows = read(workbook_bytes(title="t", headers=["a"], rows=[["=HYPERLINK(\"x\")"]]))
    assert rows[1] == ('=HYPERLINK("x")',)
    assert ws["A2"].data_type == "s"


def test_characters_xml_forbids_are_dropped_and_markup_is_escaped():
    _, rows = read(workbook_bytes(title="t", headers=["a"], rows=[["A\x01B<c>&"]]))
    assert rows[1] == ("AB<c>&",)


def test_a_large_export_streams_every_row():
    _, rows = read(workbook_bytes(title="t", headers=["n"], rows=([i] for i in range(2500))))
    assert len(rows) == 2501 and rows[-1] == (2499,)
