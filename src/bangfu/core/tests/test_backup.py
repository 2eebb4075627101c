"""``bangfu backup`` / ``bangfu restore``: the round trip, the key and the checksum.

Transactional tests: the backup reads the database file (or pg_dump reads the server) from
outside the test's connection, so the rows must be committed. Run on SQLite, and on PostgreSQL
with ``--pg-suite`` (pg_dump / pg_restore).
"""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from bangfu.core.actors import SYSTEM
from bangfu.core.backup import (ERR_CHECKSUM, ERR_KEY_MISMATCH, KEY_FILE, MANIFEST, BackupError,
                                backup_read, database_backup, database_restore)
from bangfu.core.models import AuditLog
from bangfu.registry.models import Person
from bangfu.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_restore_brings_back_the_rows_and_their_encrypted_columns(tmp_path, settings):
    person = PersonFactory(name="张备份")
    id_number, phone = person.id_number, person.phone
    backup = database_backup(out_dir=tmp_path, actor=SYSTEM)

    Person.objects.filter(pk=person.pk).update(name="改过")
    PersonFactory(name="备份后新增")
    database_restore(backup=backup_read(backup.path), actor=SYSTEM)

    restored = Person.objects.get(pk=person.pk)
    assert (restored.name, restored.id_number, restored.phone) == ("张备份", id_number, phone)
    assert not Person.objects.filter(name="备份后新增").exists()
    actions = list(AuditLog.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["system.backup", "system.restore"]


def test_the_backup_holds_the_key_readable_by_its_owner_only_and_a_checksum(tmp_path, settings):
    backup = database_backup(out_dir=tmp_path)
    manifest = json.loads((backup.path / MANIFEST).read_text())
    key = backup.path / KEY_FILE
    assert key.read_text().strip() == settings.PII_KEY
    for path in (key, backup.path / manifest["file"]):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.PII_KEY not in (backup.path / MANIFEST).read_text()
    assert not (database_backup(out_dir=tmp_path / "nokey", include_key=False).path / KEY_FILE).exists()


def test_a_restore_with_another_pii_key_is_refused_before_anything_is_written(tmp_path):
    person = PersonFactory(name="原名")
    backup = database_backup(out_dir=tmp_path)
    Person.objects.filter(pk=person.pk).update(name="新名")
    with override_settings(PII_KEY="another-key"), pytest.raises(BackupError) as refused:
        database_restore(backup=backup_read(backup.path))
    assert str(refused.value) == ERR_KEY_MISMATCH
    assert Person.objects.get(pk=person.pk).name == "新名"


def test_a_damaged_backup_file_is_refused(tmp_path):
    backup = database_backup(out_dir=tmp_path)
    data = backup.path / backup.manifest["file"]
    content = bytearray(data.read_bytes())
    content[len(content) // 2] ^= 0xFF
    data.write_bytes(bytes(content))
    with pytest.raises(BackupError) as refused:
        backup_read(backup.path)
    assert str(refused.value) == ERR_CHECKSUM % {"file": data.name}


def test_the_restore_command_only_checks_without_yes(tmp_path, capsys):
    person = PersonFactory(name="命令行")
    call_command("backup", "--out", str(tmp_path))
    directory = capsys.readouterr().out.strip().splitlines()[-1]
    Person.objects.filter(pk=person.pk).update(name="改名")

    call_command("restore", directory)
    assert Person.objects.get(pk=person.pk).name == "改名"
    call_command("restore", directory, "--yes")
    assert Person.objects.get(pk=person.pk).name == "命令行"
    with pytest.raises(CommandError):
        call_command("restore", str(tmp_path))  # not a backup directory
