"""Two imports of one helper roster, and of one file of service records, at the same moment in
two OS processes on one database (SQLite file, or the PostgreSQL server), both past the checks
before either writes: the database's natural key registers each helper and each service once;
the other import commits too and counts the row as already imported (unchanged)."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from bangfu.core.models import AuditLog
from bangfu.network.models import Helper, ServiceRecord
from bangfu.network.tests import race
from bangfu.network.tests.factories import HelperFactory
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.testing.races import SPAWN, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def xlsx(path, rows) -> str:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def import_twice_at_once(kind: str, path: str, username: str) -> list[dict]:
    meet = SPAWN.Barrier(2)
    out = run_together([(race.import_file, (tag, kind, path, username, meet)) for tag in "ab"])
    assert [(o["exit"], o["result"]["committed"], o["result"]["errors"]) for o in out] == [(0, True, [])] * 2, out
    return out


def test_two_imports_of_one_helper_roster_at_once_register_the_helper_once(db_vendor, make_user, tmp_path):
    officer = make_user(role="district_officer", area_code=FENGDU, username="helper_import_race")
    path = xlsx(tmp_path / "helpers.xlsx", [["姓名", "类别", "出生日期", "联系电话", "所在区县"],
                                           ["李四", "劳务经纪人", "1980-05-01", "13800000001", "丰都县"]])
    out = import_twice_at_once("helpers", path, officer.username)
    assert sorted((o["result"]["created"], o["result"]["unchanged"]) for o in out) == [(0, 1), (1, 0)]
    assert list(Helper.objects.values_list("name", "birth_date")) == [("李四", dt.date(1980, 5, 1))]
    assert AuditLog.objects.filter(action="helper.apply").count() == 1
    assert sorted(a.detail["created"] for a in AuditLog.objects.filter(action="import.helpers")) == [0, 1]


def test_two_imports_of_one_service_file_at_once_record_each_service_once(db_vendor, make_user, tmp_path):
    officer = make_user(role="district_officer", area_code=FENGDU, username="service_import_race")
    broker, a, b = HelperFactory(name="李四"), PersonFactory(), PersonFactory()
    path = xlsx(tmp_path / "services.xlsx", [
        ["证件号码", "服务对象", "服务类型", "服务日期", "帮扶人员编号", "备注"],
        [a.id_number, a.name, "上门走访", "2024-03-05", str(broker.pk), "家中走访"],
        [b.id_number, b.name, "job_push", "2024-03-06", "", ""]])  # no helper: NULL never collides
    out = import_twice_at_once("service_records", path, officer.username)
    assert sorted((o["result"]["created"], o["result"]["unchanged"]) for o in out) == [(0, 2), (2, 0)]
    assert sorted(ServiceRecord.objects.values_list("person_id", "helper_id", "kind", "imported")) == sorted(
        [(a.pk, broker.pk, "visit", True), (b.pk, None, "job_push", True)])
    assert AuditLog.objects.filter(action="network_service.create").count() == 2
    assert sorted(a.detail["created"] for a in AuditLog.objects.filter(action="import.service_records")) == [0, 2]
