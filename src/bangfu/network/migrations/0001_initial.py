"""Workshops move here from ``policies`` (its migration 0008 renamed the tables): state only."""

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
                    name="Workshop",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("code", models.CharField(max_length=40, unique=True, verbose_name="认定编号")),
                        ("name", models.CharField(max_length=200, verbose_name="车间名称")),
                        ("district_code", models.CharField(db_index=True, max_length=6, verbose_name="区县代码")),
                        ("township_code", models.CharField(db_index=True, max_length=9, verbose_name="乡镇代码")),
                        ("recognised_on", models.DateField(blank=True, null=True, verbose_name="认定日期")),
                        ("active", models.BooleanField(default=True, verbose_name="认定有效")),
                        ("employer", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="workshops", to="employers.employer", verbose_name="经营主体")),
                    ],
                    options={
                        "verbose_name": "帮扶车间",
                        "verbose_name_plural": "帮扶车间",
                        "ordering": ["district_code", "code"],
                    },
                ),
                migrations.CreateModel(
                    name="WorkshopMember",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("start_month", models.CharField(max_length=7, verbose_name="起始年月")),
                        ("end_month", models.CharField(blank=True, default="", max_length=7, verbose_name="结束年月")),
                        ("person", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="workshop_spells", to="registry.person", verbose_name="人员")),
                        ("workshop", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="members", to="network.workshop", verbose_name="帮扶车间")),
                    ],
                    options={
                        "verbose_name": "车间务工人员",
                        "verbose_name_plural": "车间务工人员",
                        "ordering": ["workshop_id", "start_month"],
                        "constraints": [models.UniqueConstraint(fields=("workshop", "person", "start_month"), name="workshop_member_uniq")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
