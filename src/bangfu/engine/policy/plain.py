"""A checked CEL condition or amount read out in Chinese, as an officer says it:

    category in ["alleviated", "monitored"] && age >= 16 && worked_outside_county
    → 人口类型为脱贫人口、监测对象之一；且年龄不小于16；且当年有县外务工

The CEL stays the rule (it is what runs); this is how pages and explanations show it. Every fixed
word and every label passes through ``tr`` (gettext on a page; the Chinese itself by default).
"""

from __future__ import annotations

from collections.abc import Callable

from bangfu.engine.features.definitions import gettext_noop
from bangfu.engine.policy import cel
from bangfu.engine.policy.cel.tree import Binary, Cond, Convert, InList, Lit, Ref, Unary

Tr = Callable[[str], str]

COMPARE = {"==": gettext_noop("{left}为{right}"), "!=": gettext_noop("{left}不为{right}"),
           "<": gettext_noop("{left}小于{right}"), "<=": gettext_noop("{left}不超过{right}"),
           ">": gettext_noop("{left}大于{right}"), ">=": gettext_noop("{left}不小于{right}")}
ARITHMETIC = {"+": "+", "-": "−", "*": "×", "/": "÷", "%": gettext_noop("除以{right}的余数")}
AND, OR = gettext_noop("；且"), gettext_noop("；或")
IN_LIST = gettext_noop("{item}为{options}之一")
NOT = gettext_noop("并非（{text}）")
NOT_FLAG = gettext_noop("不满足“{label}”")
IF = gettext_noop("若{test}，则{then}，否则{orelse}")
YES, NO = gettext_noop("是"), gettext_noop("否")
LIST_SEPARATOR = gettext_noop("、")


def _same(text: str) -> str:
    return text


def plain_text(node: cel.Node, *, tr: Tr = _same) -> str:
    """The node in words (a checked tree: its references know their features)."""
    return _Reader(tr).read(node, top=True)


class _Reader:
    def __init__(self, tr: Tr):
        self.tr = tr

    def read(self, node, *, top: bool = False, labels: dict | None = None) -> str:  # noqa: C901 - one case a node
        tr = self.tr
        if isinstance(node, Binary) and node.op in ("&&", "||"):
            parts = cel.conjuncts(node) if node.op == "&&" else cel.disjuncts(node)
            text = tr(AND if node.op == "&&" else OR).join(self.read(p) for p in parts)
            return text if top else f"（{text}）"
        if isinstance(node, Binary) and node.op in COMPARE:
            value_labels = self._labels(node.left) or self._labels(node.right)
            return tr(COMPARE[node.op]).format(left=self.read(node.left, labels=value_labels),
                                               right=self.read(node.right, labels=value_labels))
        if isinstance(node, Binary) and node.op == "%":
            return self.read(node.left) + tr(ARITHMETIC["%"]).format(right=self.read(node.right))
        if isinstance(node, Binary):
            return f"{self.read(node.left)} {ARITHMETIC.get(node.op, node.op)} {self.read(node.right)}"
        if isinstance(node, InList):
            value_labels = self._labels(node.item)
            options = tr(LIST_SEPARATOR).join(self.read(o, labels=value_labels) for o in node.options)
            return tr(IN_LIST).format(item=self.read(node.item), options=options)
        if isinstance(node, Unary) and node.op == "!":
            if isinstance(node.operand, Ref):
                return tr(NOT_FLAG).format(label=self.read(node.operand))
            return tr(NOT).format(text=self.read(node.operand, top=True))
        if isinstance(node, Unary):
            return f"{node.op}{self.read(node.operand)}"
        if isinstance(node, Cond):
            return tr(IF).format(test=self.read(node.test, top=True), then=self.read(node.then),
                                 orelse=self.read(node.orelse))
        if isinstance(node, Convert):
            return self.read(node.operand, top=top, labels=labels)
        if isinstance(node, Ref):
            return tr(node.call.label) if node.call is not None else node.name
        if isinstance(node, Lit):
            return self._literal(node.value, labels)
        return "?"

    def _labels(self, node) -> dict | None:
        if isinstance(node, Ref) and node.call is not None:
            return node.call.feature.value_labels
        return None

    def _literal(self, value, labels: dict | None) -> str:
        if isinstance(value, bool):
            return self.tr(YES if value else NO)
        if isinstance(value, str):
            if labels and value in labels:
                return self.tr(labels[value])
            return f"“{value}”"
        if isinstance(value, float) and value.is_integer():
            return f"{int(value):,}"
        if isinstance(value, int):
            return f"{value:,}" if abs(value) >= 10_000 else str(value)
        return str(value)
