"""The template and the error report are files an officer can use as they are."""

import io

from openpyxl import load_workbook

from bangfu.core.imports import RowError, error_report_xlsx, read_table, template_xlsx
from bangfu.core.imports.runner import map_headers
from bangfu.registry.importers import RegistryImporter


def test_the_template_has_every_column_as_text_with_drop_downs_and_a_guide():
    importer = RegistryImporter()
    book = load_workbook(io.BytesIO(template_xlsx(importer)))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in importer.columns]
    assert sheet.column_dimensions["C"].number_format == "@"  # ID numbers stay text in Excel
    validations = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert any(ref.startswith("J2") for ref in validations)  # 劳动技能 drop-down
    guide = book["填写说明"]
    rows = {r[0]: r for r in guide.iter_rows(min_row=2, values_only=True)}
    assert rows["证件号码"][1] == "必填"
    assert "普通劳动力" in rows["劳动技能"][3]


def test_the_template_is_read_back_with_every_column_mapped():
    importer = RegistryImporter()
    data = template_xlsx(importer)
    book = load_workbook(io.BytesIO(data), read_only=True)
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert set(map_headers(importer, header)) == {c.key for c in importer.columns}


def test_the_error_report_lists_errors_and_the_rows_to_correct():
    errors = [RowError(3, "证件号码", "证件号码校验位错误"), RowError(3, "姓名", "必填项不能为空"),
              RowError(5, "劳动技能", "“很能干”不是有效的选项")]
    data = error_report_xlsx(errors, headers=["姓名", "证件号码", "劳动技能"],
                             rows=[(3, ["", "500230198506010010", "普通劳动力"]), (5, ["李四", "x", "很能干"])])
    book = load_workbook(io.BytesIO(data))
    fix, details = book.worksheets
    assert fix.title == "需修改的行"
    assert [c.value for c in fix[1]] == ["姓名", "证件号码", "劳动技能", "原行号", "错误原因"]
    assert fix["B2"].value == "500230198506010010" and fix["D2"].value == 3
    assert fix["E2"].value == "证件号码：证件号码校验位错误；姓名：必填项不能为空"
    assert [[c.value for c in row] for row in details.iter_rows(min_row=2)] == [
        [3, "证件号码", "证件号码校验位错误"], [3, "姓名", "必填项不能为空"], [5, "劳动技能", "“很能干”不是有效的选项"]]
    # The corrected sheet imports again: its headers map, the extra columns are ignored.
    table = read_table(io.BytesIO(data), filename="errors.xlsx")
    assert table.headers[:3] == ["姓名", "证件号码", "劳动技能"]


def test_an_error_report_without_rows_has_only_the_details():
    book = load_workbook(io.BytesIO(error_report_xlsx([RowError(0, "", "文件为空，没有任何数据")])))
    assert [ws.title for ws in book.worksheets] == ["错误报告"]
    assert book.worksheets[0]["C2"].value == "文件为空，没有任何数据"
