"""Flag overdue arrears cases for city-level supervision (run daily from cron)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangfu.arrears.models import ArrearsCase
from bangfu.arrears.services import case_escalate_overdue
from bangfu.core.actors import SYSTEM


class Command(BaseCommand):
    help = "超期欠薪案件升级市级督办（每日运行）。默认只报告，--commit 才写入。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="as of this day (YYYY-MM-DD), default today")
        parser.add_argument("--commit", action="store_true", help="write the escalations")

    def handle(self, *args, today=None, commit=False, **options):
        from django.utils import timezone

        try:
            day = dt.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--today must be YYYY-MM-DD") from exc
        due = ArrearsCase.objects.overdue(day).filter(escalated_at__isnull=True).count()
        if not commit:
            self.stdout.write(f"{due} overdue case(s) would be escalated (dry run; add --commit)")
            return
        count = case_escalate_overdue(actor=SYSTEM, today=day)
        self.stdout.write(self.style.SUCCESS(f"{count} overdue case(s) escalated to the city"))
