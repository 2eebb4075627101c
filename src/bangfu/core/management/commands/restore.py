"""``bangfu restore DIR [--yes]``: put a backup made by ``bangfu backup`` back in place."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.core.actors import SYSTEM
from bangfu.core.backup import BackupError, backup_read, database_restore


class Command(BaseCommand):
    help = ("从 bangfu backup 生成的目录恢复数据库（会覆盖当前数据库，请先停止 bangfu serve）；"
            "不加 --yes 只检查备份")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="备份目录（含 manifest.json）")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前数据库")

    def handle(self, *args, directory, yes, **options):
        try:
            backup = backup_read(directory)
            manifest = backup.manifest
            self.stdout.write(f"备份：{manifest['engine']}，{manifest['created_at']}，"
                              f"{manifest['bytes']:,} 字节，校验通过")
            if not yes:
                self.stdout.write("未加 --yes：没有改动数据库 / dry run, nothing changed")
                return
            database_restore(backup=backup, actor=SYSTEM)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("已恢复 / restored"))
