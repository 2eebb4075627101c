"""A contributed KPI figure as the pages, the briefing and ``kpi show --json`` read it.

``FigureValue`` is one stored row of the KPI figures table made readable: the number to show
(yuan for money, a fraction for a rate) and its Chinese text in the briefing's style
(``33.1万个``, ``4.02亿元``, ``96.5%``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from bangfu.core.money import english, format_wan


@dataclass(frozen=True)
class FigureValue:
    key: str
    value: int
    denominator: int | None = None
    money: bool = False  # value in fen

    @property
    def number(self) -> int | float | None:
        """Yuan for money, a fraction (0.965) for a rate (None when nothing is finished yet)."""
        if self.denominator is not None:
            return round(self.value / self.denominator, 4) if self.denominator else None
        if self.money:
            return round(self.value / 100, 2)
        return self.value

    def text(self, unit: str = "") -> str:
        """The figure in a sentence: ``33.1万个``, ``4.02亿元``, ``96.5%``, ``—``."""
        number = self.number
        if number is None:
            return "—"
        if self.denominator is not None:
            return f"{number * 100:.1f}%"
        if self.money:
            return money_text(self.value)
        return format_wan(number) + unit


def money_text(fen: int) -> str:
    """``401234567800`` fen -> ``40.1亿元``; below 1亿 in 万元; below 1万 in 元 (in English:
    ``4,012.35 million yuan`` from a million up, else ``31,234 yuan``)."""
    yuan = fen / 100
    if english():
        if yuan >= 1_000_000:
            return f"{yuan / 1_000_000:,.2f} million yuan"
        return f"{yuan:,.0f} yuan"
    if yuan >= 100_000_000:
        return _("{amount}亿元").format(amount=f"{yuan / 100_000_000:.2f}".rstrip("0").rstrip("."))
    if yuan >= 10_000:
        return _("{amount}万元").format(amount=f"{yuan / 10_000:.1f}")
    return _("{amount}元").format(amount=f"{yuan:,.0f}")
