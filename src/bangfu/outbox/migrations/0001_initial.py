"""The outbox moves here from ``policies`` (its migration 0008 renamed the table): state only."""

import bangfu.core.pii
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("policies", "0008_tables_move_to_their_apps"),
        ("registry", "0002_reference_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxMessage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(db_index=True, max_length=40, verbose_name="类型")),
                        ("phone", bangfu.core.pii.EncryptedTextField(blank=True, default="", verbose_name="手机号码")),
                        ("phone_hash", models.CharField(blank=True, default="", editable=False, max_length=64)),
                        ("area_code", models.CharField(blank=True, db_index=True, default="", max_length=12, verbose_name="所属区域")),
                        ("body", models.TextField(verbose_name="内容")),
                        ("dedup_key", models.CharField(max_length=120, unique=True)),
                        ("status", models.CharField(choices=[("pending", "待发送"), ("sent", "已发送"), ("failed", "发送失败")], db_index=True, default="pending", max_length=20, verbose_name="状态")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="发送次数")),
                        ("last_error", models.CharField(blank=True, default="", max_length=300, verbose_name="错误")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="发送时间")),
                        ("person", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="registry.person", verbose_name="人员")),
                    ],
                    options={
                        "verbose_name": "待发消息",
                        "verbose_name_plural": "待发消息",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
