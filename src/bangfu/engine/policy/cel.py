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
"""

from __future__ import annotations

import ast as pyast
import difflib
from dataclasses import dataclass, field
from typing import Any

from celpy.celparser import CELParseError, CELParser
from lark import Token, Tree

from bangfu.engine import features as ft

INT, DOUBLE, BOOL, STRING = "int", "double", "bool", "string"
TYPE_NAMES = {INT: "整数", DOUBLE: "小数", BOOL: "是/否", STRING: "文字"}

ARITHMETIC = {"+", "-", "*", "/", "%"}
ORDERING = {"<", "<=", ">", ">="}
EQUALITY = {"==", "!="}
LOGICAL = {"&&", "||"}
_REL = {
    "relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
    "relation_eq": "==", "relation_ne": "!=", "relation_in": "in",
}
_ADD = {"addition_add": "+", "addition_sub": "-"}
_MUL = {"multiplication_mul": "*", "multiplication_div": "/", "multiplication_mod": "%"}
CONVERSIONS = {"int": INT, "double": DOUBLE}
MAX_LENGTH = 4000


class CelError(ValueError):
    """A policy expression that cannot be used, with a Chinese message and where it is."""

    def __init__(self, message: str, *, line: int = 1, column: int = 1, source: str = "", field_name: str = ""):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.source = source
        self.field_name = field_name

    def with_field(self, field_name: str) -> CelError:
        self.field_name = field_name
        return self

    @property
    def position(self) -> str:
        return f"第{self.line}行第{self.column}列"

    def caret(self) -> str:
        """The offending line with a caret under the column (for a monospace block)."""
        lines = self.source.splitlines() or [""]
        text = lines[self.line - 1] if 0 < self.line <= len(lines) else ""
        # CJK characters are two columns wide in a monospace font.
        pad = "".join("\u3000" if ord(ch) > 0x2E80 else " " for ch in text[: self.column - 1])
        return f"{text}\n{pad}^"

    def __str__(self) -> str:
        return f"{self.position}：{self.message}"

    def to_json(self) -> dict:
        return {"field": self.field_name, "line": self.line, "column": self.column, "message": self.message}


# --------------------------------------------------------------------------------------------
# AST
# --------------------------------------------------------------------------------------------
@dataclass
class Node:
    line: int
    column: int
    start: int  # character offsets in the source (for clause texts)
    end: int
    type: str = field(default="", init=False)


@dataclass
class Lit(Node):
    value: Any = None
    lit_type: str = ""


@dataclass
class Ref(Node):
    name: str = ""
    args: tuple = ()
    call: ft.FeatureCall | None = None


@dataclass
class Convert(Node):
    to: str = ""
    operand: Node | None = None


@dataclass
class Unary(Node):
    op: str = ""
    operand: Node | None = None


@dataclass
class Binary(Node):
    op: str = ""
    left: Node | None = None
    right: Node | None = None


@dataclass
class InList(Node):
    item: Node | None = None
    options: list = field(default_factory=list)  # list[Lit]


@dataclass
class Cond(Node):
    test: Node | None = None
    then: Node | None = None
    orelse: Node | None = None


_PARSER: CELParser | None = None


def _parser() -> CELParser:
    global _PARSER
    if _PARSER is None:
        _PARSER = CELParser()
    return _PARSER


# --------------------------------------------------------------------------------------------
# Parse: lark tree -> AST
# --------------------------------------------------------------------------------------------
def parse(source: str) -> Node:
    """Parse CEL text into the AST (no names or types checked yet)."""
    if source is None or not str(source).strip():
        raise CelError("表达式不能为空", source=source or "")
    if len(source) > MAX_LENGTH:
        raise CelError(f"表达式过长（超过 {MAX_LENGTH} 个字符）", source=source)
    try:
        tree = _parser().parse(source)
    except CELParseError as exc:
        line = getattr(exc, "line", None) or 1
        column = getattr(exc, "column", None) or 1
        cause = exc.__context__
        if getattr(getattr(cause, "token", None), "type", "") == "$END":
            line, column = _end_position(source)
            message = _balance_message(source) or "语法错误：表达式不完整，结尾缺少内容"
        else:
            message = _parse_message(source, line, column)
        raise CelError(message, line=line, column=column, source=source) from None
    except RecursionError:
        raise CelError("表达式嵌套过深", source=source) from None
    return _Builder(source).build(tree)


def _end_position(source: str) -> tuple[int, int]:
    """Line and column just after the last non-blank character."""
    stripped = source.rstrip()
    lines = stripped.splitlines() or [""]
    return len(lines), len(lines[-1]) + 1


def _balance_message(source: str) -> str:
    if source.count("(") != source.count(")"):
        return "语法错误：括号不配对"
    if source.count("[") != source.count("]"):
        return "语法错误：方括号不配对"
    if source.count('"') % 2:
        return "语法错误：引号不配对（文字要用一对英文双引号括起来）"
    if any(ch in source for ch in "（），“”‘’＝＞＜！｜＆"):
        return "语法错误：表达式中含有中文标点，请改用英文半角符号"
    return ""


def _parse_message(source: str, line: int, column: int) -> str:
    lines = source.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    rest = text[column - 1:].strip()
    balance = _balance_message(source)
    if balance:
        return balance
    if not rest:
        return "语法错误：表达式不完整，结尾缺少内容"
    if rest.startswith(("&&&", "|||", "===")) or rest[:1] in ("=",) and not rest.startswith("=="):
        return f"语法错误：无法识别的运算符“{rest[:3]}”（等于用 ==，并且用 &&，或者用 ||）"
    if rest.startswith(("and ", "or ", "not ", "AND ", "OR ")):
        return "语法错误：请用 &&（并且）、||（或者）、!（不是）"
    return f"语法错误：此处不能出现“{rest[:12]}”"


class _Builder:
    def __init__(self, source: str):
        self.source = source

    def pos(self, item) -> dict:
        meta = getattr(item, "meta", None)
        if isinstance(item, Token):
            return {"line": item.line or 1, "column": item.column or 1,
                    "start": item.start_pos or 0, "end": item.end_pos or 0}
        if meta is not None and not getattr(meta, "empty", True):
            return {"line": meta.line, "column": meta.column, "start": meta.start_pos, "end": meta.end_pos}
        return {"line": 1, "column": 1, "start": 0, "end": len(self.source)}

    def fail(self, item, message: str):
        p = self.pos(item)
        raise CelError(message, line=p["line"], column=p["column"], source=self.source)

    def build(self, tree: Tree) -> Node:
        return self.node(tree)

    def node(self, t) -> Node:  # noqa: C901 - a dispatcher over the grammar's rules
        if isinstance(t, Token):
            self.fail(t, f"无法识别“{t}”")
        kids = [k for k in t.children if k is not None]
        rule = t.data
        if rule == "expr":
            if len(kids) == 1:
                return self.node(kids[0])
            return Cond(**self.pos(t), test=self.node(kids[0]), then=self.node(kids[1]), orelse=self.node(kids[2]))
        if rule in ("conditionalor", "conditionaland"):
            if len(kids) == 1:
                return self.node(kids[0])
            op = "||" if rule == "conditionalor" else "&&"
            return Binary(**self.pos(t), op=op, left=self.node(kids[0]), right=self.node(kids[1]))
        if rule in ("relation", "addition", "multiplication"):
            if len(kids) == 1:
                return self.node(kids[0])
            op_tree, right = kids
            table = _REL if rule == "relation" else _ADD if rule == "addition" else _MUL
            op = table[op_tree.data]
            left = self.node(op_tree.children[0])
            if op == "in":
                return self._in(t, left, right)
            return Binary(**self.pos(t), op=op, left=left, right=self.node(right))
        if rule == "unary":
            if len(kids) == 1:
                return self.node(kids[0])
            op = "!" if kids[0].data == "unary_not" else "-"
            operand = self.node(kids[1])
            if op == "-" and isinstance(operand, Lit) and operand.lit_type in (INT, DOUBLE):
                return Lit(**self.pos(t), value=-operand.value, lit_type=operand.lit_type)
            return Unary(**self.pos(t), op=op, operand=operand)
        if rule == "member":
            return self.node(kids[0])
        if rule in ("member_dot", "member_dot_arg", "member_index", "member_object"):
            self.fail(t, "不支持“.”取字段、下标或对象写法；请直接写特征名，例如 age、months_worked(\"abroad\")")
        if rule == "primary":
            return self.node(kids[0])
        if rule == "paren_expr":
            return self.node(kids[0])
        if rule == "literal":
            return self._literal(t, kids[0])
        if rule == "ident":
            return Ref(**self.pos(t), name=str(kids[0]))
        if rule == "ident_arg":
            name = str(kids[0])
            args = [self.node(a) for a in kids[1].children] if len(kids) > 1 else []
            if name in CONVERSIONS:
                if len(args) != 1:
                    self.fail(t, f"{name}() 需要一个参数")
                return Convert(**self.pos(t), to=CONVERSIONS[name], operand=args[0])
            for arg in args:
                if not isinstance(arg, Lit):
                    raise CelError(f"特征“{name}”的参数必须是写定的值（如 \"abroad\" 或 6），不能是表达式",
                                   line=arg.line, column=arg.column, source=self.source)
            return Ref(**self.pos(t), name=name, args=tuple(a.value for a in args))
        if rule in ("dot_ident", "dot_ident_arg"):
            self.fail(t, "不支持以“.”开头的名称")
        if rule in ("list_lit",):
            self.fail(t, "列表只能用在 in 的右边，例如 category in [\"alleviated\", \"monitored\"]")
        if rule in ("map_lit",):
            self.fail(t, "不支持映射（{...}）写法")
        self.fail(t, "不支持的写法")
        raise AssertionError  # pragma: no cover

    def _in(self, t, left: Node, right) -> Node:
        # right is an `addition` subtree that must be a list literal of literals.
        inner = right
        while isinstance(inner, Tree) and inner.data != "list_lit" and len([k for k in inner.children if k is not None]) == 1:
            inner = [k for k in inner.children if k is not None][0]
        if not (isinstance(inner, Tree) and inner.data == "list_lit"):
            self.fail(right, "in 的右边必须是方括号列表，例如 [\"alleviated\", \"monitored\"]")
        items = []
        exprlist = [k for k in inner.children if k is not None]
        for item in (exprlist[0].children if exprlist else []):
            value = self.node(item)
            if not isinstance(value, Lit):
                raise CelError("in 列表中只能写定值（数字或带引号的文字）", line=value.line,
                               column=value.column, source=self.source)
            items.append(value)
        if not items:
            self.fail(right, "in 列表不能为空")
        return InList(**self.pos(t), item=left, options=items)

    def _literal(self, t, token: Token) -> Lit:
        kind = token.type
        text = str(token)
        p = self.pos(t)
        if kind == "INT_LIT":
            value = int(text, 16) if text.lower().lstrip("-").startswith("0x") else int(text)
            if not -(2**62) <= value <= 2**62:
                self.fail(t, "数字太大")
            return Lit(**p, value=value, lit_type=INT)
        if kind == "FLOAT_LIT":
            return Lit(**p, value=float(text), lit_type=DOUBLE)
        if kind == "BOOL_LIT":
            return Lit(**p, value=text == "true", lit_type=BOOL)
        if kind in ("STRING_LIT", "MLSTRING_LIT"):
            if text[:1] in "rR":
                value = text[1:][1:-1] if kind == "STRING_LIT" else text[1:][3:-3]
            else:
                try:
                    value = pyast.literal_eval(text)
                except (ValueError, SyntaxError):
                    self.fail(t, "文字写法不对")
            return Lit(**p, value=value, lit_type=STRING)
        if kind == "UINT_LIT":
            self.fail(t, "不支持无符号整数（去掉末尾的 u）")
        if kind == "NULL_LIT":
            self.fail(t, "不支持 null：特征总有值，请直接比较")
        self.fail(t, "不支持字节串")
        raise AssertionError  # pragma: no cover


# --------------------------------------------------------------------------------------------
# Check names and types
# --------------------------------------------------------------------------------------------
@dataclass
class Checked:
    """A parsed and type-checked expression with the feature calls it uses."""

    source: str
    root: Node
    calls: list[ft.FeatureCall]

    @property
    def type(self) -> str:
        return self.root.type


def check(source: str, *, kind: str, expect: tuple[str, ...], field_name: str = "") -> Checked:
    """Parse ``source`` and check it against the catalogue of ``kind``; its type must be in ``expect``."""
    try:
        root = parse(source)
        calls: dict[str, ft.FeatureCall] = {}
        _Checker(source, kind, calls).visit(root)
        if root.type not in expect:
            wanted = "或".join(TYPE_NAMES[t] for t in expect)
            raise CelError(f"结果应为{wanted}，实际是{TYPE_NAMES[root.type]}",
                           line=root.line, column=root.column, source=source)
    except CelError as exc:
        raise exc.with_field(field_name) from None
    return Checked(source=source, root=root, calls=list(calls.values()))


class _Checker:
    def __init__(self, source: str, kind: str, calls: dict):
        self.source = source
        self.kind = kind
        self.calls = calls

    def fail(self, node: Node, message: str):
        raise CelError(message, line=node.line, column=node.column, source=self.source)

    def visit(self, n: Node) -> str:  # noqa: C901
        if isinstance(n, Lit):
            n.type = n.lit_type
        elif isinstance(n, Ref):
            n.type = self._ref(n)
        elif isinstance(n, Convert):
            inner = self.visit(n.operand)
            if inner not in (INT, DOUBLE):
                self.fail(n, f"{'int' if n.to == INT else 'double'}() 只能转换数字，这里是{TYPE_NAMES[inner]}")
            n.type = n.to
        elif isinstance(n, Unary):
            inner = self.visit(n.operand)
            if n.op == "!" and inner != BOOL:
                self.fail(n, f"“!”只能用于是/否，这里是{TYPE_NAMES[inner]}")
            if n.op == "-" and inner not in (INT, DOUBLE):
                self.fail(n, f"负号只能用于数字，这里是{TYPE_NAMES[inner]}")
            n.type = inner
        elif isinstance(n, Binary):
            left, right = self.visit(n.left), self.visit(n.right)
            n.type = self._binary(n, left, right)
        elif isinstance(n, InList):
            item = self.visit(n.item)
            for option in n.options:
                self.visit(option)
                if option.type != item:
                    self.fail(option, f"in 列表中的值应为{TYPE_NAMES[item]}，这里是{TYPE_NAMES[option.type]}")
            if item == DOUBLE:
                self.fail(n, "in 不能用于小数，请用比较运算")
            n.type = BOOL
        elif isinstance(n, Cond):
            test = self.visit(n.test)
            if test != BOOL:
                self.fail(n.test, f"“? :”的条件应为是/否，这里是{TYPE_NAMES[test]}")
            a, b = self.visit(n.then), self.visit(n.orelse)
            if a != b:
                self.fail(n.orelse, f"“? :”两个分支的类型应相同：一个是{TYPE_NAMES[a]}，一个是{TYPE_NAMES[b]}"
                          + ("（整数与小数不能混用，可写成 200.0 或用 double()）" if {a, b} == {INT, DOUBLE} else ""))
            n.type = a
        else:  # pragma: no cover
            self.fail(n, "不支持的写法")
        return n.type

    def _binary(self, n: Binary, left: str, right: str) -> str:
        op = n.op
        if op in LOGICAL:
            for side, t in ((n.left, left), (n.right, right)):
                if t != BOOL:
                    self.fail(side, f"“{op}”两边应为是/否条件，这里是{TYPE_NAMES[t]}")
            return BOOL
        mixed = {left, right} == {INT, DOUBLE}
        hint = "（整数与小数不能直接比较或运算：把整数写成小数如 16.0，或用 double()/int() 转换）" if mixed else ""
        if op in EQUALITY:
            if left != right:
                self.fail(n, f"“{op}”两边类型不同：{TYPE_NAMES[left]}与{TYPE_NAMES[right]}{hint}")
            return BOOL
        if op in ORDERING:
            if left != right or left not in (INT, DOUBLE):
                if left == right == STRING:
                    self.fail(n, f"文字不能用“{op}”比较大小，只能用 ==、!= 或 in")
                self.fail(n, f"“{op}”两边应为同类型的数字：这里是{TYPE_NAMES[left]}与{TYPE_NAMES[right]}{hint}")
            return BOOL
        if op in ARITHMETIC:
            if left != right or left not in (INT, DOUBLE):
                self.fail(n, f"“{op}”两边应为同类型的数字：这里是{TYPE_NAMES[left]}与{TYPE_NAMES[right]}{hint}")
            if op == "%" and left != INT:
                self.fail(n, "“%”（取余）只能用于整数")
            if op in ("/", "%") and isinstance(n.right, Lit) and n.right.value == 0:
                self.fail(n.right, "除数不能为 0")
            return left
        self.fail(n, f"不支持的运算符“{op}”")
        raise AssertionError  # pragma: no cover

    def _ref(self, n: Ref) -> str:
        names = ft.feature_names(self.kind)
        if n.name not in names:
            other_kinds = [k for k in ft.KINDS if k != self.kind and n.name in ft.feature_names(k)]
            if other_kinds:
                self.fail(n, f"特征“{n.name}”不适用于{ft.KIND_LABELS[self.kind]}政策")
            close = difflib.get_close_matches(n.name, sorted(names), n=3, cutoff=0.6)
            hint = f"，是不是：{'、'.join(close)}" if close else "（可用特征见“特征目录”）"
            self.fail(n, f"未知的特征“{n.name}”{hint}")
        feature = ft.feature_lookup(self.kind, n.name, len(n.args))
        if feature is None:
            arities = ft.feature_arities(self.kind, n.name)
            forms = "、".join(ft.feature_lookup(self.kind, n.name, a).signature for a in arities)
            self.fail(n, f"特征“{n.name}”的参数个数不对，应写作：{forms}")
        for param, value in zip(feature.params, n.args):
            reason = param.check(value)
            if reason:
                self.fail(n, reason)
        n.call = ft.FeatureCall(feature, tuple(n.args))
        self.calls.setdefault(n.call.column, n.call)
        return feature.type


def walk(node: Node):
    """Every node of the tree, parents first."""
    yield node
    for child in children(node):
        yield from walk(child)


def children(node: Node) -> list[Node]:
    if isinstance(node, (Unary, Convert)):
        return [node.operand]
    if isinstance(node, Binary):
        return [node.left, node.right]
    if isinstance(node, InList):
        return [node.item, *node.options]
    if isinstance(node, Cond):
        return [node.test, node.then, node.orelse]
    return []


def conjuncts(node: Node) -> list[Node]:
    """The clauses of a top-level ``a && b && c`` chain (a single clause otherwise)."""
    if isinstance(node, Binary) and node.op == "&&":
        return conjuncts(node.left) + conjuncts(node.right)
    return [node]


def disjuncts(node: Node) -> list[Node]:
    if isinstance(node, Binary) and node.op == "||":
        return disjuncts(node.left) + disjuncts(node.right)
    return [node]


def text_of(source: str, node: Node) -> str:
    return " ".join(source[node.start:node.end].split())


def refs_in(node: Node) -> list[ft.FeatureCall]:
    seen: dict[str, ft.FeatureCall] = {}
    for n in walk(node):
        if isinstance(n, Ref) and n.call is not None:
            seen.setdefault(n.call.column, n.call)
    return list(seen.values())
