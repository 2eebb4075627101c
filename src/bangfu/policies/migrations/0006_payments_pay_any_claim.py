"""Payments stop knowing policies: a batch pays claims of one type and scope, a line one claim.

Before they move to the ``payments`` app (0008, then ``payments.0001_initial``), the batch and
payment tables take their generic shape, in place: every existing batch becomes a batch of
``entitlement`` claims with the scope ``<policy code>/<period>`` and the purpose its bank file
printed; every line keeps its entitlement as ``claim_id`` and names its payee (the person, or
the employer of an enterprise or workshop entitlement). The database still keeps each claim in
at most one live payment, now on (claim_type, claim_id); "cancelled" joins the dead states
(0007, after the rows are filled here: PostgreSQL does not alter a table whose rows changed in
the same transaction).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery

CLAIM_TYPE = "entitlement"


def batches_and_lines_become_generic(apps, schema_editor):
    db = schema_editor.connection.alias
    PaymentBatch = apps.get_model("policies", "PaymentBatch")
    Payment = apps.get_model("policies", "Payment")
    Entitlement = apps.get_model("policies", "Entitlement")
    Workshop = apps.get_model("policies", "Workshop")
    for batch in PaymentBatch.objects.using(db).select_related("policy__current_version").iterator():
        policy = batch.policy
        name = policy.current_version.name if policy.current_version_id else policy.code
        PaymentBatch.objects.using(db).filter(pk=batch.pk).update(
            claim_type=CLAIM_TYPE, scope=f"{policy.code}/{batch.period}", purpose=f"{name}（{batch.period}年）"[:200])
    entitlement = Entitlement.objects.filter(pk=OuterRef("entitlement_id"))
    Payment.objects.using(db).update(
        claim_type=CLAIM_TYPE, claim_id=F("entitlement_id"),
        payee_person_id=Subquery(entitlement.values("person_id")[:1]),
        payee_employer_id=Subquery(entitlement.values("employer_id")[:1]),
    )
    operator = Workshop.objects.filter(
        pk=Subquery(Entitlement.objects.filter(pk=OuterRef(OuterRef("entitlement_id"))).values("workshop_id")[:1]))
    Payment.objects.using(db).filter(payee_person__isnull=True, payee_employer__isnull=True).update(
        payee_employer_id=Subquery(operator.values("employer_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0005_enterprise_references_dropped"),
        ("registry", "0002_reference_data"),
        ("employers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="paymentbatch",
            name="claim_type",
            field=models.CharField(default=CLAIM_TYPE, max_length=40, verbose_name="支付事项类型"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paymentbatch",
            name="scope",
            field=models.CharField(default="", max_length=100, verbose_name="支付范围"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="paymentbatch",
            name="purpose",
            field=models.CharField(default="", max_length=200, verbose_name="用途"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="payment",
            name="claim_type",
            field=models.CharField(default=CLAIM_TYPE, max_length=40, verbose_name="支付事项类型"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="payment",
            name="claim_id",
            field=models.BigIntegerField(default=0, verbose_name="支付事项编号"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="payment",
            name="payee_person",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="registry.person", verbose_name="收款人员"),
        ),
        migrations.AddField(
            model_name="payment",
            name="payee_employer",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="employers.employer", verbose_name="收款单位"),
        ),
        migrations.RunPython(batches_and_lines_become_generic, elidable=False),
    ]
