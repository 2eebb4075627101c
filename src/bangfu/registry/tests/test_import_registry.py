"""The registry import: counts, idempotence, all-or-nothing, every validation in Chinese."""

import datetime as dt
import io

import pytest
from django.db import connection
from stdnum.cn import ric

from bangfu.core.actors import SYSTEM
from bangfu.core.identifiers import ERR_CHECKSUM, make_id_number
from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import REGISTRY_HEADERS, csv_bytes, registry_rows, xlsx_bytes
from bangfu.core.models import AuditLog
from bangfu.registry import services
from bangfu.registry.importers import IMPORTERS, RegistryImporter
from bangfu.registry.models import Household, Person
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, PersonFactory

pytestmark = pytest.mark.django_db
COL = {header: index for index, header in enumerate(REGISTRY_HEADERS)}


def with_check(body: str) -> str:
    """17 digits plus their valid check digit (so the checksum is not the error)."""
    return body + ric.calc_check_digit(body + "0")


def do_import(rows, *, actor=SYSTEM, headers=REGISTRY_HEADERS, fmt="xlsx", **kwargs):
    data = xlsx_bytes([headers, *rows]) if fmt == "xlsx" else csv_bytes([headers, *rows])
    return run_import(IMPORTERS["registry"], io.BytesIO(data), actor=actor, filename=f"花名册.{fmt}", **kwargs)


def errors_of(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def one_error(rows, **kwargs):
    result = do_import(rows, **kwargs)
    assert not result.committed and Person.objects.count() == 0
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_a_new_file_creates_households_and_persons_with_sex_and_birth_date_from_the_id():
    rows = registry_rows(6)
    result = do_import(rows)
    assert (result.rows, result.created, result.updated, result.unchanged) == (6, 6, 0, 0)
    assert result.committed and not result.errors
    assert Household.objects.count() == 2 and Person.objects.count() == 6
    person = Person.objects.get(id_number_hash=services.pii_hash(rows[1][COL["证件号码"]]))
    assert person.id_number == rows[1][COL["证件号码"]]
    assert person.sex == "F" and person.birth_date == dt.date(1960, 1, 2)
    assert person.relation == "spouse" and person.labour_ability == "skilled"
    assert person.accepted_places == "in_county,out_of_city" and person.expected_wage_fen == 310000
    assert person.household.number == rows[1][0] and person.household.township_code == rows[1][COL["乡镇代码"]]


def test_personal_data_is_stored_encrypted():
    rows = registry_rows(1)
    do_import(rows)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM registry_person")
        raw_id, raw_phone = cursor.fetchone()
    assert rows[0][COL["证件号码"]] not in raw_id and rows[0][COL["联系电话"]] not in raw_phone
    assert Person.objects.get().phone == rows[0][COL["联系电话"]]


def test_reimporting_the_same_file_changes_nothing_but_is_audited():
    rows = registry_rows(9)
    do_import(rows)
    before = list(Person.objects.values_list("pk", "updated_at", "content_hash"))
    households_before = list(Household.objects.values_list("pk", "updated_at", "category"))
    result = do_import(rows)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 9)
    assert list(Person.objects.values_list("pk", "updated_at", "content_hash")) == before
    assert list(Household.objects.values_list("pk", "updated_at", "category")) == households_before
    assert AuditLog.objects.filter(action="import.registry").count() == 2
    assert AuditLog.objects.filter(action="import.registry").first().detail["unchanged"] == 9


def test_a_changed_row_is_updated_and_the_others_are_unchanged():
    rows = registry_rows(6)
    do_import(rows)
    rows[2][COL["联系电话"]] = "13900000000"
    rows[4][COL["劳动技能"]] = "丧失劳动力"
    result = do_import(rows)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 4)
    changed = Person.objects.get(id_number_hash=services.pii_hash(rows[2][COL["证件号码"]]))
    assert changed.phone == "13900000000" and changed.phone_hash == services.pii_hash("13900000000")
    assert Person.objects.get(id_number_hash=services.pii_hash(rows[4][COL["证件号码"]])).labour_ability == "lost"


def test_the_same_file_as_csv_or_with_english_headers_gives_the_same_persons():
    rows = registry_rows(3)
    do_import(rows, fmt="csv")
    english = [c.key for c in RegistryImporter.columns]
    english[english.index("expected_wage")] = "expected_wage"
    result = do_import(rows, headers=english)
    assert result.unchanged == 3


def test_enum_cells_accept_codes_as_well_as_chinese_labels():
    rows = registry_rows(1)
    rows[0][COL["劳动技能"]] = "skilled"
    rows[0][COL["人口类型"]] = "monitored"
    rows[0][COL["与户主关系"]] = "本人"
    do_import(rows)
    person = Person.objects.get()
    assert (person.labour_ability, person.category, person.relation) == ("skilled", "monitored", "head")


def test_a_household_is_monitored_if_any_member_is():
    rows = registry_rows(3)
    for row in rows:
        row[0], row[COL["人口类型"]] = "H-MIX", "脱贫人口"
    rows[2][COL["人口类型"]] = "防返贫监测对象"
    do_import(rows)
    assert Household.objects.get(number="H-MIX").category == "monitored"
    rows[2][COL["人口类型"]] = "脱贫人口"
    do_import(rows)
    assert Household.objects.get(number="H-MIX").category == "alleviated"


def test_a_township_may_be_given_by_name_within_its_district():
    rows = registry_rows(1)
    rows[0][COL["区县代码"]], rows[0][COL["乡镇代码"]] = "丰都县", "虎威镇"
    do_import(rows)
    assert Person.objects.get().township_code == "500230101"


def test_skills_accept_occupation_codes_and_names():
    rows = registry_rows(1)
    rows[0][COL["技能"]] = "4-01-02-03、装卸搬运工"
    do_import(rows)
    assert Person.objects.get().skill_list == ["4-01-02-03", "4-02-05-01"]


def test_one_bad_row_stops_the_whole_import():
    rows = registry_rows(5)
    rows[3][COL["证件号码"]] = rows[3][COL["证件号码"]][:-1] + ("1" if rows[3][COL["证件号码"]][-1] != "1" else "2")
    result = do_import(rows)
    assert errors_of(result) == [(5, "证件号码", ERR_CHECKSUM)]
    assert not result.committed
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    assert not AuditLog.objects.filter(action="import.registry").exists()


def test_commit_valid_imports_the_good_rows_and_returns_the_bad_ones():
    rows = registry_rows(5)
    rows[3][COL["劳动技能"]] = "很能干"
    result = do_import(rows, commit_valid=True)
    assert result.committed and result.created == 4 and result.error_rows == 1
    assert Person.objects.count() == 4
    assert [n for n, _ in result.rejected_raw] == [5]


def test_a_dry_run_counts_without_writing():
    rows = registry_rows(4)
    do_import(rows[:2])
    rows[0][COL["姓名"]] = "改名"
    result = do_import(rows, dry_run=True)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 1)
    assert Person.objects.count() == 2 and not Person.objects.filter(name="改名").exists()


@pytest.mark.parametrize(("column", "value", "message"), [
    ("证件号码", "50023019850601001", "证件号码应为18位"),
    ("证件号码", "5002301985060100AX", "证件号码格式错误（前17位须为数字，末位为数字或X）"),
    ("证件号码", with_check("50023019851301001"), "证件号码中的出生日期无效"),
    ("证件号码", with_check("99999919850601001"), "证件号码中的地址码不存在"),
    ("证件号码", with_check("50023020990601001"), "证件号码中的出生日期晚于今天"),
    ("区县代码", "500999", "未知的区县代码“500999”"),
    ("区县代码", "500230101", "“500230101”是乡镇代码，区县代码应为6位（如 500230）"),
    ("乡镇代码", "500230999", "未知的乡镇代码“500230999”"),
    ("乡镇代码", "500101001", "乡镇“500101001（高笋塘街道）”不属于区县“500230（丰都县）”"),
    ("乡镇代码", "火星镇", "区县“500230（丰都县）”下没有名为“火星镇”的乡镇（街道）"),
    ("人口类型", "贫困户", "“贫困户”不是有效的选项，可选：脱贫人口、防返贫监测对象"),
    ("文化程度", "博士后", "“博士后”不是有效的选项，可选：文盲或半文盲、小学、初中、高中或中专、大专及以上"),
    ("联系电话", "1381234567", "联系电话格式错误（应为11位手机号，或带区号的固定电话如 023-12345678）"),
    ("期望月薪", "-500", "金额不能为负数"),
    ("期望月薪", "3500000", "金额超出合理范围（0–100,000 元）"),
    ("是否在校生", "在读", "“在读”无法识别，请填写“是”或“否”"),
    ("可接受务工地点", "火星", "“火星”不是有效的选项，可选：县内、市内县外、市外、境外"),
    ("技能", "9-99-99", "“9-99-99”不是有效的职业编码（见职业分类大典，如 4-01-02-03）"),
    ("姓名", "", "必填项不能为空"),
    ("姓名", "张3", "姓名不应包含数字"),
    ("户编号", "H 0/1", "户编号只能包含数字、字母和“-”，最长32位"),
    ("劳动技能", "", "必填项不能为空"),
])
def test_each_bad_cell_is_explained_in_chinese(column, value, message):
    rows = registry_rows(1)
    rows[0][COL[column]] = value
    error = one_error(rows)
    assert (error.row, error.column, error.message) == (2, column, message)


def test_an_id_number_twice_in_the_file_is_a_duplicate():
    rows = registry_rows(3)
    rows[2][COL["证件号码"]] = rows[0][COL["证件号码"]]
    assert errors_of(do_import(rows)) == [(4, "证件号码", "证件号码与第 2 行重复")]


def test_a_household_cannot_have_two_heads_or_two_townships():
    rows = registry_rows(3)
    rows[1][COL["与户主关系"]] = "户主"
    rows[2][COL["乡镇代码"]] = "500230102"
    assert errors_of(do_import(rows)) == [
        (3, "与户主关系", f"户编号 {rows[0][0]} 已有户主（第 2 行），一户只能有一个户主"),
        (4, "乡镇代码", "同一户编号的乡镇代码与第 2 行不一致"),
    ]


def test_a_registered_id_under_another_household_number_is_refused():
    rows = registry_rows(1)
    do_import(rows)
    rows[0][0] = "H-OTHER"
    error = do_import(rows).errors[0]
    assert (error.column, error.message) == ("户编号", f"该证件号码已登记在户编号 {registry_rows(1)[0][0]} 下，与本行户编号不一致")


def test_an_officer_imports_only_inside_their_area(make_user):
    officer = make_user("district_officer", FENGDU)
    rows = registry_rows(8)  # households alternate between 丰都 and 万州 townships
    result = do_import(rows, actor=officer)
    outside = [e for e in result.errors if e.message == "不在您的管辖区域内，不能导入"]
    assert outside and all(rows[e.row - 2][COL["区县代码"]] != FENGDU for e in outside)
    assert Person.objects.count() == 0


def test_an_officer_cannot_overwrite_a_person_registered_outside_their_area(make_user):
    existing = PersonFactory(district_code=WANZHOU, township_code="500101001")
    officer = make_user("district_officer", FENGDU)
    row = registry_rows(1)[0]
    row[0], row[COL["证件号码"]] = existing.household.number, existing.id_number
    row[COL["区县代码"]], row[COL["乡镇代码"]] = FENGDU, FENGDU_TOWNSHIP
    error = do_import([row], actor=officer).errors[0]
    assert error.message == "该人员已登记在您管辖区域以外，不能修改"


def test_a_failure_inside_the_commit_leaves_no_rows(monkeypatch):
    """All in one transaction: an error after some batches were written rolls them back."""
    batches = []
    original = services._PersonWriter.insert

    def failing_insert(self, rows):
        original(self, rows)
        batches.append(len(rows))
        if len(batches) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(services._PersonWriter, "insert", failing_insert)
    monkeypatch.setattr(services, "WRITE_BATCH", 10)
    with pytest.raises(RuntimeError):
        run_import(IMPORTERS["registry"], io.BytesIO(xlsx_bytes([REGISTRY_HEADERS, *registry_rows(30)])),
                   actor=SYSTEM, filename="a.xlsx")
    assert batches == [10, 10]
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    assert not AuditLog.objects.filter(action="import.registry").exists()


def test_persons_are_written_with_a_bounded_number_of_queries(django_assert_max_num_queries):
    rows = registry_rows(300)
    with django_assert_max_num_queries(20):
        result = do_import(rows)
    assert result.created == 300


def test_person_update_refreshes_the_content_hash_so_a_reimport_restores_the_file(make_user):
    rows = registry_rows(1)
    do_import(rows)
    person = Person.objects.get()
    services.person_update(person=person, actor=make_user(), name="新名字", expected_wage_fen=500000)
    audit = AuditLog.objects.get(action="person.update")
    assert audit.detail["changes"]["name"] == {"from": rows[0][1], "to": "新名字"}
    result = do_import(rows)
    assert result.updated == 1
    assert Person.objects.get().name == rows[0][1]


def test_person_update_names_personal_data_changes_without_values(make_user):
    person = PersonFactory()
    services.person_update(person=person, actor=make_user(), phone="13700000000")
    detail = AuditLog.objects.get(action="person.update").detail
    assert detail == {"changes": {"phone": {"changed": True}}}
    person.refresh_from_db()
    assert person.phone_hash == services.pii_hash("13700000000")


def test_person_create_derives_sex_and_birth_date(make_user):
    household = PersonFactory().household
    number = make_id_number(FENGDU, dt.date(1990, 3, 4), 7, "F")
    person = services.person_create(actor=make_user(), household=household, name="王芳", id_number=number,
                                     relation="spouse", labour_ability="ordinary")
    assert (person.sex, person.birth_date) == ("F", dt.date(1990, 3, 4))
    assert AuditLog.objects.filter(action="person.create", object_id=str(person.pk)).exists()


def test_a_sheet_without_optional_columns_keeps_what_is_stored():
    rows = registry_rows(3)
    do_import(rows)
    keep = [h for h in REGISTRY_HEADERS if h not in ("联系电话", "村", "期望月薪")]
    narrow = [[row[COL[h]] for h in keep] for row in rows]
    narrow[0][keep.index("劳动技能")] = "丧失劳动力"
    new_member = registry_rows(4)[3]
    new_member[0] = rows[0][0]
    for header in ("区县代码", "乡镇代码"):
        new_member[COL[header]] = rows[0][COL[header]]
    new_member[COL["与户主关系"]] = "之子"
    narrow.append([new_member[COL[h]] for h in keep])
    result = do_import(narrow, headers=keep)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
    first = Person.objects.get(id_number_hash=services.pii_hash(rows[0][COL["证件号码"]]))
    assert first.labour_ability == "lost"
    assert first.phone == rows[0][COL["联系电话"]] and first.expected_wage_fen == 300000
    added = Person.objects.get(id_number_hash=services.pii_hash(new_member[COL["证件号码"]]))
    assert added.village == rows[0][COL["村"]] and added.phone == ""
    assert Household.objects.get(number=rows[0][0]).village == rows[0][COL["村"]]
    restored = do_import(rows)  # the full sheet again: only the changed labour ability differs
    assert (restored.updated, restored.unchanged) == (1, 2)


def test_the_content_hash_of_a_stored_person_equals_the_imported_one():
    do_import(registry_rows(4))
    for person in Person.objects.select_related("household"):
        assert services.PersonRecord.of(person).content_hash == person.content_hash
