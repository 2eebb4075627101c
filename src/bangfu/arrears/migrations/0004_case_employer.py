"""An arrears case names the registered employer of its credit code (``employers.Employer``);
the cases already received are linked by the code their complainant gave, once the register
is whole (after the enterprises of the subsidies merged into it)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def link_cases(apps, schema_editor):
    db = schema_editor.connection.alias
    ArrearsCase = apps.get_model("arrears", "ArrearsCase")
    Employer = apps.get_model("employers", "Employer")
    ArrearsCase.objects.using(db).exclude(employer_credit_code="").update(
        employer_id=Subquery(Employer.objects.filter(uscc=OuterRef("employer_credit_code")).values("pk")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("arrears", "0003_evidence_encrypted"),
        ("employers", "0001_initial"),
        ("policies", "0004_enterprises_merge_into_employers"),
    ]

    operations = [
        migrations.AddField(
            model_name="arrearscase",
            name="employer",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="arrears_cases", to="employers.employer",
                                    verbose_name="登记的用人单位"),
        ),
        migrations.RunPython(link_cases, migrations.RunPython.noop),
    ]
