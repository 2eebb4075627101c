"""``bangfu outbox send``: hand pending text messages to the configured sender (cron every minute)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from bangfu.outbox.services import outbox_send_pending


class Command(BaseCommand):
    help = "发送待发短信（免申即享到账通知等）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["send"])
        parser.add_argument("--limit", type=int, default=500)

    def handle(self, *args, action, limit, **options):
        counts = outbox_send_pending(limit=limit)
        self.stdout.write(f"已发送 {counts['sent']} 条，失败 {counts['failed']} 条，待重试 {counts['retry']} 条")
