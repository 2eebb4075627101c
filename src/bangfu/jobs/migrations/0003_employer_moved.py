"""Step 3 of moving the employer to ``employers``: postings and export batches point at
``employers.Employer`` and ``jobs.Employer`` leaves Django's state. The database is already
right (same table, same foreign keys), so nothing runs on it."""

import django.db.models.deletion
from django.db import migrations, models

from bangfu.core.moves import content_types_moved


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0002_employer_moves_to_employers"),
        ("employers", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="jobposting",
                    name="employer",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="postings",
                                            to="employers.employer", verbose_name="用工单位"),
                ),
                migrations.AlterField(
                    model_name="exportbatch",
                    name="employer",
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="export_batches",
                                            to="employers.employer", verbose_name="用工单位"),
                ),
                migrations.DeleteModel(name="Employer"),
            ],
            database_operations=[],
        ),
        content_types_moved([("jobs", "employer", "employers")]),
    ]
