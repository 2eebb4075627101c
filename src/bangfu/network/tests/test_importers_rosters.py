"""Imports of the workshop roster (车间吸纳花名册), the helper roster and the service records: real
.xlsx files written with openpyxl, errors by row and column in Chinese, nothing written when a row
is wrong, re-imports that change nothing, and the area kept (a person of another district is an
unknown person)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import Workbook

from bangfu.core.imports import run_import
from bangfu.core.pii import pii_hash
from bangfu.monitoring.models import EmploymentMonth
from bangfu.network.importers import IMPORTERS
from bangfu.network.importers_rosters import ERR_NO_PERSON, ERR_NO_WORKSHOP
from bangfu.network.models import Helper, ServiceRecord, WorkshopMember
from bangfu.network.tests.factories import HelperFactory, WorkshopFactory
from bangfu.registry.tests.factories import WANZHOU, WANZHOU_TOWNSHIP, FENGDU, PersonFactory

pytestmark = pytest.mark.django_db
ROSTER = ["认定编号", "证件号码", "姓名", "起始年月", "结束年月"]


def xlsx(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def imp(kind, rows, actor):
    return run_import(IMPORTERS[kind], xlsx(rows), actor=actor, filename="f.xlsx")


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


def test_the_workshop_roster_imports_once_and_writes_workshop_months(officer):
    shop = WorkshopFactory(code="BF-1")
    a, b = PersonFactory(), PersonFactory()
    rows = [ROSTER, ["BF-1", a.id_number, a.name, "2024-01", "2024-03"], ["BF-1", b.id_number, b.name, "2024年2月", ""]]
    first = imp("workshop_members", rows, officer)
    assert first.committed and not first.errors and first.created == 2
    assert set(WorkshopMember.objects.filter(workshop=shop).values_list("person_id", "start_month", "end_month")) == {
        (a.pk, "2024-01", "2024-03"), (b.pk, "2024-02", "")}
    assert list(EmploymentMonth.objects.filter(person=a).order_by("month").values_list("month", "channel")) == [
        ("2024-01", "workshop"), ("2024-02", "workshop"), ("2024-03", "workshop")]
    again = imp("workshop_members", rows, officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    rows[2][4] = "2024-06"  # b left in June: an update through the service
    later = imp("workshop_members", rows, officer)
    assert (later.created, later.updated, later.unchanged) == (0, 1, 1)
    assert WorkshopMember.objects.get(person=b).end_month == "2024-06"


def test_bad_rows_write_nothing_and_name_row_and_column_in_chinese(officer):
    WorkshopFactory(code="BF-1")
    WorkshopFactory(code="BF-WZ", district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    good, other = PersonFactory(), PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    rows = [ROSTER,
            ["BF-1", good.id_number, "", "2024-01", ""],
            ["BF-1", other.id_number, "", "2024-01", ""],          # a person of another district
            ["BF-WZ", good.id_number, "", "2024-01", ""],          # a workshop of another district
            ["BF-1", "500230198506010011", "", "2024-01", ""],     # not a valid ID number
            ["BF-1", good.id_number, "", "2024-01", ""]]           # the first row again
    result = imp("workshop_members", rows, officer)
    assert not result.committed and WorkshopMember.objects.count() == 0
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(3, "证件号码")] == ERR_NO_PERSON  # not revealed: same words as an unknown number
    assert errors[(4, "认定编号")] == ERR_NO_WORKSHOP.format(value="BF-WZ")
    assert (5, "证件号码") in errors and errors[(6, "证件号码")] == "与第2行重复"
    assert 2 not in {e.row for e in result.errors}


def test_a_refusal_of_the_service_is_a_row_error_and_writes_nothing(officer):
    WorkshopFactory(code="BF-1")
    a, b = PersonFactory(), PersonFactory()
    rows = [ROSTER, ["BF-1", a.id_number, "", "2024-01", ""], ["BF-1", b.id_number, "", "2024-05", "2024-02"]]
    result = imp("workshop_members", rows, officer)
    assert not result.committed
    assert [(e.row, e.column) for e in result.errors] == [(3, "结束年月")]
    assert result.errors[0].message == "结束年月不能早于起始年月"
    assert WorkshopMember.objects.count() == 0 and not EmploymentMonth.objects.filter(person=a).exists()


HELPERS = ["姓名", "类别", "出生日期", "联系电话", "所在区县", "所在乡镇"]


def test_the_helper_roster_imports_once_by_label_or_code_with_the_phone_encrypted(officer):
    rows = [HELPERS, ["李四", "劳务经纪人", "1980-05-01", "13800000001", "丰都县", "500230101"],
            ["王五", "career_guide", "1975-01-09", "", "500230", ""]]
    first = imp("helpers", rows, officer)
    assert first.committed and not first.errors and first.created == 2
    li = Helper.objects.get(name="李四")
    assert (li.role, li.district_code, li.township_code, li.covered_area_code) == (
        "broker", FENGDU, "500230101", "500230101")
    assert li.phone == "13800000001" and li.phone_hash == pii_hash("13800000001")
    stored = connection.cursor()
    stored.execute("SELECT phone FROM network_helper WHERE id = %s", [li.pk])
    assert "13800000001" not in str(stored.fetchone()[0])  # encrypted at rest
    assert Helper.objects.get(name="王五").role == "career_guide"
    again = imp("helpers", rows, officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2) and Helper.objects.count() == 2


def test_bad_helper_rows_write_nothing(officer):
    HelperFactory(name="李四", birth_date=dt.date(1980, 5, 1), role="broker")
    rows = [HELPERS,
            ["赵六", "劳务经纪人", "1980-05-01", "", "丰都县", ""],            # good
            ["钱七", "劳务经纪人", "1980-05-01", "", "万州区", ""],            # another district
            ["孙八", "劳务经纪人", "2015-05-01", "", "丰都县", ""],            # too young (the service says)
            ["李四", "职业指导师", "1980-05-01", "", "丰都县", ""],            # registered, with another role
            ["周九", "厨师", "1980-05-01", "", "丰都县", ""],                  # not a role
            ["吴十", "劳务经纪人", "1980-05-01", "", "丰都县", "500101001"]]   # township of another district
    result = imp("helpers", rows, officer)
    assert not result.committed and Helper.objects.count() == 1
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(3, "所在区县")] == "500101 不在您的管辖范围内"
    assert errors[(5, "姓名")].startswith("已登记的同一帮扶人员") and "类别" in errors[(5, "姓名")]
    assert (6, "类别") in errors and (7, "所在乡镇") in errors
    assert 2 not in {e.row for e in result.errors} and 4 not in {e.row for e in result.errors}
    # the age is the service's refusal, at commit: once the checks pass, it is the row's error
    result = imp("helpers", [HELPERS, rows[1], rows[3]], officer)
    assert not result.committed and Helper.objects.count() == 1
    assert [(e.row, e.column) for e in result.errors] == [(3, "出生日期")]
    assert result.errors[0].message.startswith("帮扶人员年龄应在")


SERVICES = ["证件号码", "服务对象", "服务类型", "服务日期", "帮扶人员编号", "帮扶人员", "备注"]


def test_service_records_import_once_with_the_helper_by_number_or_name(officer):
    broker = HelperFactory(name="李四")
    a, b = PersonFactory(), PersonFactory()
    rows = [SERVICES, [a.id_number, a.name, "上门走访", "2024-03-05", str(broker.pk), "", "家中走访"],
            [b.id_number, b.name, "电话联系", "2024-03-06", "", "李四", ""],
            [b.id_number, b.name, "job_push", "2024-03-07", "", "", ""]]
    first = imp("service_records", rows, officer)
    assert first.committed and not first.errors and first.created == 3
    assert set(ServiceRecord.objects.values_list("person_id", "helper_id", "kind", "served_on", "month")) == {
        (a.pk, broker.pk, "visit", dt.date(2024, 3, 5), "2024-03"),
        (b.pk, broker.pk, "call", dt.date(2024, 3, 6), "2024-03"),
        (b.pk, None, "job_push", dt.date(2024, 3, 7), "2024-03")}
    again = imp("service_records", rows, officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3) and ServiceRecord.objects.count() == 3


def test_bad_service_rows_write_nothing_and_another_district_s_people_stay_unknown(officer):
    HelperFactory(name="李四")
    HelperFactory(name="同名")
    HelperFactory(name="同名", birth_date=dt.date(1982, 7, 9))  # another person of that name
    foreign = HelperFactory(name="万州经纪人", district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP,
                            covered_area_code=WANZHOU_TOWNSHIP)
    a, other = PersonFactory(), PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    rows = [SERVICES, [a.id_number, "", "上门走访", "2024-03-05", "", "李四", ""],        # good
            [other.id_number, "", "上门走访", "2024-03-05", "", "", ""],                  # another district
            [a.id_number, "", "上门走访", "2024-03-05", str(foreign.pk), "", ""],         # a helper of it
            [a.id_number, "", "上门走访", "2024-03-05", "", "同名", ""],                  # two of that name
            [a.id_number, "", "唱歌", "2024-03-05", "", "", ""],                          # not a kind
            [a.id_number, "", "上门走访", "2024-03-05", "", "李四", ""]]                  # row 2 again
    result = imp("service_records", rows, officer)
    assert not result.committed and ServiceRecord.objects.count() == 0
    errors = {(e.row, e.column): e.message for e in result.errors}
    assert errors[(3, "证件号码")] == ERR_NO_PERSON
    assert errors[(4, "帮扶人员编号")] == "没有该帮扶人员，或不在您的管辖范围内"
    assert errors[(5, "帮扶人员")] == "同名帮扶人员不止一人，请填写帮扶人员编号"
    assert (6, "服务类型") in errors and errors[(7, "证件号码")] == "与第2行重复"
    result = imp("service_records", [SERVICES, rows[1], [a.id_number, "", "电话联系", tomorrow, "", "", ""]], officer)
    assert not result.committed and ServiceRecord.objects.count() == 0
    assert [(e.row, e.column, e.message) for e in result.errors] == [(3, "服务日期", "日期不能晚于今天")]


@pytest.mark.parametrize("kind", ["workshop_members", "helpers", "service_records"])
def test_the_rosters_are_offered_on_the_upload_page_with_their_templates(kind, client, officer):
    from openpyxl import load_workbook

    from bangfu.core.hooks import IMPORTERS as HOOK

    assert HOOK.mapping()[kind] is IMPORTERS[kind]
    client.force_login(officer)
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    headers = [cell.value for cell in next(load_workbook(io.BytesIO(response.content)).active.iter_rows())]
    assert headers == [col.header for col in IMPORTERS[kind].columns]
