"""Checking policy CEL when it is saved: parse errors with positions, unknown features, wrong
types, each with a Chinese message (no Django)."""

from __future__ import annotations

import pytest

from bangfu.engine.policy import cel
from bangfu.engine.policy.definition import DefinitionError, PolicyDefinition, from_yaml, validate


def check_condition(text: str, kind: str = "person") -> cel.Checked:
    return cel.check(text, kind=kind, expect=(cel.BOOL,), field_name="condition")


def refused(text: str, kind: str = "person", expect=(cel.BOOL,)) -> cel.CelError:
    with pytest.raises(cel.CelError) as info:
        cel.check(text, kind=kind, expect=expect)
    return info.value


def test_a_valid_condition_lists_the_features_it_uses():
    checked = check_condition('category in ["alleviated", "monitored"] && age >= 16 && months_worked("abroad") > 0')
    assert [c.column for c in checked.calls] == ["category", "age", "months_worked__abroad"]


def test_a_syntax_error_names_its_line_and_column():
    error = refused("age >= 16 &&\n  && has_labour_ability")
    assert (error.line, error.column) == (2, 3)
    assert error.message.startswith("语法错误")
    assert "第2行第3列" in str(error)
    assert error.caret().splitlines()[1].index("^") == 2


def test_an_unfinished_expression_says_so():
    assert "不完整" in refused("age >= ").message


def test_chinese_punctuation_is_pointed_out():
    assert "中文标点" in refused("age >= 16 ＆＆ in_school").message


def test_an_unknown_feature_is_refused_with_a_suggestion_and_its_position():
    error = refused("age >= 16 && labour_abilty == \"ordinary\"")
    assert "未知的特征“labour_abilty”" in error.message and "labour_ability" in error.message
    assert (error.line, error.column) == (1, 14)


def test_a_feature_of_another_beneficiary_kind_is_refused():
    assert "不适用于企业政策" in refused("age >= 16", kind="enterprise").message


def test_a_feature_called_with_the_wrong_number_of_arguments_shows_its_forms():
    error = refused('worked_outside_city("abroad")')
    assert "参数个数不对" in error.message and "worked_outside_city" in error.message


def test_a_feature_argument_must_be_one_of_its_choices():
    error = refused('months_worked("overseas") > 0')
    assert "不能是“overseas”" in error.message and "abroad" in error.message


def test_feature_arguments_must_be_literals():
    assert "写定的值" in refused("months_worked(category) > 0").message


def test_an_integer_and_a_decimal_do_not_mix():
    error = refused("age > 15.5")
    assert "整数" in error.message and "小数" in error.message and "double()" in error.message


def test_strings_cannot_be_ordered():
    assert "文字不能用“<”比较大小" in refused('category < "b"').message


def test_the_condition_must_be_yes_or_no_and_the_amount_a_number():
    assert "结果应为是/否，实际是整数" in refused("age + 1").message
    error = refused("age >= 16", expect=(cel.INT, cel.DOUBLE))
    assert "结果应为整数或小数，实际是是/否" in error.message


def test_the_branches_of_a_conditional_must_have_the_same_type():
    error = refused("worked_outside_city ? 200 : 50.5", expect=(cel.INT, cel.DOUBLE))
    assert "两个分支的类型应相同" in error.message


def test_logical_operators_need_yes_or_no_on_both_sides():
    assert "“&&”两边应为是/否条件" in refused("age && in_school").message
    assert "“!”只能用于是/否" in refused("!age").message


def test_a_literal_zero_divisor_is_refused():
    assert "除数不能为 0" in refused("age / 0 > 1").message


def test_null_field_access_and_maps_are_not_part_of_the_language():
    assert "null" in refused("age == null").message
    assert "取字段" in refused("person.age > 1").message
    assert "in 的右边必须是方括号列表" in refused("category in category").message


def test_conversions_between_integers_and_decimals_are_allowed():
    checked = cel.check("double(age) * 1.5", kind="person", expect=(cel.DOUBLE,))
    assert checked.type == cel.DOUBLE
    assert cel.check("int(employment_income) / 100", kind="person", expect=(cel.INT,)).type == cel.INT


def test_negative_literals_and_unary_minus_parse():
    assert cel.check("-age < -15", kind="person", expect=(cel.BOOL,)).type == cel.BOOL


def test_the_clauses_of_a_condition_are_its_top_level_conjuncts_with_their_text():
    text = "(category == \"monitored\" || is_disabled)\n&& age >= 16\n&& !in_school"
    checked = check_condition(text)
    clauses = [cel.text_of(text, n) for n in cel.conjuncts(checked.root)]
    assert clauses == ['category == "monitored" || is_disabled', "age >= 16", "!in_school"]
    assert len(cel.disjuncts(cel.conjuncts(checked.root)[0])) == 2


def test_a_definition_reports_every_bad_field_at_once():
    d = PolicyDefinition(code="Bad Code", name="", legal_basis="", beneficiary="person",
                         condition="age >=", amount="in_school")
    with pytest.raises(DefinitionError) as info:
        validate(d)
    fields = [e.field_name if isinstance(e, cel.CelError) else e[0] for e in info.value.errors]
    assert fields == ["code", "name", "legal_basis", "condition", "amount"]


def test_yaml_with_an_unknown_key_is_refused():
    with pytest.raises(DefinitionError) as info:
        from_yaml("code: x1\nname: a\nlegal_basis: b\nbeneficiary: person\ncondition: age > 1\namount: '1'\nconditon: x\n")
    assert "未知的字段：conditon" in str(info.value)


def test_the_shipped_examples_are_valid_and_carry_a_legal_basis_and_an_operator_note():
    from importlib import resources

    from bangfu.engine.policy.testing import EXAMPLE_FOLDERS

    codes = set()
    for f in (f for package, name in EXAMPLE_FOLDERS for f in (resources.files(package) / name).iterdir()):
        if not f.name.endswith(".yaml"):
            continue
        d = from_yaml(f.read_text(encoding="utf-8"))
        validate(d)
        assert d.legal_basis and "运营方" in d.note
        codes.add(d.code)
    assert codes == {"transport_subsidy", "employer_insurance_subsidy", "workshop_award", "pension_premium_on_behalf",
                     "job_retention_refund",
                     "workshop_build_grant_recognition", "workshop_build_grant_operation", "broker_outflow_award"}
