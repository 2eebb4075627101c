"""``bangfu report brief --month YYYY-MM [--area CODE] [--docx FILE] [--pdf FILE]``: the monthly
briefing, printed as text and saved as the official document (GB/T 9704-2012) in Word and PDF."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.core.months import MonthError, parse_month
from bangfu.core.reference import is_area
from bangfu.core.scoping import CITY_CODE
from bangfu.monitoring import briefing, briefing_pdf, briefing_sections

ERR_DATE = "日期格式应为 YYYY-MM-DD，如 2024-10-08"
ERR_AREA = "无法识别的区域代码：{area}"


class Command(BaseCommand):
    help = "生成务工监测月度简报（中文段落，可另存为公文格式的 Word 和 PDF 文件）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        brief = sub.add_parser("brief", help="月度简报")
        brief.add_argument("--month", required=True, help="月份 YYYY-MM")
        brief.add_argument("--area", default=CITY_CODE, help="区域代码（默认 50 重庆市）")
        brief.add_argument("--docx", type=Path, default=None, help="另存为 Word 文件")
        brief.add_argument("--pdf", type=Path, default=None, help="另存为 PDF 文件（LibreOffice 转换）")
        brief.add_argument("--date", default=None, help="印发日期 YYYY-MM-DD（默认今天）")
        brief.add_argument("--office", default=None, help="发文机关（默认按区域，如重庆市人力资源和社会保障局）")
        brief.add_argument("--issue", default=None, help="发文字号（默认按 BANGFU_BRIEFING_ISSUE 与月份）")

    def handle(self, *args, action, month, area, docx, pdf, date, office, issue, **options):
        try:
            parse_month(month)
        except MonthError as exc:
            raise CommandError(str(exc)) from exc
        try:
            issued = datetime.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(ERR_DATE) from exc
        if not is_area(area):
            raise CommandError(ERR_AREA.format(area=area))
        brief = briefing.briefing_for(month=month, code=area)
        self.stdout.write(briefing.briefing_text(brief))
        if docx is None and pdf is None:
            return
        content = briefing_sections.briefing_docx(brief, issued=issued, office=office, issue=issue)
        if docx is not None:
            docx.write_bytes(content)
            self.stderr.write(f"已保存：{docx}")
        if pdf is not None:
            try:
                pdf.write_bytes(briefing_pdf.docx_to_pdf(content))
            except briefing_pdf.PdfError as exc:
                raise CommandError(str(exc)) from exc
            self.stderr.write(f"已保存：{pdf}")
