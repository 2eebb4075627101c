"""Import of postings: Chinese errors per row and column; re-importing changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from bangfu.core.imports import run_import
from bangfu.employers import services as employers
from bangfu.employers.models import Employer
from bangfu.jobs import validation as v
from bangfu.jobs.importers import IMPORTERS
from bangfu.jobs.models import JobPosting
from bangfu.jobs.tests.factories import make_uscc
from bangfu.registry.tests.factories import FENGDU

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HEADER = "岗位编号,单位名称,统一社会信用代码,岗位名称,职业代码,工作地点代码,招聘人数,月薪下限（元）,月薪上限（元）,最低年龄,最高年龄,招聘对象,有效期止,岗位来源\n"


def csv_file(*rows: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(rows) + "\n").encode("utf-8"))


def row(n: int, **changes) -> str:
    values = {"id": f"J{n}", "name": "丰都县恒达建筑工程有限公司", "uscc": make_uscc(5), "title": "砌筑工",
              "occ": "6-29-01-01", "place": FENGDU, "head": "5", "low": "\"4,500元\"", "high": "6000", "amin": "18",
              "amax": "55", "ability": "普通劳动力", "until": (TODAY + dt.timedelta(days=30)).isoformat(),
              "source": "本地"}
    values.update(changes)
    return ",".join(values.values())


@pytest.fixture
def officer(make_user):
    return make_user("district_officer", FENGDU)


def test_a_good_file_imports_and_importing_it_again_changes_nothing(officer):
    content = [row(1), row(2, title="钢筋工", occ="6-29-01-04")]
    first = run_import(IMPORTERS["postings"], csv_file(*content), actor=officer, filename="p.csv")
    again = run_import(IMPORTERS["postings"], csv_file(*content), actor=officer, filename="p.csv")
    assert (first.created, first.errors) == (2, [])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Employer.objects.count() == 1 and JobPosting.objects.count() == 2
    assert JobPosting.objects.get(external_id="J1").wage_min_fen == 450_000


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(officer):
    result = run_import(IMPORTERS["postings"], csv_file(
        row(1, low="7000", high="5000"),
        row(2, occ="1-23-45-67"),
        row(3, head="0", amin="40", amax="30"),
        row(4, place="999999"),
        row(5, until=(TODAY - dt.timedelta(days=3)).isoformat()),
        row(6, uscc="91500230MA000000X0"),
    ), actor=officer, filename="p.csv")
    found = {(e.row, e.column): e.message for e in result.errors}
    assert found[(2, "月薪上限（元）")] == v.ERR_WAGE_ORDER
    assert found[(3, "职业代码")].startswith("未知的职业代码")
    assert found[(4, "招聘人数")] == v.ERR_HEADCOUNT
    assert found[(4, "最高年龄")] == v.ERR_AGE_ORDER
    assert found[(5, "工作地点代码")] == v.ERR_PLACE.format(code="999999")
    assert found[(6, "有效期止")].startswith("有效期止已过"), found
    assert found[(7, "统一社会信用代码")] == employers.ERR_USCC
    assert not result.committed and not JobPosting.objects.exists()
