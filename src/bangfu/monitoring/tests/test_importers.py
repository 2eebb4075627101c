"""Imports of employment months, household incomes and targets: Chinese errors, nothing half-stored."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from bangfu.core.imports import run_import
from bangfu.core.models import AuditLog
from bangfu.monitoring.importers import IMPORTERS
from bangfu.monitoring.models import EmploymentMonth, HouseholdIncome, KpiFillState, Target
from bangfu.monitoring.tests.factories import kpi_done
from bangfu.registry.tests.factories import (
    FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, HouseholdFactory, PersonFactory,
)

pytestmark = pytest.mark.django_db

HEADER = "证件号码,年月,务工地点类型,务工地区代码,就业渠道,务工单位,统一社会信用代码,岗位,职业代码,月收入"


def csv_file(*lines: str, header: str = HEADER) -> io.BytesIO:
    data = io.BytesIO(("\n".join([header, *lines]) + "\n").encode("utf-8"))
    data.name = "upload.csv"
    return data


def employment(actor, *lines, **kwargs):
    return run_import(IMPORTERS["employment"], csv_file(*lines), actor=actor, filename="m.csv", **kwargs)


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


@pytest.fixture
def person():
    return PersonFactory()


def line(person, month="2024-09", place="市外", dest="4403", channel="外出务工", employer="深圳某厂",
         code="", job="装配工", occupation="", income="5200"):
    return ",".join([person.id_number, month, place, dest, channel, employer, code, job, occupation, income])


def messages(result) -> list[str]:
    return [f"{e.row}:{e.column}:{e.message}" for e in result.errors]


def test_a_valid_month_is_stored_with_income_in_fen(officer, person):
    result = employment(officer, line(person))
    assert result.committed and result.created == 1
    row = EmploymentMonth.objects.get()
    assert (row.person_id, row.month, row.place_class, row.destination_code, row.channel, row.income_fen) == (
        person.pk, "2024-09", "out_of_city", "4403", "migrant", 520000)


def test_reimporting_the_same_file_changes_nothing(officer, person):
    employment(officer, line(person))
    before = EmploymentMonth.objects.get().updated_at
    result = employment(officer, line(person))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert EmploymentMonth.objects.get().updated_at == before


def test_a_second_import_of_the_same_month_corrects_the_record(officer, person):
    employment(officer, line(person))
    result = employment(officer, line(person, place="县内", dest="", channel="公益性岗位", income="1800"))
    assert result.updated == 1
    assert EmploymentMonth.objects.get().place_class == "in_county"


def test_months_are_read_in_the_ways_officers_write_them(officer, person):
    employment(officer, line(person, month="2024年9月"))
    assert EmploymentMonth.objects.get().month == "2024-09"


def test_an_unknown_id_number_is_refused_in_chinese_and_nothing_is_stored(officer, person):
    stranger = PersonFactory.build(district_code=FENGDU)
    result = employment(officer, line(person), line(stranger))
    assert not result.committed
    assert messages(result) == ["3:证件号码:该证件号码未在本辖区花名册中登记"]
    assert EmploymentMonth.objects.count() == 0


def test_a_person_of_another_district_reads_as_unregistered(officer):
    foreigner = PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    result = employment(officer, line(foreigner))
    assert messages(result) == ["2:证件号码:该证件号码未在本辖区花名册中登记"]


def test_a_month_in_the_future_is_refused(officer, person):
    today = timezone.localdate()
    future = f"{today.year + 1}-01"
    result = employment(officer, line(person, month=future))
    assert messages(result) == [f"2:年月:年月 {future} 晚于本月，不能填报未来月份"]


def test_a_negative_income_is_refused(officer, person):
    result = employment(officer, line(person, income="-100"))
    assert messages(result) == ["2:月收入:金额不能为负数"]


@pytest.mark.parametrize(("income", "reason"), [
    ("1e9", "金额“1e9”请直接填写数字，不要使用科学计数法"),
    ("99999999999999999999", "金额超出合理范围（0–10,000,000 元）"),
    ("5200.005", "金额“5200.005”最多保留两位小数（精确到分）"),
])
def test_absurd_incomes_are_refused_in_the_trial_as_in_the_commit(officer, person, income, reason):
    trial = employment(officer, line(person, income=income), dry_run=True)
    commit = employment(officer, line(person, income=income))
    assert messages(trial) == messages(commit) == [f"2:月收入:{reason}"]
    assert not commit.committed and not EmploymentMonth.objects.exists()


def test_in_county_work_in_a_guangdong_city_contradicts_itself(officer, person):
    result = employment(officer, line(person, place="县内", dest="4403"))
    assert messages(result) == [
        "2:务工地区代码:务工地点类型为“县内”，但务工地区“4403 深圳市”不在本人所在区县（丰都县）"]
    assert EmploymentMonth.objects.count() == 0


@pytest.mark.parametrize(("place", "dest", "message"), [
    ("市内县外", "4403", "务工地点类型为“市内县外”，但务工地区“4403 深圳市”不在重庆市内"),
    ("市内县外", FENGDU_TOWNSHIP, "务工地点类型为“市内县外”，但务工地区“500230101 虎威镇”就在本人所在区县，应为“县内”"),
    ("市外", "500101", "务工地点类型为“市外”，但务工地区“500101 万州区”在重庆市内"),
    ("市外", "", "务工地点类型为“市外”时必须填写务工地区代码"),
    ("境外", "4403", "务工地点类型为“境外”，但务工地区“4403 深圳市”在国内"),
])
def test_place_class_and_destination_must_agree(officer, person, place, dest, message):
    result = employment(officer, line(person, place=place, dest=dest))
    assert messages(result) == [f"2:务工地区代码:{message}"]


def test_a_destination_may_be_given_by_its_name(officer, person):
    employment(officer, line(person, dest="深圳市"))
    assert EmploymentMonth.objects.get().destination_code == "4403"


def test_two_different_rows_for_one_person_and_month_are_refused(officer, person):
    result = employment(officer, line(person), line(person, income="6000"))
    assert messages(result) == ["3:年月:同一人同一月份在第2行已有一条内容不同的记录"]
    assert EmploymentMonth.objects.count() == 0


def test_an_identical_repeated_row_is_harmless(officer, person):
    result = employment(officer, line(person), line(person))
    assert result.committed and result.created == 1 and result.unchanged == 1


def test_a_wrong_credit_code_is_refused_and_a_right_one_kept(officer, person):
    result = employment(officer, line(person, code="91440300MA5F000000"))
    assert messages(result) == ["2:统一社会信用代码:统一社会信用代码 91440300MA5F000000 校验不通过"]
    result = employment(officer, line(person, code="91110000600037341L"))
    assert result.committed
    assert EmploymentMonth.objects.get().employer_uscc == "91110000600037341L"


def test_commit_valid_keeps_the_good_rows(officer, person):
    other = PersonFactory()
    result = employment(officer, line(person), line(other, income="-1"), commit_valid=True)
    assert result.committed and result.created == 1
    assert list(EmploymentMonth.objects.values_list("person_id", flat=True)) == [person.pk]


def test_an_import_writes_one_audit_row_without_id_numbers(officer, person):
    employment(officer, line(person))
    audit = AuditLog.objects.get(action="import.employment")
    assert person.id_number not in str(audit.detail)


def test_an_import_marks_the_months_it_changes_stale(officer, person):
    for month in ("2024-09", "2024-10", "2024-12", "2025-09", "2024-08"):
        kpi_done(month)
    employment(officer, line(person))
    states = dict(KpiFillState.objects.values_list("month", "state"))
    # The month itself, the next (month on month), the rest of the year (year to date) and a
    # year later (year on year) are stale; August is not touched.
    assert states == {"2024-08": "DONE", "2024-09": "STALE", "2024-10": "STALE", "2024-12": "STALE",
                      "2025-09": "STALE"}


def test_the_template_has_the_chinese_headers():
    from openpyxl import load_workbook

    from bangfu.core.imports.report import template_xlsx

    book = load_workbook(io.BytesIO(template_xlsx(IMPORTERS["employment"])))
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers[:4] == ["证件号码", "姓名", "年月", "务工地点类型"]
    assert "统一社会信用代码" in headers and "月收入" in headers


# ---- household incomes ------------------------------------------------------------------------------
INCOME_HEADER = "户编号,年度,工资性收入,经营性收入,财产性收入,转移性收入,家庭纯收入"


def test_household_incomes_are_imported_by_household_number(officer):
    household = HouseholdFactory()
    result = run_import(IMPORTERS["income"], csv_file(f"{household.number},2023,42000,6000,500,5500,54000",
                                                      header=INCOME_HEADER), actor=officer)
    assert result.committed
    income = HouseholdIncome.objects.get()
    assert (income.wage_fen, income.total_fen) == (4_200_000, 5_400_000)


def test_a_total_that_is_not_the_sum_is_refused(officer):
    household = HouseholdFactory()
    result = run_import(IMPORTERS["income"], csv_file(f"{household.number},2023,42000,6000,500,5500,50000",
                                                      header=INCOME_HEADER), actor=officer)
    assert messages(result) == ["2:家庭纯收入:家庭纯收入 50,000 元不等于四项收入之和 54,000 元"]
    assert HouseholdIncome.objects.count() == 0


def test_a_household_of_another_district_is_unknown(officer):
    household = HouseholdFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    result = run_import(IMPORTERS["income"], csv_file(f"{household.number},2023,1,0,0,0,",
                                                      header=INCOME_HEADER), actor=officer)
    assert messages(result) == ["2:户编号:该户编号未在本辖区花名册中登记"]


# ---- targets -------------------------------------------------------------------------------------------
TARGET_HEADER = "区域代码,年度,务工规模目标"


def test_the_city_sets_targets_for_itself_and_its_districts(make_user):
    admin = make_user()
    result = run_import(IMPORTERS["targets"], csv_file("50,2024,745000", "丰都县,2024,\"21,000\"",
                                                       header=TARGET_HEADER), actor=admin)
    assert result.committed
    assert dict(Target.objects.values_list("area_code", "employment_target")) == {"50": 745000, FENGDU: 21000}


def test_a_district_cannot_set_the_city_target(officer):
    result = run_import(IMPORTERS["targets"], csv_file("50,2024,745000", header=TARGET_HEADER), actor=officer)
    assert messages(result) == ["2:区域代码:区域 50 不在您的管辖范围内"]
    assert Target.objects.count() == 0


def test_bangfu_import_employment_reads_a_file_from_the_command_line(person, tmp_path, capsys):
    from django.core.management import call_command

    path = tmp_path / "2024-09.csv"
    path.write_bytes(csv_file(line(person)).getvalue())
    call_command("import", "employment", str(path))
    assert EmploymentMonth.objects.filter(person=person, month="2024-09").exists()
    assert "新增 1" in capsys.readouterr().out


def test_generated_files_import_back_unchanged(make_user, tmp_path):
    """The generator's CSV files are in the import format: loading one changes nothing."""
    from bangfu.monitoring import generate
    from bangfu.registry.generate import GenerateContext
    from bangfu.registry.generate.pipeline import registry_step

    ctx = GenerateContext(seed=5, people=300, load=True, out_dir=tmp_path)
    registry_step(ctx)
    generate.generate_step(ctx)
    files = sorted((tmp_path / "monitoring").glob("employment_2024-09_*.csv"))
    assert files
    result = run_import(IMPORTERS["employment"], files[0], actor=make_user(), filename=files[0].name)
    assert result.ok and result.rows > 0
    assert result.unchanged == result.rows and result.created == 0
