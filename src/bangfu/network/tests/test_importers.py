"""Imports of the market directory and the workshops' yearly ratings: real xlsx files, errors by
row and column, re-imports that change nothing, and the area kept."""

from __future__ import annotations

import io

import pytest

from bangfu.core.imports import run_import
from bangfu.core.imports.tests.files import xlsx_bytes
from bangfu.network.importers import IMPORTERS
from bangfu.network.models import GigMarket, WorkshopRatingRecord
from bangfu.network.tests.factories import WorkshopFactory
from bangfu.registry.tests.factories import FENGDU, WANZHOU, WANZHOU_TOWNSHIP

pytestmark = pytest.mark.django_db
MARKETS = ["编号", "名称", "类型", "运营方式", "运营机构", "服务合同起", "服务合同止", "所在区县", "列入名录"]


def imp(kind, rows, actor):
    return run_import(IMPORTERS[kind], io.BytesIO(xlsx_bytes(rows)), actor=actor, filename="f.xlsx")


def test_the_market_directory_imports_once(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    rows = [MARKETS, ["LG1", "丰都县零工市场", "零工市场", "人社部门自办", "", "", "", "丰都县", "是"],
            ["LG2", "三合驿站", "零工驿站", "政府购买服务", "某人力公司", "2024-01-01", "2025-12-31", "丰都县", "是"]]
    first = imp("gig_markets", rows, officer)
    assert first.committed and first.created == 2
    assert GigMarket.objects.get(code="LG2").operation == "purchased"
    again = imp("gig_markets", rows, officer)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_market_of_another_district_or_a_bought_one_without_operator_is_refused(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    rows = [MARKETS, ["LG1", "万州驿站", "零工驿站", "人社部门自办", "", "", "", "万州区", "是"],
            ["LG2", "三合驿站", "零工驿站", "政府购买服务", "", "", "", "丰都县", "是"]]
    result = imp("gig_markets", rows, officer)
    assert not result.committed and GigMarket.objects.count() == 0
    assert {(e.row, e.column) for e in result.errors} >= {(2, "所在区县"), (3, "运营机构")}


def test_the_yearly_ratings_import_and_an_unknown_or_foreign_workshop_is_an_error(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    mine = WorkshopFactory(code="BF-MINE")
    WorkshopFactory(code="BF-WZ", district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    header = ["认定编号", "年度", "评定等次", "稳定运行复核通过"]
    result = imp("workshop_ratings", [header, ["BF-MINE", "2024", "优秀", "是"], ["BF-WZ", "2024", "良好", "否"]],
                 officer)
    assert not result.committed and [(e.row, e.column) for e in result.errors] == [(3, "认定编号")]
    result = imp("workshop_ratings", [header, ["BF-MINE", "2024", "优秀", "是"]], officer)
    assert result.committed and result.created == 1
    record = WorkshopRatingRecord.objects.get(workshop=mine)
    assert (record.rating, record.review_passed) == ("excellent", True)
    again = imp("workshop_ratings", [header, ["BF-MINE", "2024", "优秀", "是"]], officer)
    assert again.unchanged == 1
