"""Batches and lines lose their policy and entitlement columns (0006 filled the generic ones);
the database keeps each claim in at most one live payment; "cancelled" is a dead state."""

from django.db import migrations, models
from django.db.models import Q

DEAD = ("failed", "reversed", "cancelled")


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0006_payments_pay_any_claim"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="payment", name="payment_batch_entitlement_uniq"),
        migrations.RemoveConstraint(model_name="payment", name="payment_one_live_per_entitlement"),
        migrations.RemoveField(model_name="payment", name="entitlement"),
        migrations.RemoveField(model_name="paymentbatch", name="policy"),
        migrations.RemoveField(model_name="paymentbatch", name="period"),
        migrations.AlterField(
            model_name="payment",
            name="status",
            field=models.CharField(choices=[("pending", "待银行处理"), ("paid", "成功"), ("failed", "失败"), ("reversed", "已退汇"),
                                            ("cancelled", "已作废")], default="pending", max_length=20, verbose_name="状态"),
        ),
        migrations.AlterField(
            model_name="paymentbatch",
            name="status",
            field=models.CharField(choices=[("created", "已生成"), ("exported", "已导出银行文件"), ("settled", "银行已回盘"),
                                            ("reconciled", "已对账"), ("cancelled", "已作废")], default="created", max_length=20,
                                   verbose_name="状态"),
        ),
        migrations.AddIndex(
            model_name="paymentbatch",
            index=models.Index(fields=["claim_type", "scope"], name="payment_batch_scope_idx"),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(fields=["claim_type", "claim_id"], name="payment_claim_idx"),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(fields=("batch", "claim_type", "claim_id"), name="payment_batch_claim_uniq"),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(condition=~Q(status__in=DEAD), fields=("claim_type", "claim_id"),
                                               name="payment_one_live_per_claim"),
        ),
    ]
