"""The employer moves to the ``employers`` app (one employer per code for every programme).

Step 1 of 3 (then ``employers.0001_initial``, then ``jobs.0003_employer_moved``): the fields the
enterprise subsidies need are added, and the table is renamed to the new app's name. Nothing
is copied: the rows stay where they are, and the foreign keys of postings and export batches
keep pointing at them (PostgreSQL by table identity, SQLite rewrites the references on rename).
"""

import bangfu.core.pii
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="employer",
            name="township_code",
            field=models.CharField(blank=True, db_index=True, default="", max_length=9, verbose_name="所在乡镇"),
        ),
        migrations.AddField(
            model_name="employer",
            name="bank_name",
            field=models.CharField(blank=True, default="", max_length=100, verbose_name="开户银行"),
        ),
        migrations.AddField(
            model_name="employer",
            name="bank_account",
            field=bangfu.core.pii.EncryptedTextField(blank=True, default="", verbose_name="银行账号"),
        ),
        migrations.AddField(
            model_name="employer",
            name="bank_account_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AlterModelTable(name="employer", table="employers_employer"),
    ]
