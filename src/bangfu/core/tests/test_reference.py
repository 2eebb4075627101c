"""One lookup of names by code, over the reference data shipped with the package."""

from django.utils import translation

from bangfu.core import reference as r


def test_an_area_is_named_the_same_everywhere():
    assert r.area_name("50") == "重庆市"
    assert r.area_name("main_metro") == "主城都市区"
    assert r.area_name("500230") == "丰都县"
    assert r.area_name("500230101") == "虎威镇"
    assert r.area_name("509999") == "509999"
    assert r.area_name("") == ""


def test_area_names_follow_the_language():
    with translation.override("en"):
        assert r.area_name("50") == "Chongqing"
        assert r.area_name("500230") == "丰都县"  # division names are data, not translated


def test_places_are_named_alone_or_with_their_parent():
    assert r.place_name("4403") == "深圳市"
    assert r.place_name("4403", full=True) == "广东省深圳市"
    assert r.place_name("44", full=True) == "广东省"
    assert r.place_name("1101", full=True) == "北京市"  # a municipality's 市辖区 is the municipality
    assert r.place_name("500230101") == "虎威镇"
    assert r.place_name("500230101", full=True) == "丰都县虎威镇"
    assert r.place_name("9999") == "9999"


def test_codes_and_unambiguous_names_read_back():
    for text in ("50", "重庆市", "全市"):
        assert r.area_code_for(text) == "50"
    assert r.area_code_for("渝东北") == "northeast"
    assert r.area_code_for("丰都县") == "500230"
    assert r.area_code_for(" 500230101 ") == "500230101"
    assert r.area_code_for("深圳市") is None  # not an area of Chongqing
    assert r.place_code_for("深圳市") == "4403"
    assert r.place_code_for("500230") == "500230"
    assert r.place_code_for("市辖区") is None  # a name many places share
    assert r.is_area("northeast") and r.is_area("500230") and not r.is_area("4403")
