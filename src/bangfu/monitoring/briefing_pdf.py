"""The briefing as PDF: LibreOffice headless converts the very .docx that can be downloaded.

No Django here. Each conversion runs its own LibreOffice with a private profile
(``-env:UserInstallation``) in a temporary directory, so concurrent conversions never share
the profile's lock, and in its own process group, so a conversion that overruns its timeout is
ended with every process it started. The fonts the document names (方正小标宋简体, 仿宋_GB2312 …)
are mapped by ``briefing_fonts.conf`` to Debian's free CJK fonts for this conversion only.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

SOFFICE_NAMES = ("soffice", "libreoffice")
TIMEOUT_SECONDS = 120
FONT_RULES = Path(__file__).with_name("briefing_fonts.conf")
SYSTEM_FONTCONFIG = "/etc/fonts/fonts.conf"  # fontconfig's own default file on Debian
# Charts stay as drawn: lossless and at their resolution (the default re-encodes them as JPEG).
EXPORT_OPTIONS = json.dumps({
    "UseLosslessCompression": {"type": "boolean", "value": "true"},
    "ReduceImageResolution": {"type": "boolean", "value": "false"},
}, separators=(",", ":"))

ERR_MISSING = ("未找到 LibreOffice，无法生成 PDF 简报。请安装 Debian 软件包 libreoffice-writer-nogui"
               "（scripts/system-deps.sh 会安装），或先下载 Word 版简报。")
ERR_TIMEOUT = "LibreOffice 转换 PDF 超过 {seconds} 秒仍未完成，已终止。请稍后重试，或先下载 Word 版简报。"
ERR_FAILED = "LibreOffice 未能生成 PDF（退出码 {code}）：{detail}"


class PdfError(RuntimeError):
    """The PDF could not be made; the message says why, in Chinese."""


class LibreOfficeMissing(PdfError):
    pass


class ConversionTimeout(PdfError):
    pass


class ConversionFailed(PdfError):
    pass


def soffice_path(binary: str | None = None) -> str | None:
    """The LibreOffice program: ``binary`` if given (a name or a path), else soffice on PATH."""
    for name in (binary,) if binary else SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def docx_to_pdf(docx: bytes, *, binary: str | None = None, timeout: float = TIMEOUT_SECONDS) -> bytes:
    program = soffice_path(binary)
    if program is None:
        raise LibreOfficeMissing(ERR_MISSING)
    with tempfile.TemporaryDirectory(prefix="bangfu-briefing-") as tmp:
        work = Path(tmp)
        source = work / "briefing.docx"
        source.write_bytes(docx)
        out = work / "out"
        command = [
            program, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", f"pdf:writer_pdf_Export:{EXPORT_OPTIONS}", "--outdir", str(out), str(source),
        ]
        env = dict(os.environ, HOME=str(work), FONTCONFIG_FILE=str(_fontconfig(work)))
        process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _end(process)
            raise ConversionTimeout(ERR_TIMEOUT.format(seconds=f"{timeout:g}")) from None
        finally:
            if process.poll() is None:
                _end(process)
        pdf = out / "briefing.pdf"
        if process.returncode != 0 or not pdf.is_file():
            detail = output.decode("utf-8", "replace").strip()[-400:] or "无输出"
            raise ConversionFailed(ERR_FAILED.format(code=process.returncode, detail=detail))
        return pdf.read_bytes()


def _end(process: subprocess.Popen) -> None:
    """End the conversion and what it started (soffice is a wrapper that starts soffice.bin)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _fontconfig(work: Path) -> Path:
    """A fontconfig file for this conversion: the briefing's font rules, then the system's."""
    conf = work / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{FONT_RULES}</include>\n'
        f'  <include ignore_missing="yes">{SYSTEM_FONTCONFIG}</include>\n'
        "</fontconfig>\n", encoding="utf-8")
    return conf
