"""The page of a briefing in the layout of GB/T 9704-2012 (党政机关公文格式): fonts, sizes, the
line grid of 22 lines of 28 characters, and the Chinese dates and numbers of the document.

No Django here; ``briefing_doc`` lays the document out with these.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Face:
    name: str  # the font the bureaus' machines have
    alternative: str  # what Word uses when ``name`` is missing


XIAOBIAOSONG = Face("方正小标宋简体", "宋体")
FANGSONG = Face("仿宋_GB2312", "仿宋")
HEITI = Face("黑体", "SimHei")
KAITI = Face("楷体_GB2312", "楷体")
SONGTI = Face("宋体", "SimSun")
FACES = (XIAOBIAOSONG, FANGSONG, HEITI, KAITI, SONGTI)

# ---- the page (GB/T 9704-2012, 5.2 and 5.2.2) ---------------------------------------------------------
RED = "FF0000"
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
OFFICE_PT = 36  # 小初, for a name that fits one line at that size
OFFICE_MIN_PT = 26  # 一号; a longer name is squeezed horizontally rather than wrapped or smaller
SMALL_PT = 14  # 4号: page numbers, tables, captions
LINES_PER_PAGE = 22
KEEP_TOGETHER_ROWS = 15  # a table up to this long moves to the next page whole rather than split
CHARS_PER_LINE = 28


def twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


PAGE_WIDTH, PAGE_HEIGHT = twips(210), twips(297)
TOP, BOTTOM, LEFT, RIGHT = twips(37), twips(35), twips(28), twips(26)
TEXT_WIDTH = PAGE_WIDTH - LEFT - RIGHT
TEXT_HEIGHT = PAGE_HEIGHT - TOP - BOTTOM
# Rounded down, or the 22nd line would not fit: 579 twips = 28.95 pt.
LINE_PITCH = TEXT_HEIGHT // LINES_PER_PAGE
# 28 characters of 3号 are 448 pt, the text width 442 pt: each character is drawn a little closer.
# w:charSpace says so in 1/4096 pt for the declared grid (-842: Word's page set-up then shows
# 28 characters a line). LibreOffice would give each character two cells of that grid, so the
# paragraphs keep off it and get the 28 from character spacing instead, in 1/20 pt: at -0.25 pt
# LibreOffice still breaks after 27, at -0.4 pt 28 take 437 pt and 29 would take 452.
CHAR_SPACE = math.floor((TEXT_WIDTH / CHARS_PER_LINE / 20 - BODY_PT) * 4096)
CHAR_SPACING = -8
INDENT = 2 * (BODY_PT * 20 + CHAR_SPACING)  # first lines indented by two characters
# The footer's first line sits 7 mm below the text area (GB/T 9704-2012, 7.5).
FOOTER_LINE = 18 * 20
FOOTER_DISTANCE = BOTTOM - twips(7) - FOOTER_LINE


def chinese_date(day: datetime.date) -> str:
    """2024年10月8日: Arabic numerals, no leading zeros (GB/T 9704-2012, 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_number(n: int) -> str:
    """一 … 九十九, for the heading numbers 一、 and （一）."""
    digits = "零一二三四五六七八九"
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


def fits_one_title_line(text: str) -> bool:
    """Whether ``text`` in 2号 fits one line (a longer title is broken where its words allow)."""
    return sum(1 if ord(ch) > 0x2E80 else 0.55 for ch in text) * TITLE_PT * 20 <= TEXT_WIDTH


def office_size(name: str) -> tuple[float, int]:
    """(points, horizontal scale %) of the issuing office: on one line, as large as fits up to 小初,
    not below 一号; a longer name (石柱土家族自治县人力资源和社会保障局) is drawn narrower instead."""
    room = TEXT_WIDTH * 0.96 / 20  # points, with a little air at both ends
    size = max(OFFICE_MIN_PT, min(OFFICE_PT, math.floor(room / max(len(name), 1))))
    scale = min(100, math.floor(room / (len(name) * size) * 100)) if name else 100
    return size, max(50, scale)
