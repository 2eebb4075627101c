"""LibreOffice turns the briefing's .docx into PDF: a private profile each time, a timeout that
ends every process it started, and a Chinese reason when it cannot (no Django here)."""

from __future__ import annotations

import datetime
import io
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader

from bangfu.monitoring import briefing_doc as bd
from bangfu.monitoring import briefing_pdf


def fake_soffice(tmp_path, script: str) -> str:
    path = tmp_path / "soffice"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return str(path)


def test_without_libreoffice_the_reason_is_given_in_chinese(tmp_path):
    with pytest.raises(briefing_pdf.LibreOfficeMissing) as raised:
        briefing_pdf.docx_to_pdf(b"PK", binary=str(tmp_path / "no-such-soffice"))
    assert str(raised.value) == briefing_pdf.ERR_MISSING
    assert "libreoffice-writer-nogui" in str(raised.value)


def test_a_conversion_that_fails_reports_the_exit_code_and_what_it_said(tmp_path):
    program = fake_soffice(tmp_path, 'echo "source file could not be loaded"\nexit 3\n')
    with pytest.raises(briefing_pdf.ConversionFailed) as raised:
        briefing_pdf.docx_to_pdf(b"PK", binary=program)
    assert "退出码 3" in str(raised.value) and "could not be loaded" in str(raised.value)


def test_a_conversion_past_its_timeout_is_ended_with_the_processes_it_started(tmp_path):
    pid_file = tmp_path / "child.pid"
    # Like soffice, a wrapper that starts the real program: both must be ended.
    program = fake_soffice(tmp_path, f"sleep 300 &\necho $! > {pid_file}\nwait\n")
    with pytest.raises(briefing_pdf.ConversionTimeout) as raised:
        briefing_pdf.docx_to_pdf(b"PK", binary=program, timeout=1)
    assert "超过 1 秒" in str(raised.value)
    child = int(pid_file.read_text())
    for _ in range(100):  # the killed child may linger a moment as a zombie before it is reaped
        if not _alive(child):
            break
        time.sleep(0.05)
    assert not _alive(child)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1][0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.libreoffice
def test_a_page_of_body_text_has_22_lines_of_28_characters(tmp_path):
    text = "务工就业是脱贫群众增收的主要来源各区县持续抓好稳岗就业工作" * 40
    document = bd.BriefingDocument(
        office="重庆市人力资源和社会保障局", issue="渝人社就业简报〔2024〕9号", date=datetime.date(2024, 10, 8),
        title="重庆市2024年9月脱贫人口务工监测情况", sections=[bd.Section(paragraphs=[text])])
    reader = PdfReader(io.BytesIO(briefing_pdf.docx_to_pdf(bd.docx_bytes(document))))
    assert len(reader.pages) >= 3
    lines = [re.sub(r"\s", "", line) for line in reader.pages[1].extract_text().splitlines()]
    body = [line for line in lines if line and not line.startswith("—")]
    assert len(body) == 22
    assert [len(line) for line in body] == [28] * 22


@pytest.mark.libreoffice
def test_two_conversions_at_once_each_get_their_own_libreoffice():
    """Sharing a profile, the second soffice would hand its file to the first and return nothing."""
    documents = [bd.BriefingDocument(
        office=office, issue="渝人社就业简报〔2024〕9号", date=datetime.date(2024, 10, 8), title="简报",
        sections=[bd.Section(paragraphs=[office])]) for office in ("重庆市人力资源和社会保障局", "丰都县人力资源和社会保障局")]
    with ThreadPoolExecutor(max_workers=2) as pool:  # each conversion is its own soffice process
        pdfs = list(pool.map(lambda d: briefing_pdf.docx_to_pdf(bd.docx_bytes(d)), documents))
    texts = [re.sub(r"\s", "", PdfReader(io.BytesIO(pdf)).pages[0].extract_text()) for pdf in pdfs]
    assert "重庆市人力资源和社会保障局" in texts[0] and "丰都县人力资源和社会保障局" in texts[1]
