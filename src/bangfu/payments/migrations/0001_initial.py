"""Payee accounts, batches and payments move here from ``policies`` (its migrations 0006-0007 made
them generic, 0008 renamed the tables): state only."""

import bangfu.core.pii
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("policies", "0008_tables_move_to_their_apps"),
        ("employers", "0001_initial"),
        ("registry", "0002_reference_data"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PayeeAccount",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="创建时间")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="更新时间")),
                        ("bank_name", models.CharField(max_length=100, verbose_name="开户银行")),
                        ("account", bangfu.core.pii.EncryptedTextField(verbose_name="银行账号")),
                        ("account_hash", models.CharField(db_index=True, editable=False, max_length=64)),
                        ("person", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="payee_account", to="registry.person", verbose_name="人员")),
                        ("updated_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="更新人")),
                    ],
                    options={
                        "verbose_name": "收款账户",
                        "verbose_name_plural": "收款账户",
                    },
                ),
                migrations.CreateModel(
                    name="PaymentBatch",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("number", models.CharField(max_length=30, unique=True, verbose_name="批次号")),
                        ("claim_type", models.CharField(max_length=40, verbose_name="支付事项类型")),
                        ("scope", models.CharField(max_length=100, verbose_name="支付范围")),
                        ("purpose", models.CharField(max_length=200, verbose_name="用途")),
                        ("area_code", models.CharField(db_index=True, max_length=12, verbose_name="范围")),
                        ("status", models.CharField(choices=[("created", "已生成"), ("exported", "已导出银行文件"), ("settled", "银行已回盘"), ("reconciled", "已对账"), ("cancelled", "已作废")], default="created", max_length=20, verbose_name="状态")),
                        ("is_rebatch", models.BooleanField(default=False, verbose_name="失败重发")),
                        ("line_count", models.PositiveIntegerField(default=0, verbose_name="笔数")),
                        ("total_fen", models.BigIntegerField(default=0, verbose_name="总金额（分）")),
                        ("checksum", models.CharField(blank=True, default="", max_length=64, verbose_name="校验码")),
                        ("paid_count", models.PositiveIntegerField(default=0, verbose_name="成功笔数")),
                        ("paid_fen", models.BigIntegerField(default=0, verbose_name="成功金额（分）")),
                        ("failed_count", models.PositiveIntegerField(default=0, verbose_name="失败笔数")),
                        ("failed_fen", models.BigIntegerField(default=0, verbose_name="失败金额（分）")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                        ("exported_at", models.DateTimeField(blank=True, null=True, verbose_name="导出时间")),
                        ("settled_at", models.DateTimeField(blank=True, null=True, verbose_name="回盘时间")),
                        ("reconciled_at", models.DateTimeField(blank=True, null=True, verbose_name="对账时间")),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="创建人")),
                    ],
                    options={
                        "verbose_name": "支付批次",
                        "verbose_name_plural": "支付批次",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["claim_type", "scope"], name="payment_batch_scope_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="Payment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("line_no", models.PositiveIntegerField(verbose_name="序号")),
                        ("claim_type", models.CharField(max_length=40, verbose_name="支付事项类型")),
                        ("claim_id", models.BigIntegerField(verbose_name="支付事项编号")),
                        ("payee_name", models.CharField(max_length=200, verbose_name="收款人")),
                        ("bank_name", models.CharField(max_length=100, verbose_name="开户银行")),
                        ("account", bangfu.core.pii.EncryptedTextField(verbose_name="银行账号")),
                        ("account_hash", models.CharField(editable=False, max_length=64)),
                        ("amount_fen", models.BigIntegerField(verbose_name="金额（分）")),
                        ("status", models.CharField(choices=[("pending", "待银行处理"), ("paid", "成功"), ("failed", "失败"), ("reversed", "已退汇"), ("cancelled", "已作废")], default="pending", max_length=20, verbose_name="状态")),
                        ("failure_reason", models.CharField(blank=True, default="", max_length=200, verbose_name="失败原因")),
                        ("bank_reference", models.CharField(blank=True, default="", max_length=64, verbose_name="银行流水号")),
                        ("settled_at", models.DateTimeField(blank=True, null=True, verbose_name="回盘时间")),
                        ("reversed_at", models.DateTimeField(blank=True, null=True, verbose_name="退汇时间")),
                        ("reversal_reason", models.CharField(blank=True, default="", max_length=200, verbose_name="退汇原因")),
                        ("district_code", models.CharField(max_length=6, verbose_name="区县代码")),
                        ("township_code", models.CharField(blank=True, default="", max_length=9, verbose_name="乡镇代码")),
                        ("payee_employer", models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="employers.employer", verbose_name="收款单位")),
                        ("payee_person", models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="registry.person", verbose_name="收款人员")),
                        ("reversed_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="退汇登记人")),
                        ("batch", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="payments", to="payments.paymentbatch", verbose_name="支付批次")),
                    ],
                    options={
                        "verbose_name": "支付明细",
                        "verbose_name_plural": "支付明细",
                        "ordering": ["batch_id", "line_no"],
                        "indexes": [models.Index(fields=["claim_type", "claim_id"], name="payment_claim_idx")],
                        "constraints": [
                            models.UniqueConstraint(fields=("batch", "line_no"), name="payment_line_uniq"),
                            models.UniqueConstraint(fields=("batch", "claim_type", "claim_id"), name="payment_batch_claim_uniq"),
                            models.UniqueConstraint(condition=models.Q(("status__in", ("failed", "reversed", "cancelled")), _negated=True), fields=("claim_type", "claim_id"), name="payment_one_live_per_claim"),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
