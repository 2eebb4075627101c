"""The offices import: the shipped example set, re-imports, and the mistakes it refuses."""

import io

import pytest

from bangfu.arrears.importers import IMPORTERS, example_path
from bangfu.arrears.models import Office
from bangfu.core.actors import SYSTEM
from bangfu.core.imports import run_import
from bangfu.core.models import AuditLog

pytestmark = pytest.mark.django_db

HEADER = "机构编码,机构名称,负责省市,联系人,联系电话,地址,状态,备注\n"


def _import(text: str, **kwargs):
    return run_import(IMPORTERS["offices"], io.BytesIO(text.encode()), actor=SYSTEM,
                      filename="offices.csv", **kwargs)


def test_the_example_set_has_26_out_of_town_offices(offices):
    assert Office.objects.filter(kind="outpost").count() == 26
    assert Office.objects.get(code="GD").name == "重庆市驻广东劳务办事处"
    assert Office.objects.get(code="BJ").cover_list == ["11", "12", "13"]


def test_the_example_set_says_it_is_an_example():
    text = example_path().read_text(encoding="utf-8")
    assert text.count("示例") >= 26


def test_reimporting_the_example_set_changes_nothing(offices):
    again = run_import(IMPORTERS["offices"], example_path(), actor=SYSTEM, filename="x.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 26)


def test_an_edited_row_updates_the_office_and_audits_before_and_after(offices):
    result = _import(HEADER + "GD,重庆市驻广东劳务办事处,广东省,陈主任,020-12345678,广州市天河区,启用,\n")
    assert (result.created, result.updated) == (0, 1)
    assert Office.objects.get(code="GD").contact_phone == "020-12345678"
    log = AuditLog.objects.filter(action="arrears_office.update").get()
    assert log.detail["before"]["contact_person"] == "（示例）张主任"


def test_a_place_covered_by_two_offices_is_refused(offices):
    result = _import(HEADER + "XX,重庆市驻某地劳务工作站,深圳市,,,,启用,\n")
    assert not result.committed
    assert "同时由两个机构负责" in result.errors[0].message
    assert not Office.objects.filter(code="XX").exists()


def test_unknown_places_and_reserved_codes_are_named_in_the_errors(db):
    result = _import(HEADER + "AB,某机构,火星省,,,,启用,\nCQ,市级,广东省,,,,启用,\nD500230,区县,浙江省,,,,启用,\n")
    messages = [(e.row, e.column, e.message) for e in result.errors]
    assert (2, "负责省市", "无法识别的省市：火星省（请填写省、市全称或6位以内的行政区划代码）") in messages
    assert any(row == 3 and "系统保留" in message for row, _, message in messages)
    assert any(row == 4 and "系统保留" in message for row, _, message in messages)
    assert not result.committed


def test_short_province_names_and_codes_are_understood(db):
    result = _import(HEADER + "GD,重庆市驻广东劳务办事处,广东、4403,,,,启用,\n")
    assert result.committed
    assert Office.objects.get(code="GD").cover_list == ["44", "4403"]


def test_a_switched_off_office_frees_its_places_for_another(offices):
    result = _import(HEADER + "SZ,重庆市驻深圳劳务办事处,深圳市,,,,停用,\nSZ2,重庆市驻深圳第二工作站,深圳市,,,,启用,\n")
    assert result.committed, result.errors
    assert not Office.objects.get(code="SZ").active


def test_the_importer_is_discovered_by_the_shared_import_command():
    from bangfu.arrears import importers

    assert set(importers.IMPORTERS) == {"offices"}
