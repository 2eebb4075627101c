"""Cell parsers: what an officer types, and the Chinese reason when it is wrong."""

import datetime as dt

import pytest

from bangfu.core.imports import parsers as p
from bangfu.core.imports.spec import CellError
from bangfu.registry.choices import LabourAbility, PlaceClass


def reason(parse, text: str) -> str:
    with pytest.raises(CellError) as info:
        parse(text)
    return str(info.value)


def test_a_choice_accepts_the_chinese_label_the_code_and_aliases():
    parse = p.choice(LabourAbility, aliases={"半劳动力": "weak"})
    assert parse("普通劳动力") == "ordinary"
    assert parse("ordinary") == "ordinary"
    assert parse("ORDINARY") == "ordinary"
    assert parse("半劳动力") == "weak"
    assert parse(" 技能劳动力 ") == "skilled"
    assert parse("") == ""


def test_a_bad_choice_lists_the_allowed_labels():
    message = reason(p.choice(LabourAbility), "很能干")
    assert message == "“很能干”不是有效的选项，可选：普通劳动力、技能劳动力、弱劳动力或半劳动力、丧失劳动力、无劳动力"


def test_a_choice_list_splits_on_chinese_and_latin_separators_and_deduplicates():
    parse = p.choice_list(PlaceClass)
    assert parse("县内、市外,县内；in_city") == "in_county,out_of_city,in_city"
    assert "“火星”不是有效的选项" in reason(parse, "县内、火星")


@pytest.mark.parametrize(("text", "value"), [("是", True), ("否", False), ("Y", True), ("no", False),
                                             ("1", True), ("0", False), ("", False), ("√", True)])
def test_booleans_in_the_usual_spellings(text, value):
    assert p.boolean()(text) is value


def test_an_unknown_boolean_asks_for_yes_or_no():
    assert reason(p.boolean(), "也许") == "“也许”无法识别，请填写“是”或“否”"


@pytest.mark.parametrize(("text", "fen"), [("3500", 350000), ("3,500", 350000), ("3500元", 350000),
                                           ("3500.5", 350050), ("３５００", 350000), ("", None)])
def test_yuan_amounts_become_integer_fen(text, fen):
    assert p.yuan_to_fen(high=100_000)(text) == fen


def test_negative_absurd_and_malformed_amounts_are_refused():
    parse = p.yuan_to_fen(low=0, high=100_000)
    assert reason(parse, "-300") == "金额不能为负数"
    assert reason(parse, "350000") == "金额超出合理范围（0–100,000 元）"
    assert reason(parse, "三千") == "“三千”不是有效的金额"
    assert reason(parse, "NaN") == "“NaN”不是有效的金额"
    assert reason(parse, "1e3") == "金额“1e3”请直接填写数字，不要使用科学计数法"
    assert reason(parse, "12.345") == "金额“12.345”最多保留两位小数（精确到分）"
    assert parse("12.340") == 1234


def test_an_amount_without_a_stated_cap_still_has_one():
    parse = p.yuan_to_fen()  # a bank return line, a contribution: no caller cap
    assert parse("9,999,999.99") == 999_999_999
    assert reason(parse, "99999999999999999999") == "金额超出合理范围（0–10,000,000 元）"
    assert reason(p.yuan_to_fen(high=None), "10000000.01") == "金额超出合理范围（0–10,000,000 元）"


@pytest.mark.parametrize(("text", "value"), [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"), ("+86 138-1234-5678", "13812345678"),
    ("023-12345678", "023-12345678"), ("02312345678", "023-12345678"), ("0812-1234567", "0812-1234567"),
    ("１３８１２３４５６７８", "13812345678"), ("", ""),
])
def test_mobiles_and_landlines_are_normalised(text, value):
    assert p.phone()(text) == value


@pytest.mark.parametrize("text", ["12345", "1381234567", "23812345678", "138123456789", "电话"])
def test_bad_phones_are_refused(text):
    assert "联系电话格式错误" in reason(p.phone(), text)


@pytest.mark.parametrize(("text", "month"), [("2024-09", "2024-09"), ("2024/9", "2024-09"), ("2024年9月", "2024-09"),
                                             ("202409", "2024-09"), ("2024-09-01", "2024-09"), ("", "")])
def test_months_in_the_usual_spellings(text, month):
    assert p.month()(text) == month


def test_impossible_months_and_dates_are_refused():
    assert reason(p.month(), "2024-13") == "“2024-13”不是有效的月份（例如 2024-09）"
    assert p.date()("2024年9月1日") == dt.date(2024, 9, 1)
    assert p.date()("20240901") == dt.date(2024, 9, 1)
    assert "不是有效的日期" in reason(p.date(), "2024-02-30")


def test_integers_with_bounds():
    parse = p.integer(low=0, high=10)
    assert parse("7") == 7
    assert parse("7.0") == 7
    assert reason(parse, "11") == "数值应在 0 到 10 之间"
    assert reason(parse, "7.5") == "“7.5”不是整数"


def test_text_limits_and_lists():
    assert reason(p.text(max_length=3), "一二三四") == "内容过长（最多 3 个字）"
    assert p.text_list()("电工证、叉车证，电工证") == "电工证,叉车证"


def test_code_lists_accept_codes_and_names():
    parse = p.code_list({"4-01-02-03": "营业员"}, error="“{value}”不是有效的职业编码", by_name={"商品营业员": "4-01-02-03"})
    assert parse("4-01-02-03、商品营业员") == "4-01-02-03"
    assert reason(parse, "9-99") == "“9-99”不是有效的职业编码"


def test_a_month_may_be_refused_in_the_future_or_too_early():
    from django.utils import timezone

    from bangfu.core.months import month_of, shift_month

    parse = p.month(not_future=True, earliest_year=2000)
    this_month = month_of(timezone.localdate())
    assert parse(this_month) == this_month
    later = shift_month(this_month, 1)
    assert reason(parse, later) == f"年月 {later} 晚于本月，不能填报未来月份"
    assert reason(parse, "1999-12") == "年月 1999-12 早于2000年"


def test_years_in_a_range_that_ends_this_year_or_later():
    from django.utils import timezone

    year = timezone.localdate().year
    assert p.year(low=2000)("2023年") == 2023
    assert p.year(low=2000)("") is None
    assert reason(p.year(low=2000), str(year + 1)) == f"年度应为2000年至{year}年之间的四位数字"
    assert p.year(low=2000, years_ahead=1)(str(year + 1)) == year + 1


def test_credit_codes_and_id_numbers_are_checked():
    assert p.uscc()("91110000600037341L") == "91110000600037341L"
    assert reason(p.uscc(), "91440300MA5F000000") == "统一社会信用代码 91440300MA5F000000 校验不通过"
    assert p.id_number()("11010519491231002x") == "11010519491231002X"
    assert reason(p.id_number(), "11010519491231002Y") == "证件号码校验位错误"


def test_areas_districts_and_places_by_code_or_name():
    assert p.area()("全市") == "50"
    assert p.area()("丰都县") == "500230"
    assert "无法识别的区域" in reason(p.area(), "火星")
    assert p.district()("丰都县") == "500230"
    assert p.district()("５００２３０") == "500230"  # full-width digits
    assert reason(p.district(), "500999") == "未知的区县代码“500999”"
    assert reason(p.district(), "500230101") == "“500230101”是乡镇代码，区县代码应为6位（如 500230）"
    assert p.place()("深圳市") == "4403"
    assert p.place()("") == ""
    assert "无法识别的务工地区" in reason(p.place(), "火星")
