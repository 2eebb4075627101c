"""The briefing's .docx keeps the layout of GB/T 9704-2012: read back from its XML (no Django)."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from lxml import etree
from PIL import Image

from bangfu.monitoring import briefing_doc as bd
from bangfu.monitoring import briefing_ooxml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def png(size: int) -> bytes:
    """A white square: two sizes are two images (Word's package keeps one copy of equal ones)."""
    out = io.BytesIO()
    Image.new("RGB", (size, size), "white").save(out, format="PNG")
    return out.getvalue()



def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def sample(rows: int = 30) -> bd.BriefingDocument:
    return bd.BriefingDocument(
        office="重庆市人力资源和社会保障局", issue="渝人社就业简报〔2024〕9号", date=datetime.date(2024, 10, 8),
        title="重庆市2024年9月脱贫人口务工监测情况",
        sections=[
            bd.Section(paragraphs=["今年以来，全市脱贫人口务工规模稳定在81.2万人以上。"]),
            bd.Section(title="务工规模走势", charts=[bd.Chart("近24个月务工规模", png(8)), bd.Chart("各区县", png(9))]),
            bd.Section(title="务工结构", subsections=[
                bd.Section(title="按就业渠道", paragraphs=["外出务工为主。"],
                           tables=[bd.Table("分区县务工人数", ["区域", "务工规模（人）", "占比（%）"],
                                            [[f"区县{i}", f"{10_000 + i:,}", "2.6"] for i in range(rows)])]),
                bd.Section(title="按务工地点"),
            ]),
        ],
        notes=["数据来源：帮扶平台务工监测。"],
    )


@pytest.fixture(scope="module")
def package() -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(bd.docx_bytes(sample())))


@pytest.fixture(scope="module")
def body(package):
    return etree.fromstring(package.read("word/document.xml")).find(w("body"))


@pytest.fixture(scope="module")
def styles(package):
    return etree.fromstring(package.read("word/styles.xml"))


def paragraph_with(body, text: str):
    for p in body.iter(w("p")):
        if text in "".join(p.itertext()):
            return p
    raise AssertionError(f"no paragraph with {text!r}")


def east_asian_font(p) -> str:
    return p.find(".//w:r/w:rPr/w:rFonts", NS).get(w("eastAsia"))


def size_pt(p) -> float:
    return int(p.find(".//w:r/w:rPr/w:sz", NS).get(w("val"))) / 2


def test_the_page_is_a4_with_the_margins_of_gb_t_9704(body):
    sect = body.find(w("sectPr"))
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    assert (int(size.get(w("w"))), int(size.get(w("h")))) == (twips(210), twips(297)) == (11906, 16838)
    assert {k: int(margins.get(w(k))) for k in ("top", "bottom", "left", "right")} == {
        "top": twips(37), "bottom": twips(35), "left": twips(28), "right": twips(26)}


def test_the_line_pitch_puts_22_lines_on_a_page(body, styles):
    grid = body.find(w("sectPr")).find(w("docGrid"))
    pitch = int(grid.get(w("linePitch")))
    text_height = twips(297) - twips(37) - twips(35)
    assert pitch * 22 <= text_height < pitch * 23
    assert 28.9 <= pitch / 20 <= 29.0  # (297 - 37 - 35) mm / 22 lines
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    spacing = normal.find("w:pPr/w:spacing", NS)
    assert (spacing.get(w("lineRule")), int(spacing.get(w("line")))) == ("exact", pitch)
    body_text = paragraph_with(body, "今年以来")
    assert body_text.find("w:pPr/w:spacing", NS) is None  # the paragraph takes the style's exact pitch


def test_28_characters_of_3hao_fit_a_line_and_29_do_not(body, styles):
    width = twips(210) - twips(28) - twips(26)
    grid = body.find(w("sectPr")).find(w("docGrid"))
    assert grid.get(w("type")) == "linesAndChars"
    cell = (16 + int(grid.get(w("charSpace"))) / 4096) * 20  # Word's character grid, in twips
    assert 28 * cell <= width < 29 * cell
    normal = styles.find("w:style[@w:styleId='Normal']", NS)
    pitch = 16 * 20 + int(normal.find("w:rPr/w:spacing", NS).get(w("val")))  # what LibreOffice lays out
    assert 28 * pitch <= width < 29 * pitch
    assert int(normal.find("w:rPr/w:sz", NS).get(w("val"))) == 32


def test_fonts_are_named_in_the_east_asian_slot_at_their_sizes(body):
    title = paragraph_with(body, "脱贫人口务工监测情况")
    assert (east_asian_font(title), size_pt(title)) == ("方正小标宋简体", 22)
    lead = paragraph_with(body, "今年以来")
    assert (east_asian_font(lead), size_pt(lead)) == ("仿宋_GB2312", 16)
    first = paragraph_with(body, "一、务工规模走势")
    assert (east_asian_font(first), size_pt(first)) == ("黑体", 16)
    second = paragraph_with(body, "（一）按就业渠道")
    assert (east_asian_font(second), size_pt(second)) == ("楷体_GB2312", 16)
    for p in (title, lead, first, second):
        fonts = p.find(".//w:r/w:rPr/w:rFonts", NS)
        assert not [a for a in fonts.attrib if a.endswith("Theme")]  # a theme font would win


def test_each_font_declares_the_alternative_word_uses_without_it(package):
    table = etree.fromstring(package.read("word/fontTable.xml"))
    alternatives = {f.get(w("name")): f.find(w("altName")).get(w("val"))
                    for f in table.findall(w("font")) if f.find(w("altName")) is not None}
    assert alternatives["方正小标宋简体"] == "宋体"
    assert alternatives["仿宋_GB2312"] == "仿宋"
    assert alternatives["楷体_GB2312"] == "楷体"


def test_the_header_block_has_the_office_in_red_then_issue_date_and_the_red_line(body):
    paragraphs = list(body.iter(w("p")))
    texts = ["".join(p.itertext()) for p in paragraphs]
    office = paragraphs[0]
    assert texts[0] == "重庆市人力资源和社会保障局"
    assert office.find(".//w:color", NS).get(w("val")) == "FF0000"
    assert east_asian_font(office) == "方正小标宋简体"
    issue = paragraph_with(body, "渝人社就业简报〔2024〕9号")
    assert "2024年10月8日" in "".join(issue.itertext())
    line = issue.find("w:pPr/w:pBdr/w:bottom", NS)
    assert (line.get(w("val")), line.get(w("color"))) == ("single", "FF0000")
    assert texts.index("".join(issue.itertext())) - texts.index(texts[0]) == 3  # two lines between


def test_the_imprint_closes_the_last_page_between_black_lines(body):
    """版记: 印发机关 left and 印发日期 right, one character in, thick lines above and below,
    in a frame at the foot of the page, after everything else."""
    paragraphs = [p for p in body.iter(w("p")) if "".join(p.itertext()).strip()]
    imprint = paragraphs[-1]
    text = "".join(imprint.itertext())
    assert text == "重庆市人力资源和社会保障局办公室2024年10月8日印发"
    assert imprint.find(".//w:r/w:tab", NS) is not None  # the date after a tab to the right
    frame = imprint.find("w:pPr/w:framePr", NS)
    assert (frame.get(w("yAlign")), frame.get(w("vAnchor"))) == ("bottom", "margin")
    top, bottom = (imprint.find(f"w:pPr/w:pBdr/w:{side}", NS) for side in ("top", "bottom"))
    assert top.get(w("sz")) == bottom.get(w("sz")) == "8" and top.get(w("color")) == "000000"
    indent = imprint.find("w:pPr/w:ind", NS)
    assert indent.get(w("left")) == indent.get(w("right")) == str(14 * 20)  # one 4号 character
    assert imprint.find("w:pPr/w:tabs/w:tab", NS).get(w("val")) == "right"
    assert east_asian_font(imprint) == "仿宋_GB2312" and size_pt(imprint) == 14


def test_a_copies_to_line_stands_above_the_printer_with_a_thin_line_between():
    document = sample(rows=3)
    document.copies_to = "各区县人力社保局"
    document.printer = "重庆市就业服务管理局"
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(bd.docx_bytes(document))).read("word/document.xml"))
    paragraphs = [p for p in body.iter(w("p")) if "".join(p.itertext()).strip()]
    copies, printer = paragraphs[-2:]
    assert "".join(copies.itertext()) == "抄送：各区县人力社保局。"
    assert "".join(printer.itertext()) == "重庆市就业服务管理局2024年10月8日印发"
    assert copies.find("w:pPr/w:pBdr/w:top", NS).get(w("sz")) == "8"
    assert printer.find("w:pPr/w:pBdr/w:top", NS).get(w("sz")) == "6"
    assert printer.find("w:pPr/w:pBdr/w:bottom", NS).get(w("sz")) == "8"


def test_headings_are_numbered_by_level_and_outlined(body):
    texts = ["".join(p.itertext()) for p in body.iter(w("p"))]
    assert [t for t in texts if re.match(r"^[一二三]、|^（[一二三]）", t)] == [
        "一、务工规模走势", "二、务工结构", "（一）按就业渠道", "（二）按务工地点"]
    level = paragraph_with(body, "（二）按务工地点").find("w:pPr/w:outlineLvl", NS).get(w("val"))
    assert level == "1"


def test_tables_repeat_their_header_row_keep_rows_whole_and_right_align_numbers(body):
    table = body.find(".//w:tbl", NS)
    rows = table.findall(w("tr"))
    assert len(rows) == 31
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    assert all(r.find("w:trPr/w:cantSplit", NS) is not None for r in rows)
    first_row = [c.find("w:p/w:pPr/w:jc", NS).get(w("val")) for c in rows[1].findall(w("tc"))]
    assert first_row == ["left", "right", "right"]
    widths = [int(c.get(w("w"))) for c in table.find(w("tblGrid")).findall(w("gridCol"))]
    assert sum(widths) == twips(210) - twips(28) - twips(26)


def test_a_short_table_is_kept_on_one_page_and_a_long_one_may_break(package):
    def keeps(rows: int) -> list[bool]:
        xml = etree.fromstring(zipfile.ZipFile(io.BytesIO(bd.docx_bytes(sample(rows)))).read("word/document.xml"))
        return [tr.find("w:tc/w:p/w:pPr/w:keepNext", NS) is not None for tr in xml.iter(w("tr"))]

    assert keeps(5) == [True] * 5 + [False]
    assert keeps(30) == [True] + [False] * 30


def test_every_chart_is_an_image_in_the_package(package):
    media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert len(media) == 2
    xml = package.read("word/document.xml").decode()
    assert xml.count("<pic:pic") == 2
    assert "图1\u3000近24个月务工规模" in xml and "图2\u3000各区县" in xml


def test_page_numbers_are_a_page_field_on_the_outside_corners(package):
    settings = etree.fromstring(package.read("word/settings.xml"))
    assert settings.find(w("evenAndOddHeaders")) is not None
    sect = etree.fromstring(package.read("word/document.xml")).find(f"{w('body')}/{w('sectPr')}")
    rels = etree.fromstring(package.read("word/_rels/document.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    footers = {ref.get(w("type")): targets[ref.get(f"{{{R}}}id")] for ref in sect.findall(w("footerReference"))}
    sides = {}
    for kind, target in footers.items():
        footer = etree.fromstring(package.read(f"word/{target}"))
        p = footer.find(w("p"))
        assert "".join(t.text for t in p.iter(w("instrText"))).strip() == "PAGE"
        assert "".join(t.text for t in p.iter(w("t"))) == "— 1 —"
        assert east_asian_font(p) == "宋体" and size_pt(p) == 14
        sides[kind] = p.find("w:pPr/w:jc", NS).get(w("val"))
    assert sides == {"default": "right", "even": "left"}


def test_paragraph_properties_are_in_the_schema_order_word_requires(package):
    for part in ("word/document.xml", "word/styles.xml", "word/footer1.xml"):
        if part not in package.namelist():
            continue
        root = etree.fromstring(package.read(part))
        for props, order in (("pPr", briefing_ooxml.PPR_ORDER), ("rPr", briefing_ooxml.RPR_ORDER)):
            for element in root.iter(w(props)):
                tags = [f"w:{etree.QName(c).localname}" for c in element]
                positions = [order.index(t) for t in tags]
                assert positions == sorted(positions), (part, tags)


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (20, "二十"),
                                         (23, "二十三")])
def test_heading_numbers_are_chinese(n, text):
    assert bd.chinese_number(n) == text


def test_the_date_is_written_without_leading_zeros():
    assert bd.chinese_date(datetime.date(2024, 10, 8)) == "2024年10月8日"


@pytest.mark.parametrize("office", ["重庆市人力资源和社会保障局", "丰都县人力资源和社会保障局",
                                    "石柱土家族自治县人力资源和社会保障局", "重庆市人社局"])
def test_the_issuing_office_stays_on_one_line_at_a_size_between_yihao_and_xiaochu(office):
    size, scale = bd.office_size(office)
    assert 26 <= size <= 36
    width_twips = len(office) * size * 20 * scale / 100
    assert width_twips <= twips(210) - twips(28) - twips(26)
    if scale < 100:
        assert size == 26  # squeezed only once the size is down to 一号
