"""岗位申报表 and 公益性岗位人员花名册, in and out: all-or-nothing, errors with row and column, a
re-import (of the file or of the exported sheet) changes nothing, 一户一岗 and 一岗一人 refused."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.imports import run_import
from bangfu.posts import choices as c
from bangfu.posts.errors import ERR_HOUSEHOLD_PLACED, ERR_PERSON_PLACED
from bangfu.posts.importers import IMPORTERS
from bangfu.posts.models import Placement, WelfarePost
from bangfu.posts.sheets import ERR_OUTSIDE, ERR_SAME_HOUSEHOLD
from bangfu.posts.tests.factories import PlacementFactory, WelfarePostFactory
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.core.audit import AuditLog

pytestmark = pytest.mark.django_db


def _book(headers, rows) -> io.BytesIO:
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def _read(content: bytes) -> io.BytesIO:
    return io.BytesIO(content)


REQUEST_HEADERS = ["岗位名称", "岗位类型", "用工形式", "每月工时", "岗位人数", "乡镇（街道）", "村（社区）", "资金来源", "资金年度"]


def _request(name, township=FENGDU_TOWNSHIP, work_time="全日制", hours=None):
    return [name, "公共服务类", work_time, hours, 2, township, "新村", "就业补助资金", 2024]


def test_the_request_sheet_is_all_or_nothing_and_its_export_reimports_unchanged(client, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    rows = [_request("村道保洁员"), _request("护林员", work_time="非全日制", hours=80)]
    result = run_import(IMPORTERS["post_requests"], _book(REQUEST_HEADERS, [*rows, _request("河道巡查员", WANZHOU_TOWNSHIP)]),
                        actor=officer, filename="申报.xlsx")
    assert not result.committed and not WelfarePost.objects.exists()
    assert [(e.row, e.column, e.message) for e in result.errors] == [(4, "乡镇（街道）", _(ERR_OUTSIDE))]
    result = run_import(IMPORTERS["post_requests"], _book(REQUEST_HEADERS, rows), actor=officer, filename="申报.xlsx")
    assert result.committed and result.created == 2
    part_time = WelfarePost.objects.get(name="护林员")
    assert (part_time.status, part_time.work_time, part_time.hours_per_month, part_time.district_code) == (
        c.PostStatus.REQUESTED, c.WorkTime.PART_TIME, 80, FENGDU)
    again = run_import(IMPORTERS["post_requests"], _book(REQUEST_HEADERS, rows), actor=officer, filename="申报.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)

    client.force_login(officer)
    exported = client.get(reverse("posts:requests_sheet")).content
    sheet = openpyxl.load_workbook(_read(exported)).active
    assert sheet.cell(1, 1).value == "岗位编号" and sheet.max_row == 3
    back = run_import(IMPORTERS["post_requests"], _read(exported), actor=officer, filename="申报表.xlsx")
    assert back.committed and (back.created, back.updated, back.unchanged) == (0, 0, 2) and not back.warnings
    # A changed headcount on the exported sheet corrects the request not yet reviewed.
    book = openpyxl.load_workbook(_read(exported))
    book.active.cell(2, 6).value = 3
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    fixed = run_import(IMPORTERS["post_requests"], out, actor=officer, filename="申报表.xlsx")
    assert (fixed.updated, fixed.unchanged) == (1, 1)
    assert sorted(WelfarePost.objects.values_list("headcount", flat=True)) == [2, 3]
    assert AuditLog.objects.filter(action="welfare_post.request_correct").count() == 1


ROSTER_HEADERS = ["岗位编号", "姓名", "证件号码", "合同开始", "合同计划终止"]


def _line(post, person, start="2024-03-01", end="2026-02-28"):
    return [post.pk, person.name, person.id_number, start, end]


def test_the_roster_places_all_or_nothing_and_refuses_one_household_twice_and_one_person_twice(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    post = WelfarePostFactory(headcount=5)
    first, second = PersonFactory(), PersonFactory()
    sibling = PersonFactory(household=first.household, relation="child")
    elsewhere = PlacementFactory().person  # already in another post (一岗一人)
    neighbour = PersonFactory()
    PlacementFactory(person=PersonFactory(household=neighbour.household, relation="spouse"))  # 一户一岗

    bad = [_line(post, first), _line(post, second), _line(post, sibling)]
    result = run_import(IMPORTERS["post_roster"], _book(ROSTER_HEADERS, bad), actor=officer, filename="花名册.xlsx")
    assert not result.committed and not Placement.objects.filter(post=post).exists()
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (4, "证件号码", "；".join((_(ERR_SAME_HOUSEHOLD).format(row=2), _(ERR_HOUSEHOLD_PLACED))))]

    refused = run_import(IMPORTERS["post_roster"], _book(ROSTER_HEADERS, [
        _line(post, first), _line(post, elsewhere), _line(post, neighbour)]), actor=officer, filename="花名册.xlsx")
    assert not refused.committed and not Placement.objects.filter(post=post).exists()
    assert [(e.row, e.message) for e in refused.errors] == [(3, _(ERR_PERSON_PLACED)), (4, _(ERR_HOUSEHOLD_PLACED))]

    good = [_line(post, first), _line(post, second)]
    result = run_import(IMPORTERS["post_roster"], _book(ROSTER_HEADERS, good), actor=officer, filename="花名册.xlsx")
    assert result.committed and result.created == 2
    placement = Placement.objects.get(person=first)
    assert (placement.status, placement.contract_start, placement.planned_end) == (
        c.PlacementStatus.ACTIVE, dt.date(2024, 3, 1), dt.date(2026, 2, 28))
    assert placement.notice_end < placement.contract_start
    again = run_import(IMPORTERS["post_roster"], _book(ROSTER_HEADERS, good), actor=officer, filename="花名册.xlsx")
    assert again.committed and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Placement.objects.filter(post=post).count() == 2


def test_the_exported_roster_with_masked_ids_reimports_unchanged_and_a_too_long_contract_is_refused(client, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    placed = PlacementFactory(contract_start=dt.date(2024, 1, 15), planned_end=dt.date(2026, 12, 31))
    client.force_login(officer)
    exported = client.get(reverse("posts:roster") + "?month=2024-03").content
    sheet = openpyxl.load_workbook(_read(exported)).active
    assert [cell.value for cell in sheet[1]][:6] == ["安置编号", "岗位编号", "姓名", "证件号码", "合同开始", "合同计划终止"]
    assert "*" in sheet.cell(2, 4).value
    back = run_import(IMPORTERS["post_roster"], _read(exported), actor=officer, filename="花名册.xlsx")
    assert back.committed and (back.created, back.updated, back.unchanged) == (0, 0, 1) and not back.warnings

    book = openpyxl.load_workbook(_read(exported))
    book.active.cell(2, 6).value = "2027-12-31"  # 47 months from the start: past the 36-month limit
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    refused = run_import(IMPORTERS["post_roster"], out, actor=officer, filename="花名册.xlsx")
    assert not refused.committed and [e.row for e in refused.errors] == [2]
    assert "36" in refused.errors[0].message
    placed.refresh_from_db()
    assert placed.planned_end == dt.date(2026, 12, 31)


def test_a_township_officer_cannot_import_a_roster(make_user):
    township = make_user(role="township_officer", area_code=FENGDU_TOWNSHIP)
    post = WelfarePostFactory()
    person = PersonFactory()
    result = run_import(IMPORTERS["post_roster"], _book(ROSTER_HEADERS, [_line(post, person)]), actor=township,
                        filename="花名册.xlsx")
    assert not result.committed and result.errors and not Placement.objects.exists()
