"""The CEL syntax tree: value types, ``CelError`` with its position, the nodes and walking them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bangfu.engine import features as ft

INT, DOUBLE, BOOL, STRING = "int", "double", "bool", "string"
TYPE_NAMES = {INT: "整数", DOUBLE: "小数", BOOL: "是/否", STRING: "文字"}

ARITHMETIC = {"+", "-", "*", "/", "%"}
ORDERING = {"<", "<=", ">", ">="}
EQUALITY = {"==", "!="}
LOGICAL = {"&&", "||"}


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
