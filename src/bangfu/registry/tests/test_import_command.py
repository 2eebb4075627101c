"""``bangfu import``: JSON output, exit codes, options; through call_command and the console script."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from bangfu.core.imports.tests.files import REGISTRY_HEADERS, Formula, registry_rows, write_xlsx
from bangfu.core.models import AuditLog
from bangfu.registry.models import Person

BANGFU = str(Path(sys.executable).with_name("bangfu"))
COL = {header: index for index, header in enumerate(REGISTRY_HEADERS)}


def registry_file(tmp_path, rows, name="花名册.xlsx") -> Path:
    return write_xlsx(tmp_path / name, [REGISTRY_HEADERS, *rows])


def run_json(*args) -> tuple[dict, int]:
    out = io.StringIO()
    try:
        call_command("import", *args, "--json", stdout=out)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return json.loads(out.getvalue()), code


@pytest.mark.django_db
def test_json_output_has_the_documented_keys_and_exit_code_zero(tmp_path):
    data, code = run_json("registry", str(registry_file(tmp_path, registry_rows(4))))
    assert code == 0
    assert {k: data[k] for k in ("rows", "created", "updated", "unchanged", "errors")} == {
        "rows": 4, "created": 4, "updated": 0, "unchanged": 0, "errors": []}
    again, _code = run_json("registry", str(registry_file(tmp_path, registry_rows(4))))
    assert (again["created"], again["unchanged"]) == (0, 4)


@pytest.mark.django_db
def test_row_errors_give_a_nonzero_exit_code_and_nothing_is_stored(tmp_path):
    rows = registry_rows(3)
    rows[1][COL["劳动技能"]] = "很能干"
    data, code = run_json("registry", str(registry_file(tmp_path, rows)))
    assert code == 1
    assert data["errors"] == [{"row": 3, "column": "劳动技能",
                               "message": "“很能干”不是有效的选项，可选：普通劳动力、技能劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力"}]
    assert data["created"] == 0 and Person.objects.count() == 0


@pytest.mark.django_db
def test_commit_valid_stores_the_good_rows_and_still_exits_nonzero(tmp_path):
    rows = registry_rows(3)
    rows[1][COL["联系电话"]] = "12345"
    data, code = run_json("registry", str(registry_file(tmp_path, rows)), "--commit-valid")
    assert code == 1 and data["created"] == 2 and data["committed"] is True
    assert Person.objects.count() == 2


@pytest.mark.django_db
def test_dry_run_writes_nothing(tmp_path):
    data, code = run_json("registry", str(registry_file(tmp_path, registry_rows(2))), "--dry-run")
    assert code == 0 and data["created"] == 2 and data["dry_run"] is True
    assert Person.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(("content", "name", "message"), [
    (b"", "empty.xlsx", "文件为空，没有任何数据"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls", "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 后再导入"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "scan.pdf", "文件不是有效的 Excel（.xlsx）或 CSV 文件"),
    ("姓名,年龄\n张三,30\n".encode(), "wrong.csv", "缺少必填列：户编号、证件号码、与户主关系、区县代码、乡镇代码、人口类型、劳动技能。请使用导入模板"),
    ("foo,bar\n1,2\n".encode(), "foo.csv", "未识别出任何列名：第一行应为表头（如 户编号、姓名、证件号码），请使用导入模板"),
])
def test_unusable_files_give_one_row_zero_error_and_exit_code_two(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)
    data, code = run_json("registry", str(path))
    assert code == 2
    assert data["errors"] == [{"row": 0, "column": "", "message": message}]
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_formula_cells_and_ids_stored_as_numbers_are_explained(tmp_path):
    rows = registry_rows(3)
    rows[0][COL["姓名"]] = Formula('"张"&"三"')
    rows[2][COL["证件号码"]] = 5.00230196001030e17
    data, code = run_json("registry", str(registry_file(tmp_path, rows)))
    assert code == 1 and Person.objects.count() == 0
    assert data["errors"] == [
        {"row": 2, "column": "姓名", "message": "单元格含有公式，请复制后“粘贴为数值”再导入"},
        {"row": 4, "column": "证件号码",
         "message": "单元格被 Excel 存成了数字，超过15位的末尾数字已丢失；请把该列设为“文本”格式后重新填写"},
    ]


@pytest.mark.django_db
def test_the_error_report_option_writes_the_rows_to_correct(tmp_path):
    rows = registry_rows(3)
    rows[2][COL["证件号码"]] = "123"
    report = tmp_path / "errors.xlsx"
    _data, code = run_json("registry", str(registry_file(tmp_path, rows)), "--error-report", str(report))
    assert code == 1
    book = load_workbook(report)
    assert book.worksheets[0]["C2"].value == "123"
    assert book.worksheets[1]["C2"].value == "证件号码应为18位"


@pytest.mark.django_db
def test_the_actor_option_names_the_user_in_the_audit_log(tmp_path, make_user):
    user = make_user("city_admin", "50", username="officer1")
    run_json("registry", str(registry_file(tmp_path, registry_rows(1))), "--actor", "officer1")
    assert AuditLog.objects.get(action="import.registry").actor == user
    with pytest.raises(CommandError, match="找不到用户"):
        call_command("import", "registry", str(registry_file(tmp_path, registry_rows(1))), "--actor", "nobody")


@pytest.mark.django_db
def test_the_human_summary_is_chinese(tmp_path):
    rows = registry_rows(3)
    rows[1][COL["姓名"]] = ""
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "registry", str(registry_file(tmp_path, rows)), stdout=out)
    text = out.getvalue()
    assert "3 行：新增 0，更新 0，未变 0；1 个错误（1 行）。有错误，未导入任何数据" in text
    assert "必填项不能为空" in text


@pytest.mark.django_db
def test_a_missing_file_is_a_file_error(tmp_path):
    data, code = run_json("registry", str(tmp_path / "nope.xlsx"))
    assert code == 2 and data["errors"][0]["message"].startswith("找不到文件")


def test_an_unknown_kind_lists_the_known_ones(tmp_path):
    with pytest.raises(CommandError, match="未知的导入类型“nope”，可选：.*registry"):
        call_command("import", "nope", str(tmp_path / "x.xlsx"))


# -- the console script, in a separate process with its own SQLite database ------------------


@pytest.fixture(scope="module")
def migrated_var(tmp_path_factory):
    """A BANGFU_VAR with a migrated SQLite database, copied by each test that writes to it."""
    var = tmp_path_factory.mktemp("bangfu-var")
    subprocess.run([BANGFU, "migrate", "-v", "0"], env=_env(var), check=True, timeout=300)
    return var


def _env(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BANGFU_PII_KEY", "BANGFU_SECRET_KEY")}
    env.update(BANGFU_VAR=str(var), DJANGO_SETTINGS_MODULE="bangfu.settings")
    return env


@pytest.fixture
def var(migrated_var, tmp_path):
    copy = tmp_path / "var"
    shutil.copytree(migrated_var, copy)
    return copy


def count(var: Path, sql: str) -> int:
    with sqlite3.connect(var / "bangfu.sqlite3") as db:
        return db.execute(sql).fetchone()[0]


def test_the_console_script_prints_json_and_sets_the_exit_code(var, tmp_path):
    rows = registry_rows(5)
    good = registry_file(tmp_path, rows, "good.xlsx")
    rows[3][COL["乡镇代码"]] = "500101001"
    bad = registry_file(tmp_path, rows, "bad.xlsx")
    run = subprocess.run([BANGFU, "import", "registry", str(bad), "--json"], env=_env(var),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert (data["rows"], data["created"], len(data["errors"])) == (5, 0, 1)
    assert data["errors"][0]["row"] == 5 and data["errors"][0]["column"] == "乡镇代码"
    run = subprocess.run([BANGFU, "import", "registry", str(good), "--json"], env=_env(var),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["created"] == 5
    assert count(var, "SELECT count(*) FROM registry_person") == 5


def test_the_console_script_reports_an_unusable_file_as_json(var, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_bytes(b"")
    run = subprocess.run([BANGFU, "import", "registry", str(path), "--json"], env=_env(var),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 2
    assert json.loads(run.stdout)["errors"] == [{"row": 0, "column": "", "message": "文件为空，没有任何数据"}]


KILL_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import django
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from bangfu.registry import services

    services.WRITE_BATCH = 50
    original = services._PersonWriter.insert
    written = []

    def insert_then_die(self, rows):
        original(self, rows)
        written.append(len(rows))
        if len(written) == 3:  # mid-commit: 150 persons written inside the open transaction
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM registry_person")
                seen = cursor.fetchone()[0]
            with open(sys.argv[2], "w") as marker:
                marker.write(str(seen))
            os.kill(os.getpid(), signal.SIGKILL)

    services._PersonWriter.insert = insert_then_die
    call_command("import", "registry", sys.argv[1])
""")


def test_a_killed_import_leaves_no_partial_rows(var, tmp_path):
    path = registry_file(tmp_path, registry_rows(400))
    marker = tmp_path / "written"
    run = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(path), str(marker)], env=_env(var),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == -9, run.stderr
    assert int(marker.read_text()) == 150  # the process died with rows written, uncommitted
    assert count(var, "SELECT count(*) FROM registry_person") == 0
    assert count(var, "SELECT count(*) FROM registry_household") == 0
    assert count(var, "SELECT count(*) FROM core_auditlog WHERE action = 'import.registry'") == 0
    # and the database is usable afterwards: the same file imports completely
    run = subprocess.run([BANGFU, "import", "registry", str(path), "--json"], env=_env(var),
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert count(var, "SELECT count(*) FROM registry_person") == 400
