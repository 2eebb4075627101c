"""A policy's condition and amount read out in Chinese (engine.policy.plain): labels for
features and codes, comparison words, lists, negation and nesting — and the English the pages
give through gettext."""

from __future__ import annotations

import pytest

from bangfu.engine.policy import cel
from bangfu.engine.policy.plain import plain_text


def plain(source: str, expect=(cel.BOOL,), tr=None) -> str:
    checked = cel.check(source, kind="person", expect=expect)
    return plain_text(checked.root) if tr is None else plain_text(checked.root, tr=tr)


def test_the_transport_subsidy_condition_reads_as_an_officer_says_it():
    text = plain('category in ["alleviated", "monitored"] && age >= 16 && months_worked("out_of_city") > 0')
    assert text == "人口类型为脱贫人口、防返贫监测对象之一；且年龄不小于16；且在指定地点务工月数（市外）大于0"


def test_or_inside_and_is_bracketed_and_a_negated_flag_says_not():
    text = plain('(age < 16 || age > 59) && !in_school && sex == "F"')
    assert text == "（年龄小于16；或年龄大于59）；且不满足“在校生”；且性别为女"


def test_an_amount_with_a_condition_reads_as_if_then_else():
    text = plain('months_worked("out_of_city") > 0 ? 200.0 : 50.0', expect=(cel.INT, cel.DOUBLE))
    assert text == "若在指定地点务工月数（市外）大于0，则200，否则50"


def test_every_word_goes_through_the_translation_it_is_given():
    english = {"{left}不小于{right}": "{left} at least {right}", "年龄": "age", "；且": "; and ",
               "{left}为{right}": "{left} is {right}", "女": "female", "性别": "sex"}
    text = plain('age >= 16 && sex == "F"', tr=lambda s: english.get(s, s))
    assert text == "age at least 16; and sex is female"


@pytest.mark.parametrize("source", ['age >= 16 && has_labour_ability', 'age % 2 == 0', '-age < 0 || in_school'])
def test_any_checked_condition_reads_without_cel_operators(source):
    text = plain(source)
    assert "&&" not in text and "||" not in text and "==" not in text and "?" not in text
