"""``bangfu report brief --month YYYY-MM [--area CODE] [--docx FILE]``: the monthly briefing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.core.scoping import CITY_CODE
from bangfu.engine.kpi import parse_month
from bangfu.monitoring import briefing, selectors

ERR_MONTH = "月份格式应为 YYYY-MM，如 2024-09"


class Command(BaseCommand):
    help = "生成务工监测月度简报（中文段落，可另存为 Word 文件）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        brief = sub.add_parser("brief", help="月度简报")
        brief.add_argument("--month", required=True, help="月份 YYYY-MM")
        brief.add_argument("--area", default=CITY_CODE, help="区域代码（默认 50 全市）")
        brief.add_argument("--docx", type=Path, default=None, help="另存为 Word 文件")

    def handle(self, *args, action, month, area, docx, **options):
        try:
            parse_month(month)
        except ValueError as exc:
            raise CommandError(ERR_MONTH) from exc
        if area != CITY_CODE and selectors.area_name(area) == area and area not in (
                "main_metro", "northeast", "southeast"):
            raise CommandError(f"无法识别的区域代码：{area}")
        brief = briefing.briefing_for(month=month, code=area)
        self.stdout.write(briefing.briefing_text(brief))
        if docx is not None:
            docx.write_bytes(briefing.briefing_docx(brief))
            self.stderr.write(f"已保存：{docx}")
