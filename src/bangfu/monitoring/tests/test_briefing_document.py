"""The monthly briefing as the official document the bureau sends: from the KPI tables to a
.docx and, through LibreOffice, a PDF (command line and briefing page)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from pypdf import PdfReader

from bangfu.monitoring import briefing, briefing_pdf, briefing_sections
from bangfu.monitoring.tests.factories import kpi_city_world, kpi_township_world
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP

pytestmark = pytest.mark.django_db

MONTH = "2024-09"


def squeeze(text: str) -> str:
    """PDF text without the spaces a PDF reader puts between Chinese and Latin characters."""
    return re.sub(r"\s+", "", text)


def pdf_images(pdf: PdfReader) -> dict:
    """The distinct images the PDF draws (a page lists those of its resources): object → pixel size."""
    drawn = {}
    for page in pdf.pages:
        for image in page.images:
            key = image.indirect_reference.idnum if image.indirect_reference else image.name
            drawn[key] = image.image.size
    return drawn


@pytest.fixture
def city_client(client, make_user):
    client.force_login(make_user())
    return client


@pytest.mark.libreoffice
def test_the_report_command_writes_an_a4_briefing_with_charts_page_numbers_and_repeated_headers(tmp_path):
    world = kpi_city_world(MONTH)
    docx_file, pdf_file = tmp_path / "brief.docx", tmp_path / "brief.pdf"
    call_command("report", "brief", "--month", MONTH, "--date", "2024-10-08",
                 "--docx", str(docx_file), "--pdf", str(pdf_file))

    package = zipfile.ZipFile(docx_file)
    charts = [n for n in package.namelist() if n.startswith("word/media/") and n.endswith(".png")]
    assert len(charts) == 4  # trend, districts, channel, place class
    document = Document(str(docx_file))
    title = next(p.text for p in document.paragraphs if "脱贫人口务工监测情况" in p.text)
    assert title == "重庆市2024年9月脱贫人口务工监测情况"
    districts = next(t for t in document.tables if len(t.rows) == len(world["districts"]) + 1)
    assert districts.rows[0]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None

    pdf = PdfReader(str(pdf_file))
    assert len(pdf.pages) >= 4
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf.pages} == {(595, 842)}
    assert len(pdf_images(pdf)) == 4  # the four charts, drawn
    texts = [page.extract_text() for page in pdf.pages]
    assert "— 1 —" in texts[0] and "— 2 —" in texts[1]
    first = squeeze(texts[0])
    assert "重庆市人力资源和社会保障局" in first and "渝人社就业简报〔2024〕9号" in first
    assert "2024年10月8日" in first and "重庆市2024年9月脱贫人口务工监测情况" in first
    # The districts' table runs over a page break: its header row is printed again on the next page.
    last_district = "彭水苗族土家族自治县"
    page = next(squeeze(t) for t in texts if last_district in squeeze(t))
    assert "年度目标" in page and "表2" not in page


@pytest.mark.libreoffice
def test_the_pdf_images_are_the_charts_of_the_document(tmp_path):
    kpi_city_world(MONTH)
    brief = briefing.briefing_for(month=MONTH)
    drawn = pdf_images(PdfReader(io.BytesIO(briefing_sections.briefing_pdf_bytes(brief))))
    assert len(drawn) == 4
    assert all(width >= 1000 for width, _height in drawn.values())  # 150 mm at 200 dpi, not resampled


def test_the_document_is_built_of_sections_the_charts_and_tables_of_the_dashboard():
    kpi_city_world(MONTH)
    document = briefing_sections.briefing_document(briefing.briefing_for(month=MONTH))
    assert [s.title for s in document.sections] == ["", "主要指标", "务工规模走势", "分区县情况", "务工结构"]
    assert [s.title for s in document.sections[-1].subsections] == [
        "按就业渠道", "按务工地点", "按一区两群", "按劳务协作地区"]
    assert document.sections[0].paragraphs == briefing.paragraphs(briefing.briefing_for(month=MONTH))
    areas = document.sections[3].tables[0]
    assert len(areas.rows) == 38 and areas.rows[0][0] == "万州区"
    assert document.sections[3].charts[0].png[:4] == b"\x89PNG"


def test_the_header_block_names_the_city_bureau_and_numbers_the_issue_by_month():
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    document = briefing_sections.briefing_document(briefing.briefing_for(month=MONTH))
    assert document.office == "重庆市人力资源和社会保障局"
    assert document.issue == "渝人社就业简报〔2024〕9号"
    assert document.title.startswith("重庆市") and "全市" not in document.title


def test_a_district_briefing_is_issued_by_the_district_bureau():
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    district = briefing_sections.briefing_document(briefing.briefing_for(month=MONTH, code=FENGDU))
    assert (district.office, district.issue) == ("丰都县人力资源和社会保障局", "丰人社就业简报〔2024〕9号")
    assert district.title == "丰都县2024年9月脱贫人口务工监测情况"
    township = briefing_sections.briefing_document(briefing.briefing_for(month=MONTH, code=FENGDU_TOWNSHIP))
    assert township.office == "丰都县人力资源和社会保障局"
    assert township.title == "丰都县虎威镇2024年9月\n脱贫人口务工监测情况"  # too long for one line


def test_the_office_and_the_issue_number_follow_the_settings(settings):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    settings.BANGFU = settings.BANGFU | {"BRIEFING_OFFICE": "{area}就业和人才服务局",
                                         "BRIEFING_ISSUE": "{abbr}就业简报第{number}期（{year}年）"}
    document = briefing_sections.briefing_document(briefing.briefing_for(month=MONTH))
    assert (document.office, document.issue) == ("重庆市就业和人才服务局", "渝就业简报第9期（2024年）")


def test_a_month_without_data_gives_only_the_notice():
    document = briefing_sections.briefing_document(briefing.briefing_for(month="2020-01"))
    assert [s.title for s in document.sections] == [""]
    assert document.sections[0].paragraphs == ["2020年1月全市暂无务工监测数据。"]


def test_the_briefing_downloads_as_an_official_word_document(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    response = city_client.get(f"/monitoring/briefing/docx/?month={MONTH}")
    assert response.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert texts[0] == "重庆市人力资源和社会保障局"
    assert any(t.startswith("重庆市2024年9月") for t in texts)
    assert any("完成年度目标的109%" in t for t in texts)


def test_an_english_user_gets_the_same_chinese_document_and_is_told_so(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    city_client.cookies["django_language"] = "en"
    page = city_client.get(f"/monitoring/briefing/?month={MONTH}").content.decode()
    assert "same Chinese document" in page
    assert "Download the PDF briefing" in page
    response = city_client.get(f"/monitoring/briefing/docx/?month={MONTH}")
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert texts[0] == "重庆市人力资源和社会保障局"
    assert any("完成年度目标的109%" in t for t in texts)


@pytest.mark.libreoffice
def test_the_briefing_downloads_as_pdf(city_client):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    response = city_client.get(f"/monitoring/briefing/pdf/?month={MONTH}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    assert "重庆市人力资源和社会保障局" in squeeze(PdfReader(io.BytesIO(response.content)).pages[0].extract_text())


def test_without_libreoffice_the_pdf_link_returns_to_the_page_with_the_reason(city_client, monkeypatch):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    monkeypatch.setattr(briefing_pdf, "SOFFICE_NAMES", ("bangfu-no-such-soffice",))
    response = city_client.get(f"/monitoring/briefing/pdf/?month={MONTH}", follow=True)
    assert response.redirect_chain[-1][0] == f"/monitoring/briefing/?month={MONTH}&area=50"
    assert "服务器未安装 LibreOffice" in response.content.decode()


def test_the_report_command_without_libreoffice_stops_with_the_reason(tmp_path, monkeypatch):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    monkeypatch.setattr(briefing_pdf, "SOFFICE_NAMES", ("bangfu-no-such-soffice",))
    with pytest.raises(CommandError, match="未找到 LibreOffice"):
        call_command("report", "brief", "--month", MONTH, "--pdf", str(tmp_path / "b.pdf"))
    assert not (tmp_path / "b.pdf").exists()


def test_the_report_command_refuses_a_malformed_date(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("report", "brief", "--month", MONTH, "--date", "8/10/2024", "--docx", str(tmp_path / "b.docx"))


def test_a_long_title_breaks_after_the_month_not_inside_a_word():
    kpi_city_world(MONTH)
    shizhu = briefing_sections.briefing_document(briefing.briefing_for(month=MONTH, code="500240"))
    assert shizhu.title == "石柱土家族自治县2024年9月\n脱贫人口务工监测情况"
    city = briefing_sections.briefing_document(briefing.briefing_for(month=MONTH))
    assert "\n" not in city.title
