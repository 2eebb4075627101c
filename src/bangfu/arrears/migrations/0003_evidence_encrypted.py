"""Evidence files are encrypted at rest: the field's storage, and the files already on disk.

The data step rewrites every stored attachment as a Fernet token; a file already encrypted
is left alone, so the step may run again (a restored backup), and rolling back decrypts.
"""

from pathlib import Path

from django.db import migrations, models

import bangfu.arrears.attachments
import bangfu.arrears.models


def _attachment_paths(apps, schema_editor):
    from django.conf import settings

    db = schema_editor.connection.alias if schema_editor is not None else "default"
    root = Path(settings.MEDIA_ROOT)
    CaseAttachment = apps.get_model("arrears", "CaseAttachment")
    for name in CaseAttachment.objects.using(db).exclude(file="").values_list("file", flat=True).iterator():
        path = root / name
        if path.is_file():
            yield path


def encrypt_existing(apps, schema_editor):
    from bangfu.core.filecrypt import encrypt_in_place

    for path in _attachment_paths(apps, schema_editor):
        encrypt_in_place(path)


def decrypt_existing(apps, schema_editor):
    from bangfu.core.filecrypt import decrypt_in_place

    for path in _attachment_paths(apps, schema_editor):
        decrypt_in_place(path)


class Migration(migrations.Migration):

    dependencies = [
        ('arrears', '0002_builtin_offices'),
    ]

    operations = [
        migrations.AlterField(
            model_name='caseattachment',
            name='file',
            field=models.FileField(max_length=200, storage=bangfu.arrears.attachments.evidence_storage, upload_to=bangfu.arrears.models._attachment_path, verbose_name='文件'),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing, elidable=False),
    ]
