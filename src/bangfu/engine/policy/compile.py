"""Compile a checked CEL expression to an Ibis column expression over the feature table.

Only the compiler turns policy text into a query, and it emits Ibis nodes, never SQL text:
nothing an author writes reaches the database except as a typed literal.

CEL semantics kept on every engine:
- integer ``/`` truncates toward zero and ``%`` keeps the dividend's sign (as in CEL and C);
- a division by zero is an error in CEL and NULL here; a NULL condition counts as false, and
  ``false && error`` / ``true || error`` absorb it in both (CEL's commutative logic = SQL's);
- the amount is in yuan (integer or decimal) and becomes fen as ``floor(yuan * 100 + 0.5 + ε)``
  on every engine and in celpy (``yuan_to_fen``), so a decimal amount rounds the same way: ε
  (a millionth of a fen) absorbs the last-bit differences between engines' floating point
  (DuckDB may even compute a decimal literal exactly) at an exact half fen.
"""

from __future__ import annotations

import math

import ibis

from bangfu.engine.policy import cel
from bangfu.engine.policy.cel import BOOL, DOUBLE, INT, STRING

HALF_FEN_EPSILON = 1e-6
_IBIS_TYPES = {INT: "int64", DOUBLE: "float64", BOOL: "boolean", STRING: "string"}


def _trunc(value):
    """Truncate a float64 expression toward zero, as an int64."""
    return ibis.ifelse(value >= 0, value.floor(), value.ceil()).cast("int64")


def to_ibis(node: cel.Node, table):  # noqa: C901 - one branch per node type
    """The Ibis expression of ``node`` over ``table`` (the feature table)."""
    if isinstance(node, cel.Lit):
        return ibis.literal(node.value, type=_IBIS_TYPES[node.type])
    if isinstance(node, cel.Ref):
        return table[node.call.column]
    if isinstance(node, cel.Convert):
        inner = to_ibis(node.operand, table)
        if node.to == DOUBLE:
            return inner.cast("float64")
        return inner if node.operand.type == INT else _trunc(inner)
    if isinstance(node, cel.Unary):
        inner = to_ibis(node.operand, table)
        return ~inner if node.op == "!" else -inner
    if isinstance(node, cel.InList):
        return to_ibis(node.item, table).isin([o.value for o in node.options])
    if isinstance(node, cel.Cond):
        return ibis.ifelse(to_ibis(node.test, table), to_ibis(node.then, table), to_ibis(node.orelse, table))
    if isinstance(node, cel.Binary):
        a, b = to_ibis(node.left, table), to_ibis(node.right, table)
        op = node.op
        if op == "&&":
            return a & b
        if op == "||":
            return a | b
        if op == "==":
            return a == b
        if op == "!=":
            return a != b
        if op == "<":
            return a < b
        if op == "<=":
            return a <= b
        if op == ">":
            return a > b
        if op == ">=":
            return a >= b
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        null = ibis.null().cast(_IBIS_TYPES[node.type])
        if op == "/":
            if node.type == INT:
                quotient = _trunc(a.cast("float64") / b.cast("float64"))
            else:
                quotient = a / b
            return ibis.ifelse(b == 0, null, quotient)
        if op == "%":
            return ibis.ifelse(b == 0, null, a - b * _trunc(a.cast("float64") / b.cast("float64")))
    raise ValueError(f"cannot compile {node!r}")  # pragma: no cover


def amount_fen_expr(amount: cel.Checked, table):
    """The amount in fen (int64) of every row."""
    value = to_ibis(amount.root, table)
    if amount.type == INT:
        return (value * 100).cast("int64")
    return (value * 100.0 + (0.5 + HALF_FEN_EPSILON)).floor().cast("int64")


def yuan_to_fen(value) -> int | None:
    """The same conversion for a Python/celpy value (None for an error)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return int(value) * 100
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return int(math.floor(number * 100.0 + (0.5 + HALF_FEN_EPSILON)))
