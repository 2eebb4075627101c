"""The dashboard's charts drawn on the server (matplotlib, no display) for the printed briefing.

No Django here: each function takes plain numbers and the words to print, and returns a PNG
at the size it will have on paper, so its type sizes are the printed ones. Chinese needs a CJK
font: the first of ``CJK_FAMILIES`` that matplotlib's font manager knows (Debian's
fonts-noto-cjk gives Noto Sans CJK SC), else any CJK family it has; with none, the charts are
still drawn (the Chinese then shows as boxes) and a warning says which package to install.
"""

from __future__ import annotations

import functools
import io
import logging
import warnings
from dataclasses import dataclass

from matplotlib import font_manager
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

log = logging.getLogger(__name__)

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
                "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")
MM = 1 / 25.4  # inches per millimetre
DPI = 200
INK = "#1f3864"  # one dark blue that prints as a clear grey in black and white
ACCENT = "#c00000"
GRID = "#d9d9d9"


@dataclass(frozen=True)
class Words:
    """What the charts print besides the names: passed in translated, Chinese by default."""

    unit: str = "人"
    wan: str = "万"  # ten thousand: 81.2万人
    year: str = "年"
    month: str = "月"
    unit_caption: str = "单位：{unit}"


@functools.cache
def cjk_font() -> str | None:
    """The family the charts use for Chinese, or None when matplotlib knows no CJK font."""
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in known:
            return family
    others = sorted(name for name in known if "CJK SC" in name or "CJK" in name or "Hei" in name)
    if others:
        return others[0]
    log.warning("no CJK font for the briefing's charts: install fonts-noto-cjk")
    return None


def _style() -> dict:
    family = cjk_font()
    return {
        "font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"],
        "font.size": 9,
        "axes.unicode_minus": False,  # the CJK fonts have no U+2212
        "axes.edgecolor": "#595959",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.fonttype": "none",
    }


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")  # no CJK font: boxes
        fig.savefig(out, format="png", dpi=DPI, metadata={"Software": None})
    return out.getvalue()


def _count_axis(ax, values: list[float], *, axis: str, words: Words) -> None:
    """Counts in 万 (81.2) when they reach 100,000, else with separators; the unit above the axis."""
    top = max((v for v in values if v is not None), default=0)
    large = top >= 100_000
    formatter = FuncFormatter(lambda v, _pos: f"{v / 10_000:g}" if large else f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)
    unit = words.unit_caption.format(unit=f"{words.wan}{words.unit}" if large else words.unit)
    if axis == "y":
        ax.set_title(unit, loc="left", fontsize=8, color="#595959")
    else:
        ax.set_xlabel(unit, loc="right", fontsize=8, color="#595959")


def trend_png(*, months: list[str], values: list[int | None], words: Words = Words(),
              width_mm: float = 150, height_mm: float = 72) -> bytes:
    """The employment scale month by month (a line; months without data are a gap, not a zero)."""
    with rc_context(_style()):
        fig = Figure(figsize=(width_mm * MM, height_mm * MM), layout="constrained")
        ax = fig.add_subplot()
        xs = list(range(len(months)))
        ax.plot(xs, [v if v is not None else float("nan") for v in values], color=INK, linewidth=1.6,
                marker="o", markersize=2.8)
        known = [(x, v) for x, v in zip(xs, values) if v is not None]
        if known:
            x, v = known[-1]
            ax.annotate(f"{v:,}", (x, v), textcoords="offset points", xytext=(0, 6), ha="center",
                        color=ACCENT, fontsize=8)
            low = min(v for _x, v in known)
            high = max(v for _x, v in known)
            pad = max((high - low) * 0.25, high * 0.02, 1)
            ax.set_ylim(max(0, low - pad), high + pad)
        # Every third month named, counted back from the latest; the year under its first label.
        labels, years = [], set()
        for index, month in enumerate(months):
            year, mon = month.split("-")
            if (len(months) - 1 - index) % 3:
                labels.append("")
                continue
            text = f"{int(mon)}{words.month}"
            if year not in years:
                years.add(year)
                text += f"\n{year}{words.year}"
            labels.append(text)
        ax.set_xticks(xs, labels)
        ax.tick_params(axis="x", labelsize=8)
        _count_axis(ax, values, axis="y", words=words)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        ax.set_xlim(-0.6, len(months) - 0.4)
        return _png(fig)


def bars_png(*, names: list[str], values: list[int], words: Words = Words(), width_mm: float = 150,
             shares: list[float | None] | None = None) -> bytes:
    """Horizontal bars, largest at the top, each with its value (and share) at the end."""
    rows = max(len(names), 1)
    height_mm = min(205.0, 14 + rows * (4.6 if rows > 12 else 7.5))
    with rc_context(_style()):
        fig = Figure(figsize=(width_mm * MM, height_mm * MM), layout="constrained")
        ax = fig.add_subplot()
        ys = list(range(len(names)))[::-1]  # the first name (the largest) on top
        ax.barh(ys, values, color=INK, height=0.62)
        ax.set_yticks(ys, names)
        ax.tick_params(axis="y", length=0, labelsize=8 if rows > 12 else 9)
        top = max(values, default=0) or 1
        for index, (y, value) in enumerate(zip(ys, values)):
            label = f"{value:,}"
            if shares and shares[index] is not None:
                label += f"（{shares[index] * 100:.1f}%）"
            ax.text(value + top * 0.01, y, label, va="center", fontsize=7.5 if rows > 12 else 8.5)
        ax.set_xlim(0, top * 1.28)
        ax.set_ylim(-0.6, len(names) - 0.4)
        _count_axis(ax, values, axis="x", words=words)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
        ax.set_axisbelow(True)
        return _png(fig)
