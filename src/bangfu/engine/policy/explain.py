"""Explanations: celpy evaluates the policy's own CEL on one beneficiary's feature values.

The set-based path (``evaluate``) and this one read the same text; the parity tests check that
they agree. An explanation lists each clause of the condition (the parts of the top-level
``&&`` chain, and the alternatives of an ``||`` clause), whether it held, and the feature values
that decided it, in Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import celpy
from celpy import celtypes

from bangfu.engine import features as ft
from bangfu.engine.policy import cel
from bangfu.engine.policy.plain import plain_text
from bangfu.engine.policy.compile import yuan_to_fen
from bangfu.engine.policy.definition import PolicyDefinition


def to_cel(value: Any):
    if isinstance(value, bool):
        return celtypes.BoolType(value)
    if isinstance(value, int):
        return celtypes.IntType(value)
    if isinstance(value, float):
        return celtypes.DoubleType(value)
    if value is None:
        return None
    return celtypes.StringType(str(value))


def from_cel(value: Any):
    """A celpy result as a plain Python value; None for an evaluation error.

    celpy returns its own types for most results but a plain float for some double arithmetic.
    """
    if isinstance(value, (celtypes.BoolType, bool)):
        return bool(value)
    if isinstance(value, (celtypes.IntType, int)):
        return int(value)
    if isinstance(value, (celtypes.DoubleType, float)):
        return float(value)
    if isinstance(value, (celtypes.StringType, str)):
        return str(value)
    return None


_ENV = celpy.Environment()
# celpy resolves a name to a bound function before a variable of the same name, so a policy
# using both ``months_worked`` and ``months_worked("abroad")`` needs the calls renamed.
FUNCTION_PREFIX = "fn_"


@lru_cache(maxsize=512)
def _rename_calls(text: str) -> str:
    """``months_worked("abroad")`` -> ``fn_months_worked("abroad")`` (feature calls only)."""
    starts = sorted({n.start for n in cel.walk(cel.parse(text)) if isinstance(n, cel.Ref) and n.args}, reverse=True)
    for start in starts:
        text = text[:start] + FUNCTION_PREFIX + text[start:]
    return text


@lru_cache(maxsize=512)
def _ast(text: str):
    return _ENV.compile(text)


class _Values:
    """Feature values of the beneficiary being evaluated, looked up by celpy's callbacks."""

    def __init__(self, kind: str):
        self.kind = kind
        self.row: dict[str, Any] = {}

    def activation(self, calls: list[ft.FeatureCall]) -> dict[str, Any]:
        return {c.column: to_cel(self.row.get(c.column)) for c in calls if not c.feature.params}

    def function(self, name: str, arity: int):
        feature = ft.feature_lookup(self.kind, name, arity)

        def call(*args):
            plain = tuple(int(a) if isinstance(a, celtypes.IntType) else str(a) for a in args)
            column = ft.FeatureCall(feature, plain).column
            return to_cel(self.row.get(column))

        return call


class CelEvaluator:
    """Evaluate CEL snippets of one policy against one beneficiary's feature values at a time."""

    def __init__(self, policy: PolicyDefinition):
        self.policy = policy
        self.values = _Values(policy.beneficiary)
        functions: dict[str, Any] = {}
        for call in policy.calls:
            if call.feature.params:
                functions[FUNCTION_PREFIX + call.feature.name] = self.values.function(
                    call.feature.name, len(call.feature.params))
        self.functions = functions
        self._programs: dict[str, Any] = {}

    def evaluate(self, text: str, row: dict[str, Any]):
        """The CEL value of ``text`` for ``row`` as a Python value, or None on a CEL error."""
        program = self._programs.get(text)
        if program is None:
            program = _ENV.program(_ast(_rename_calls(text)), functions=self.functions)
            self._programs[text] = program
        self.values.row = row
        try:
            result = program.evaluate(self.values.activation(self.policy.calls))
        except celpy.CELEvalError:
            return None
        if isinstance(result, celpy.CELEvalError):
            return None
        return from_cel(result)

    def decide(self, row: dict[str, Any]) -> tuple[bool, int | None]:
        """(eligible, amount in fen) by celpy alone, as the set-based path decides it."""
        condition = self.evaluate(self.policy.condition, row)
        if condition is not True:
            return False, None
        fen = yuan_to_fen(self.evaluate(self.policy.amount, row))
        if fen is None or fen <= 0:
            return False, fen
        return True, fen


@dataclass
class FeatureValue:
    text: str  # as written in the policy: months_worked("abroad")
    label: str  # Chinese
    value: Any
    display: str


@dataclass
class Clause:
    text: str
    holds: bool | None  # None: the clause could not be evaluated (e.g. division by zero)
    values: list[FeatureValue] = field(default_factory=list)
    alternatives: list[Clause] = field(default_factory=list)
    plain: str = ""  # the clause in Chinese words (``engine.policy.plain``); ``text`` is its CEL

    @property
    def words(self) -> str:
        return self.plain or self.text

    @property
    def mark(self) -> str:
        return "✓" if self.holds else ("✗" if self.holds is False else "？")

    @property
    def verdict(self) -> str:
        return "满足" if self.holds else ("不满足" if self.holds is False else "无法计算")

    def values_text(self) -> str:
        return "，".join(f"{v.label} = {v.display}" for v in self.values)


@dataclass
class Explanation:
    policy_code: str
    policy_name: str
    period: str
    beneficiary_id: int
    found: bool
    eligible: bool = False
    amount_fen: int | None = None
    clauses: list[Clause] = field(default_factory=list)
    amount_text: str = ""
    amount_values: list[FeatureValue] = field(default_factory=list)
    amount_plain: str = ""  # the amount in Chinese words

    @property
    def summary(self) -> str:
        if not self.found:
            return "未找到该受益对象，或不在您的管辖区域内"
        failed = [c for c in self.clauses if not c.holds]
        if self.eligible:
            return f"符合条件：{len(self.clauses)} 项条件全部满足，应发 {_yuan(self.amount_fen)} 元"
        if failed:
            first = failed[0]
            extra = f"等 {len(failed)} 项" if len(failed) > 1 else ""
            why = f"（{first.values_text()}）" if first.values else ""
            return f"不符合条件：“{first.words}”{first.verdict}{why}{extra}"
        return "不符合条件：条件满足但金额为 0，不予发放"

    def lines(self) -> list[str]:
        """The explanation as plain text lines (CLI)."""
        out = [f"政策：{self.policy_name}（{self.policy_code}） 期间：{self.period}", f"结论：{self.summary}"]
        if not self.found:
            return out
        out.append("条件逐项：")
        for i, c in enumerate(self.clauses, start=1):
            cel_text = f" 〔{c.text}〕" if c.plain and c.plain != c.text else ""
            out.append(f"  {i}. {c.mark} {c.words}{cel_text}  —— {c.verdict}"
                       + (f"（{c.values_text()}）" if c.values else ""))
            for alt in c.alternatives:
                out.append(f"       {alt.mark} 或 {alt.words}" + (f"（{alt.values_text()}）" if alt.values else ""))
        amount = "—" if self.amount_fen is None else f"{_yuan(self.amount_fen)} 元"
        if not self.eligible:
            amount += "（不符合条件，不发放）"
        values = "，".join(f"{v.label} = {v.display}" for v in self.amount_values)
        out.append(f"金额：{self.amount_plain or self.amount_text} = {amount}" + (f"（{values}）" if values else ""))
        return out

    def to_json(self) -> dict:
        return {
            "policy": self.policy_code, "period": self.period, "beneficiary_id": self.beneficiary_id,
            "found": self.found, "eligible": self.eligible, "amount_fen": self.amount_fen,
            "summary": self.summary,
            "clauses": [_clause_json(c) for c in self.clauses],
            "amount": {"text": self.amount_text, "plain": self.amount_plain, "values": [_value_json(v) for v in self.amount_values]},
        }


def _clause_json(c: Clause) -> dict:
    return {"text": c.text, "plain": c.plain, "holds": c.holds, "values": [_value_json(v) for v in c.values],
            "alternatives": [_clause_json(a) for a in c.alternatives]}


def _value_json(v: FeatureValue) -> dict:
    return {"feature": v.text, "label": v.label, "value": v.value, "display": v.display}


def _yuan(fen: int | None) -> str:
    if fen is None:
        return "—"
    if fen % 100 == 0:
        return f"{fen // 100:,}"
    return f"{fen / 100:,.2f}"


def _values(node: cel.Node, row: dict[str, Any]) -> list[FeatureValue]:
    return [
        FeatureValue(text=c.text, label=c.label, value=row.get(c.column), display=c.feature.display_value(row.get(c.column)))
        for c in cel.refs_in(node)
    ]


def explain_row(policy: PolicyDefinition, period: str, beneficiary_id: int, row: dict[str, Any] | None,
                evaluator: CelEvaluator | None = None) -> Explanation:
    """Explain the decision for one beneficiary whose feature values are ``row`` (None: not found)."""
    exp = Explanation(policy_code=policy.code, policy_name=policy.name, period=str(period),
                      beneficiary_id=beneficiary_id, found=row is not None)
    if row is None:
        return exp
    evaluator = evaluator or CelEvaluator(policy)
    condition, amount = policy.checked
    for node in cel.conjuncts(condition.root):
        text = cel.text_of(policy.condition, node)
        clause = Clause(text=text, holds=evaluator.evaluate(text, row), values=_values(node, row),
                        plain=plain_text(node))
        alts = cel.disjuncts(node)
        if len(alts) > 1:
            for alt in alts:
                alt_text = cel.text_of(policy.condition, alt)
                clause.alternatives.append(Clause(text=alt_text, holds=evaluator.evaluate(alt_text, row),
                                                  values=_values(alt, row), plain=plain_text(alt)))
        exp.clauses.append(clause)
    exp.eligible, fen = evaluator.decide(row)
    exp.amount_text = " ".join(policy.amount.split())
    exp.amount_plain = plain_text(amount.root)
    exp.amount_values = _values(amount.root, row)
    exp.amount_fen = fen if fen is not None else yuan_to_fen(evaluator.evaluate(policy.amount, row))
    return exp
