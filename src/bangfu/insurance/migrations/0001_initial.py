"""Contributions move here from ``policies`` (its migration 0008 renamed the table): state only."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("policies", "0008_tables_move_to_their_apps"),
        ("employers", "0001_initial"),
        ("registry", "0002_reference_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SocialInsuranceContribution",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("month", models.CharField(max_length=7, verbose_name="费款所属期")),
                        ("insurance_type", models.CharField(choices=[("pension", "养老保险"), ("medical", "医疗保险"), ("unemployment", "失业保险"), ("injury", "工伤保险")], max_length=20, verbose_name="险种")),
                        ("employer_fen", models.BigIntegerField(default=0, verbose_name="单位缴费（分）")),
                        ("worker_fen", models.BigIntegerField(default=0, verbose_name="个人缴费（分）")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("employer", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="contributions", to="employers.employer", verbose_name="缴费单位")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="contributions", to="registry.person", verbose_name="人员")),
                    ],
                    options={
                        "verbose_name": "社保缴费记录",
                        "verbose_name_plural": "社保缴费记录",
                        "ordering": ["-month", "person_id"],
                        "indexes": [models.Index(fields=["employer", "person", "month"], name="contribution_emp_person_idx"), models.Index(fields=["month", "person"], name="contribution_month_person_idx")],
                        "constraints": [models.UniqueConstraint(fields=("person", "employer", "month", "insurance_type"), name="contribution_uniq")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
