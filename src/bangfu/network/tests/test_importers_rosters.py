"""Imports of the workshop roster (车间吸纳花名册), the helper roster and the service records: real
.xlsx files written with openpyxl, errors by row and column in Chinese, nothing written when a row
is wrong, re-imports that change nothing, and the area kept (a person of another district is an
unknown person)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from bangfu.core.imports import run_import
from bangfu.monitoring.models import EmploymentMonth
from bangfu.network.importers import IMPORTERS
from bangfu.network.importers_rosters import ERR_NO_PERSON, ERR_NO_WORKSHOP
from bangfu.network.models import WorkshopMember
from bangfu.network.tests.factories import WorkshopFactory
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
