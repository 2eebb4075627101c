"""Excel downloads for list pages: Chinese headers, a bold frozen header row, sane widths.

Any app's export builds rows (already masked) and calls ``xlsx_response``; the service that
decides what goes into the file writes the audit row.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="304156")


def _safe(value):
    """Text that Excel would run as a formula is written with a leading apostrophe-like guard."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        return "'" + value
    return value


def workbook_bytes(*, title: str, headers: Sequence[str], rows: Iterable[Sequence],
                   widths: Sequence[int] | None = None) -> bytes:
    """A one-sheet xlsx written in streaming mode (constant memory for large lists)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "Sheet1")
    for i, header in enumerate(headers, start=1):
        width = widths[i - 1] if widths and i <= len(widths) else max(10, len(str(header)) * 2 + 4)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=str(header))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        header_cells.append(cell)
    ws.append(header_cells)
    for row in rows:
        ws.append([_safe(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(content: bytes, *, filename_stem: str) -> HttpResponse:
    """Serve ``content`` as ``<stem>_<YYYYmmdd_HHMM>.xlsx`` (UTF-8 file name for Chinese)."""
    stamp = timezone.localtime().strftime("%Y%m%d_%H%M")
    filename = f"{filename_stem}_{stamp}.xlsx"
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"export_{stamp}.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
