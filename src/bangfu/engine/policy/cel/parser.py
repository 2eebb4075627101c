"""Parse: cel-python's lark tree to the syntax tree, with Chinese messages for syntax errors."""

from __future__ import annotations

import ast as pyast

from celpy.celparser import CELParseError, CELParser
from lark import Token, Tree

from bangfu.engine.policy.cel.tree import (
    BOOL, DOUBLE, INT, STRING, Binary, CelError, Cond, Convert, InList, Lit, Node, Ref, Unary,
)

_REL = {
    "relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
    "relation_eq": "==", "relation_ne": "!=", "relation_in": "in",
}
_ADD = {"addition_add": "+", "addition_sub": "-"}
_MUL = {"multiplication_mul": "*", "multiplication_div": "/", "multiplication_mod": "%"}
CONVERSIONS = {"int": INT, "double": DOUBLE}
MAX_LENGTH = 4000


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
