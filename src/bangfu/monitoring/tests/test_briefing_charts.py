"""The briefing's charts are drawn on the server with a CJK font, at the size they are printed."""

from __future__ import annotations

import io
import logging

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from PIL import Image

from bangfu.monitoring import briefing_charts

MONTHS = [f"{2023 + (m - 1) // 12}-{(m - 1) % 12 + 1:02d}" for m in range(10, 34)]


@pytest.fixture
def fresh_font_choice():
    briefing_charts.cjk_font.cache_clear()
    yield
    briefing_charts.cjk_font.cache_clear()


def test_the_charts_find_a_font_that_has_the_chinese_glyphs(fresh_font_choice):
    if not any("CJK" in f.name for f in font_manager.fontManager.ttflist):
        pytest.skip("no CJK font installed (scripts/system-deps.sh installs fonts-noto-cjk)")
    family = briefing_charts.cjk_font()
    path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "务工规模万人渝东北")


def test_a_chart_is_a_png_of_its_printed_size():
    png = briefing_charts.trend_png(months=MONTHS, values=[800_000 + i * 1_000 for i in range(24)],
                                    width_mm=150, height_mm=72)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = image.size
    assert abs(width - 150 / 25.4 * briefing_charts.DPI) <= 2
    assert abs(height - 72 / 25.4 * briefing_charts.DPI) <= 2


def test_months_without_data_are_a_gap_not_a_drop_to_zero():
    values = [None] * 3 + [800_000 + i for i in range(21)]
    assert briefing_charts.trend_png(months=MONTHS, values=values)[:8] == b"\x89PNG\r\n\x1a\n"


def test_bars_grow_with_the_number_of_areas():
    few = Image.open(io.BytesIO(briefing_charts.bars_png(names=["外出务工", "就近就业"], values=[3, 1],
                                                         shares=[0.75, 0.25])))
    many = Image.open(io.BytesIO(briefing_charts.bars_png(names=[f"区县{i}" for i in range(38)],
                                                          values=list(range(38, 0, -1)))))
    assert many.size[1] > few.size[1]
    assert many.size[1] <= 205 / 25.4 * briefing_charts.DPI + 2  # still fits the text area


def test_without_a_cjk_font_the_charts_are_still_drawn_and_the_log_says_what_to_install(
        fresh_font_choice, monkeypatch, caplog):
    latin = [f for f in font_manager.fontManager.ttflist if f.name == "DejaVu Sans"]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin)
    with caplog.at_level(logging.WARNING, logger="bangfu.monitoring.briefing_charts"):
        assert briefing_charts.cjk_font() is None
        png = briefing_charts.bars_png(names=["外出务工"], values=[10])
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "fonts-noto-cjk" in caplog.text
