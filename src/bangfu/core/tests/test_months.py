"""Months as YYYY-MM: one module for the apps and the engine."""

import datetime as dt

import pytest

from bangfu.core import months as m


def test_a_month_parses_into_year_and_month():
    assert m.parse_month("2024-09") == (2024, 9)


@pytest.mark.parametrize("text", ["2024-9", "2024-13", "2024-00", "202409", "2024/09", "", None, 202409])
def test_anything_but_yyyy_mm_is_refused_in_chinese(text):
    with pytest.raises(m.MonthError) as info:
        m.parse_month(text)
    assert str(info.value) == f"“{text}”不是有效的月份，应为 YYYY-MM，例如 2024-09"
    assert not m.is_month(text)


def test_shifting_crosses_years_both_ways():
    assert m.shift_month("2024-01", -1) == "2023-12"
    assert m.shift_month("2023-12", 1) == "2024-01"
    assert m.shift_month("2024-09", -12) == "2023-09"
    assert m.shift_month("2024-09", 27) == "2026-12"


def test_ranges_are_inclusive_and_oldest_first():
    assert m.month_range("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert m.month_range("2024-03", "2024-02") == []
    assert m.months_ending("2024-02", 3) == ["2023-12", "2024-01", "2024-02"]
    assert m.months_ending("2024-02", 0) == []


def test_year_to_date_runs_from_january():
    assert m.year_to_date("2024-03") == ["2024-01", "2024-02", "2024-03"]
    assert m.year_to_date("2024-01") == ["2024-01"]


def test_first_and_last_days_know_leap_years():
    assert m.first_day("2024-02") == dt.date(2024, 2, 1)
    assert m.last_day("2024-02") == dt.date(2024, 2, 29)
    assert m.last_day("2023-02") == dt.date(2023, 2, 28)
    assert m.month_of(dt.date(2024, 9, 30)) == "2024-09"
    assert m.year_of("2024-09") == 2024


def test_years_before_keeps_the_day_except_29_february():
    assert m.years_before(dt.date(2024, 9, 30), 16) == dt.date(2008, 9, 30)
    assert m.years_before(dt.date(2024, 2, 29), 1) == dt.date(2023, 2, 28)


def test_a_month_label_is_chinese_and_takes_a_translated_template():
    assert m.month_label("2024-09") == "2024年9月"
    assert m.month_label("2024-09", "{month}/{year}") == "9/2024"
    assert m.month_label("") == ""
    assert m.month_label("soon") == "soon"


def test_the_month_module_imports_no_django():
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(m))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not {name for name in imported if name.split(".")[0] == "django"}
