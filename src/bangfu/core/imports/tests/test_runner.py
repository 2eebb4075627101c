"""The runner with a toy importer: headers, required columns, errors, all-or-nothing."""

import io

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.core.imports import (
    CellError, Column, CommitRefused, FileError, Importer, ImportResult, RowError, run_import,
)
from bangfu.core.imports import parsers as p
from bangfu.core.imports.discovery import discover_importers
from bangfu.core.imports.runner import (
    ERR_DUPLICATE_COLUMN,
    ERR_MISSING_COLUMNS,
    WARN_IGNORED_COLUMNS,
    map_headers,
)
from bangfu.core.imports.spec import ERR_REQUIRED, normalise_header
from bangfu.core.imports.tests.files import csv_bytes, xlsx_bytes
from bangfu.core.models import AuditLog


def parse_age(text: str) -> int:
    if not text.isdigit():
        raise CellError("年龄应为整数")
    return int(text)


class ToyImporter(Importer):
    kind = "toy"
    title = "测试"
    columns = (
        Column("name", "姓名", ("name", "full_name"), required=True),
        Column("age", "年龄", ("age",), required=True, parse=parse_age),
        Column("village", "村", ("village",), parse=p.text(max_length=4)),
    )

    def __init__(self):
        self.committed: list = []

    def check(self, rows, *, actor):
        seen, errors = {}, []
        for row in rows:
            if row.values["name"] in seen:
                errors.append(RowError(row.number, "姓名", f"与第 {seen[row.values['name']]} 行重复"))
            seen.setdefault(row.values["name"], row.number)
        return errors

    def commit(self, rows, *, actor, result: ImportResult, progress=None):
        self.committed.extend(r.values for r in rows)
        result.created = len(rows)


def run(importer, rows, *, filename="t.csv", **kwargs):
    data = csv_bytes(rows) if filename.endswith(".csv") else xlsx_bytes(rows)
    return run_import(importer, io.BytesIO(data), actor=SYSTEM, filename=filename, **kwargs)


@pytest.mark.parametrize("header", ["姓名", "name", "NAME", " Full_Name ", "*姓名", "姓 名", "姓名（必填）".replace("（必填）", "")])
def test_headers_match_by_chinese_name_key_or_alias_ignoring_case_spaces_and_marks(header):
    assert map_headers(ToyImporter(), [header, "age"]) == {"name": 0, "age": 1}


def test_header_normalisation_drops_brackets_and_required_marks():
    assert normalise_header(" 期望月薪(元)* ") == "期望月薪元"


def test_missing_required_columns_are_named():
    with pytest.raises(FileError) as info:
        map_headers(ToyImporter(), ["name", "村"])
    assert str(info.value) == ERR_MISSING_COLUMNS.format(columns="年龄")


def test_a_column_given_twice_is_refused():
    with pytest.raises(FileError) as info:
        map_headers(ToyImporter(), ["姓名", "name", "年龄"])
    assert str(info.value) == ERR_DUPLICATE_COLUMN.format(column="name")


def test_a_file_of_unknown_headers_says_the_first_row_must_be_the_header():
    with pytest.raises(FileError, match="未识别出任何列名"):
        map_headers(ToyImporter(), ["foo", "bar"])


@pytest.mark.django_db
def test_a_title_row_above_the_header_is_skipped():
    importer = ToyImporter()
    result = run(importer, [["2024年花名册"], ["姓名", "年龄"], ["张三", "30"]], filename="t.xlsx")
    assert result.ok and result.header_row == 2
    assert importer.committed == [{"name": "张三", "age": 30, "village": ""}]


@pytest.mark.django_db
def test_unknown_columns_are_ignored_with_a_warning():
    result = run(ToyImporter(), [["姓名", "年龄", "备注"], ["张三", "30", "x"]])
    assert result.warnings == [WARN_IGNORED_COLUMNS.format(columns="备注")]


@pytest.mark.django_db
def test_every_bad_cell_is_reported_with_row_column_and_reason_and_nothing_is_committed():
    importer = ToyImporter()
    result = run(importer, [["姓名", "年龄", "村"], ["张三", "30", "新村"], ["", "x", "很长的村名字"],
                            ["张三", "31", ""]])
    assert result.errors == [
        RowError(3, "姓名", ERR_REQUIRED), RowError(3, "年龄", "年龄应为整数"),
        RowError(3, "村", "内容过长（最多 4 个字）"), RowError(4, "姓名", "与第 2 行重复"),
    ]
    assert (result.rows, result.error_rows, result.committed) == (3, 2, False)
    assert importer.committed == []
    assert result.rejected == 3
    assert [n for n, _ in result.rejected_raw] == [3, 4]


@pytest.mark.django_db
def test_commit_valid_keeps_the_valid_rows_and_audits_the_import():
    importer = ToyImporter()
    result = run(importer, [["姓名", "年龄"], ["张三", "30"], ["李四", "x"]], commit_valid=True)
    assert result.committed and result.created == 1 and result.rejected == 1
    assert importer.committed == [{"name": "张三", "age": 30, "village": ""}]
    audit = AuditLog.objects.get(action="import.toy")
    assert audit.detail["rows"] == 2 and audit.detail["rejected_rows"] == 1
    assert audit.actor_name == "system"


@pytest.mark.django_db
def test_a_dry_run_previews_without_committing_or_auditing():
    importer = ToyImporter()
    result = run(importer, [["姓名", "年龄"], ["张三", "30"]], dry_run=True)
    assert result.dry_run and result.created == 1 and not result.committed
    assert importer.committed == [] and not AuditLog.objects.exists()


@pytest.mark.django_db
def test_progress_is_reported_per_stage():
    seen = []
    run(ToyImporter(), [["姓名", "年龄"], ["张三", "30"]], progress=lambda *a: seen.append(a))
    assert [s[0] for s in seen] == ["read", "read", "parse", "check", "check"]
    assert seen[-1] == ("check", 1, 1)


class RefusingImporter(ToyImporter):
    """Writes, then finds inside the transaction that the row named 李四 may not be written."""

    kind = "refusing"
    commit_may_refuse = True

    def commit(self, rows, *, actor, result, progress=None):
        from bangfu.core.audit import audit_record

        audit_record(actor=actor, action="toy.write", detail={"rows": len(rows)})
        refused = [RowError(r.number, "姓名", "已被其他导入修改") for r in rows if r.values["name"] == "李四"]
        if refused:
            raise CommitRefused(refused)
        super().commit(rows, actor=actor, result=result)


@pytest.mark.django_db
def test_rows_refused_inside_the_commit_are_reported_and_the_whole_commit_is_rolled_back():
    importer = RefusingImporter()
    result = run(importer, [["姓名", "年龄"], ["张三", "30"], ["李四", "31"]])
    assert not result.committed and result.errors == [RowError(3, "姓名", "已被其他导入修改")]
    assert (result.created, result.rejected, [n for n, _ in result.rejected_raw]) == (0, 2, [3])
    assert importer.committed == [] and not AuditLog.objects.exists()


@pytest.mark.django_db
def test_with_commit_valid_the_rows_refused_inside_the_commit_are_left_out_and_the_rest_written():
    importer = RefusingImporter()
    result = run(importer, [["姓名", "年龄"], ["张三", "30"], ["李四", "31"]], commit_valid=True)
    assert result.committed and result.created == 1 and [e.row for e in result.errors] == [3]
    assert importer.committed == [{"name": "张三", "age": 30, "village": ""}]
    assert AuditLog.objects.filter(action="toy.write").count() == 1
    assert AuditLog.objects.get(action="import.refusing").detail["rejected_rows"] == 1


def test_the_result_json_has_the_documented_shape():
    result = ImportResult(rows=2, created=1, errors=[RowError(3, "姓名", "必填项不能为空")])
    data = result.to_json()
    assert {k: data[k] for k in ("rows", "created", "updated", "unchanged", "errors")} == {
        "rows": 2, "created": 1, "updated": 0, "unchanged": 0,
        "errors": [{"row": 3, "column": "姓名", "message": "必填项不能为空"}]}
    assert ImportResult.from_json(data).errors == result.errors


def test_importers_are_discovered_from_the_apps():
    importers = discover_importers()
    assert importers["registry"].kind == "registry"
    assert all(kind == imp.kind for kind, imp in importers.items())
