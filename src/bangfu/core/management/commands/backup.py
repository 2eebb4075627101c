"""``bangfu backup --out DIR [--no-key]``: a consistent copy of the database and the PII key."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.core.actors import SYSTEM
from bangfu.core.backup import BackupError, database_backup


class Command(BaseCommand):
    help = ("备份数据库（SQLite 在线备份 / PostgreSQL pg_dump）和个人信息密钥到 DIR 下的新目录；"
            "网站运行时也可备份")

    def add_arguments(self, parser):
        parser.add_argument("--out", type=Path, required=True, help="备份存放目录")
        parser.add_argument("--no-key", action="store_true",
                            help="不复制密钥文件 pii_key（密钥另行保管时使用）")

    def handle(self, *args, out, no_key, **options):
        try:
            backup = database_backup(out_dir=out, actor=SYSTEM, include_key=not no_key)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.manifest
        self.stdout.write(f"{backup.path}")
        self.stderr.write(f"已备份 {manifest['engine']} 数据库（{manifest['bytes']:,} 字节，SHA-256 "
                          f"{manifest['sha256'][:12]}…）" + ("，含密钥 pii_key：请与数据分开保管"
                                                            if not no_key else "，未含密钥"))
