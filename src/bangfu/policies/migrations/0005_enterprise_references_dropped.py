"""The enterprise references go, now that 0004 pointed every row at its employer: the old
foreign keys, the contribution key and index on them, and the enterprise table itself."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0004_enterprises_merge_into_employers"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="socialinsurancecontribution", name="contribution_uniq"),
        migrations.RemoveIndex(model_name="socialinsurancecontribution", name="contribution_ent_person_idx"),
        migrations.RemoveField(model_name="workshop", name="enterprise"),
        migrations.RemoveField(model_name="socialinsurancecontribution", name="enterprise"),
        migrations.RemoveField(model_name="entitlement", name="enterprise"),
        migrations.AlterField(
            model_name="workshop",
            name="employer",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="workshops",
                                    to="employers.employer", verbose_name="经营主体"),
        ),
        migrations.AlterField(
            model_name="socialinsurancecontribution",
            name="employer",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="contributions",
                                    to="employers.employer", verbose_name="缴费单位"),
        ),
        migrations.AddConstraint(
            model_name="socialinsurancecontribution",
            constraint=models.UniqueConstraint(fields=("person", "employer", "month", "insurance_type"),
                                               name="contribution_uniq"),
        ),
        migrations.AddIndex(
            model_name="socialinsurancecontribution",
            index=models.Index(fields=["employer", "person", "month"], name="contribution_emp_person_idx"),
        ),
        migrations.DeleteModel(name="Enterprise"),
    ]
