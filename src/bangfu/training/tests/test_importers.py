"""The 培训花名册 in and out: enrolments, attendance, completion and certificates from one real
Excel file, all-or-nothing, errors with row and column, a re-import (of the file or of the
exported 花名册) changes nothing."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils.translation import gettext as _

from bangfu.core.imports import run_import
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.training import choices as c
from bangfu.training import exports
from bangfu.training.importers import ERR_UNKNOWN_PERSON, IMPORTERS
from bangfu.training.models import Certificate, Enrolment
from bangfu.training.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db
HEADERS = ["培训项目编号", "证件号码", "姓名", "出勤天数", "结业日期", "证书编号", "证书等级", "发证日期"]


def _book(headers, rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU)


def test_the_roster_enrols_records_attendance_completes_and_certifies_and_a_reimport_changes_nothing(officer):
    course = CourseFactory(days=10)
    a, b, d = PersonFactory(), PersonFactory(), PersonFactory()
    rows = [[course.pk, a.id_number, a.name, 10, "2024-03-20", "CQ-1", "初级", "2024-04-01"],
            [course.pk, b.id_number, b.name, 9, "2024-03-20", None, None, None],
            [course.pk, d.id_number, d.name, 3, None, None, None, None]]
    result = run_import(IMPORTERS["training_roster"], _book(HEADERS, rows), actor=officer, filename="r.xlsx")
    assert not result.errors and result.created == 3
    status = dict(Enrolment.objects.values_list("person_id", "status"))
    assert status == {a.pk: "completed", b.pk: "completed", d.pk: "enrolled"}
    assert list(Certificate.objects.values_list("number", "level")) == [("CQ-1", c.SkillLevel.JUNIOR)]
    again = run_import(IMPORTERS["training_roster"], _book(HEADERS, rows), actor=officer, filename="r.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    exported = exports.roster(user=officer, course=course)
    sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
    lines = list(sheet.iter_rows(values_only=True))
    assert "*" in str(lines[1][2])  # masked ID number
    back = run_import(IMPORTERS["training_roster"], io.BytesIO(exported), actor=officer, filename="x.xlsx")
    assert not back.errors and back.unchanged == 3 and back.created == back.updated == 0


def test_a_roster_with_one_bad_row_writes_nothing_and_names_row_and_column(officer):
    course = CourseFactory(days=10)
    a = PersonFactory()
    outsider = PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    rows = [[course.pk, a.id_number, a.name, 10, "2024-03-20", None, None, None],
            [course.pk, outsider.id_number, outsider.name, 10, None, None, None, None]]
    result = run_import(IMPORTERS["training_roster"], _book(HEADERS, rows), actor=officer, filename="r.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(3, "证件号码")]
    assert result.errors[0].message == _(ERR_UNKNOWN_PERSON)
    assert not Enrolment.objects.exists()


def test_too_few_days_for_completion_refuses_the_file(officer):
    course = CourseFactory(days=10)
    a = PersonFactory(township_code=FENGDU_TOWNSHIP)
    rows = [[course.pk, a.id_number, a.name, 5, "2024-03-20", None, None, None]]
    result = run_import(IMPORTERS["training_roster"], _book(HEADERS, rows), actor=officer, filename="r.xlsx")
    assert result.errors and "不足" in result.errors[0].message
    assert not Enrolment.objects.exists()
