"""Cases reach the office responsible for where the arrears happened."""

import pytest

from bangfu.arrears.models import Office
from bangfu.arrears.routing import place_from_code, route
from bangfu.arrears.tests.factories import file_case

pytestmark = pytest.mark.django_db


def _office_for(code: str) -> str:
    return route(place_from_code(code)).code


@pytest.mark.parametrize("place, office", [
    ("4401", "GD"),  # 广州市: the provincial office
    ("44", "GD"),  # 广东省 with no city given
    ("4403", "SZ"),  # 深圳市 has its own office: a city beats the province
    ("4419", "DG"),  # 东莞市
    ("4420", "ZS"),  # 中山市 (the Zhongshan station also covers 珠海 and 江门)
    ("4404", "ZS"),
])
def test_cases_in_guangdong_reach_the_guangdong_offices(offices, place, office):
    assert _office_for(place) == office


@pytest.mark.parametrize("place, office", [("3301", "ZJ"), ("33", "ZJ"), ("3302", "NB"), ("3310", "WZ")])
def test_cases_in_zhejiang_reach_the_zhejiang_offices(offices, place, office):
    assert _office_for(place) == office


@pytest.mark.parametrize("place", ["5101", "5107", "51"])
def test_cases_in_sichuan_reach_the_sichuan_office(offices, place):
    assert _office_for(place) == "SC"


@pytest.mark.parametrize("district", ["500230", "500101", "500103"])
def test_cases_inside_chongqing_reach_the_district_bureau(offices, district):
    office = route(place_from_code(district))
    assert (office.code, office.kind, office.area_code) == (f"D{district}", "district", district)


def test_a_place_no_office_covers_goes_to_the_city(offices):
    assert _office_for("54") == "CQ"  # 西藏自治区 is not in the example set


def test_a_switched_off_city_office_hands_its_city_back_to_the_provincial_office(offices):
    Office.objects.filter(code="SZ").update(active=False)
    assert _office_for("4403") == "GD"


def test_without_any_out_of_town_office_everything_outside_chongqing_goes_to_the_city(db):
    assert _office_for("4403") == "CQ"
    assert _office_for("500230") == "D500230"


def test_place_labels_read_as_province_and_city():
    assert place_from_code("4403").label == "广东省深圳市"
    assert place_from_code("3101").label == "上海市"
    assert place_from_code("500230").label == "重庆市丰都县"


def test_a_filed_case_carries_its_office_and_the_area_of_that_office(offices):
    zhejiang = file_case(work_place_code="3301").case
    fengdu = file_case(work_place_code="500230").case
    assert (zhejiang.office.code, zhejiang.area_code, zhejiang.work_place_label) == ("ZJ", "50", "浙江省杭州市")
    assert (fengdu.office.code, fengdu.area_code) == ("D500230", "500230")
