"""Back up and restore the database together with the PII key that its encrypted columns need.

A backup is a directory ``bangfu-YYYYMMDD-HHMMSS/`` holding the database (SQLite: a copy made
with SQLite's online backup API, consistent while the site runs; PostgreSQL: ``pg_dump
--format=custom``), the key file ``pii_key`` (unless left out) and ``manifest.json`` with the
file's SHA-256 and a fingerprint of the key, so a restore can tell a wrong key before it writes.
Without the key the ID numbers, phones and bank accounts in a backup cannot be read by anyone:
keep the key file apart from the database copies (README: 备份与恢复 / Backup and restore).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from bangfu.core.actors import SYSTEM, Actor
from bangfu.core.audit import audit_record

MANIFEST, KEY_FILE = "manifest.json", "pii_key"
SQLITE_FILE, PG_FILE = "bangfu.sqlite3", "bangfu.dump"
ERR_NO_MANIFEST = "不是 bangfu 备份目录（缺少 manifest.json）：%(path)s"
ERR_CHECKSUM = "备份文件校验失败（SHA-256 不一致），文件已损坏或被改动：%(file)s"
ERR_ENGINE = "备份来自 %(backup)s 数据库，当前配置的是 %(current)s，不能直接恢复"
ERR_KEY_MISMATCH = ("当前的个人信息密钥与备份时不一致，恢复后加密字段将无法读取。请先把备份的密钥"
                    "（pii_key 文件）设为 BANGFU_PII_KEY 或放入数据目录，再恢复")
ERR_TOOL = "%(tool)s 执行失败：%(error)s"


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict


def key_fingerprint(key: str) -> str:
    """Tells two keys apart without revealing either (not the key's HMAC or encryption subkey)."""
    return hmac.new(key.encode(), b"bangfu-backup-fingerprint", hashlib.sha256).hexdigest()[:16]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _engine(alias: str = "default") -> str:
    return "postgresql" if connections[alias].vendor == "postgresql" else "sqlite"


def _pg_command(tool: str, settings_dict: dict) -> tuple[list[str], dict]:
    argv = [tool, "--no-owner", "--no-privileges"]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            argv += [flag, str(settings_dict[key])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]  # never on the command line (ps shows it)
    return argv, env


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(ERR_TOOL % {"tool": argv[0], "error": done.stderr.strip()[-500:]})


def database_backup(*, out_dir: Path, actor: Actor = SYSTEM, include_key: bool = True) -> Backup:
    """Write a consistent copy of the database (and the key) into a new directory in ``out_dir``."""
    connection = connections["default"]
    engine = _engine()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = Path(out_dir) / f"bangfu-{stamp}"
    target.mkdir(parents=True, mode=0o700)
    with transaction.atomic():  # recorded first, so the copy holds the record of itself
        audit_record(actor=actor, action="system.backup",
                     detail={"engine": engine, "directory": target.name, "with_key": include_key})
    if engine == "sqlite":
        data = target / SQLITE_FILE
        connection.close()
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(data)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        finally:
            copy.close()
            source.close()
    else:
        data = target / PG_FILE
        argv, env = _pg_command("pg_dump", connection.settings_dict)
        _run([*argv, "--format=custom", "--file", str(data), connection.settings_dict["NAME"]], env)
    data.chmod(0o600)
    manifest = {
        "created_at": timezone.now().isoformat(timespec="seconds"), "engine": engine,
        "file": data.name, "sha256": _sha256(data), "bytes": data.stat().st_size,
        "pii_key_fingerprint": key_fingerprint(settings.PII_KEY), "key_included": include_key,
    }
    if include_key:
        key = target / KEY_FILE
        key.write_text(settings.PII_KEY + "\n")
        key.chmod(0o600)
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return Backup(path=target, manifest=manifest)


def backup_read(path: Path) -> Backup:
    """The manifest of a backup directory, with its data file checked against the checksum."""
    path = Path(path)
    if not (path / MANIFEST).is_file():
        raise BackupError(ERR_NO_MANIFEST % {"path": path})
    manifest = json.loads((path / MANIFEST).read_text())
    if _sha256(path / manifest["file"]) != manifest["sha256"]:
        raise BackupError(ERR_CHECKSUM % {"file": manifest["file"]})
    return Backup(path=path, manifest=manifest)


def database_restore(*, backup: Backup, actor: Actor = SYSTEM) -> None:
    """Replace the database with the backup's copy; refuses a wrong key or another engine.

    Stop ``bangfu serve`` first: pages served during the restore may read half of each.
    """
    manifest = backup.manifest
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(ERR_ENGINE % {"backup": manifest["engine"], "current": engine})
    if manifest["pii_key_fingerprint"] != key_fingerprint(settings.PII_KEY):
        raise BackupError(ERR_KEY_MISMATCH)
    connection = connections["default"]
    settings_dict = connection.settings_dict
    connection.close()
    data = backup.path / manifest["file"]
    if engine == "sqlite":
        source = sqlite3.connect(f"file:{data}?mode=ro", uri=True)
        live = sqlite3.connect(settings_dict["NAME"], timeout=30)
        try:
            source.backup(live)
        finally:
            live.close()
            source.close()
    else:
        argv, env = _pg_command("pg_restore", settings_dict)
        _run([*argv, "--clean", "--if-exists", "--single-transaction", "--dbname", settings_dict["NAME"],
              str(data)], env)
    with transaction.atomic():
        audit_record(actor=actor, action="system.restore",
                     detail={"directory": backup.path.name, "created_at": manifest["created_at"]})
