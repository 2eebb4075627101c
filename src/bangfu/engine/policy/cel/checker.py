"""Check names and types of a parsed expression against the feature catalogue."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bangfu.engine import features as ft
from bangfu.engine.policy.cel.parser import parse
from bangfu.engine.policy.cel.tree import (
    ARITHMETIC, BOOL, DOUBLE, EQUALITY, INT, LOGICAL, ORDERING, STRING, TYPE_NAMES, Binary,
    CelError, Cond, Convert, InList, Lit, Node, Ref, Unary,
)


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
