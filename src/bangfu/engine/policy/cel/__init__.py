"""CEL for policies: parse with cel-python, check names and types, keep positions.

The subset a policy may use is small on purpose, so that every expression has one meaning on
DuckDB, SQLite, PostgreSQL, Spark and in celpy:

- literals: integers, decimals (``2.5``), strings (``"out_of_city"``), ``true``/``false``;
- features of the catalogue, plain (``age``) or with literal arguments (``months_worked("abroad")``);
- ``&&`` ``||`` ``!`` ``? :``, comparisons, ``in [ ... ]`` over literals, ``+ - * / %``;
- ``int(x)`` and ``double(x)`` conversions.

As in CEL, an integer and a decimal never mix (``age > 2.5`` is refused: write ``double(age)``).
Strings compare only with ``==``, ``!=`` and ``in`` (orderings depend on database collations).
Every refusal is a ``CelError`` with a Chinese message and the line and column it points at.

The package: ``tree`` (types, ``CelError``, nodes, walking), ``parser`` (``parse``), ``checker``
(``check``). Import from ``bangfu.engine.policy.cel``.
"""

from bangfu.engine.policy.cel.checker import Checked, check
from bangfu.engine.policy.cel.parser import CONVERSIONS, MAX_LENGTH, parse
from bangfu.engine.policy.cel.tree import (
    ARITHMETIC, BOOL, DOUBLE, EQUALITY, INT, LOGICAL, ORDERING, STRING, TYPE_NAMES, Binary,
    CelError, Cond, Convert, InList, Lit, Node, Ref, Unary, children, conjuncts, disjuncts,
    refs_in, text_of, walk,
)

__all__ = [
    "ARITHMETIC", "BOOL", "CONVERSIONS", "DOUBLE", "EQUALITY", "INT", "LOGICAL", "MAX_LENGTH",
    "ORDERING", "STRING", "TYPE_NAMES", "Binary", "CelError", "Checked", "Cond", "Convert",
    "InList", "Lit", "Node", "Ref", "Unary", "check", "children", "conjuncts", "disjuncts",
    "parse", "refs_in", "text_of", "walk",
]
