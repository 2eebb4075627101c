"""认定编号 are issued by each district's bureau: unique within a district, not city-wide (the
codes were unique city-wide so far, so every existing row satisfies the narrower constraint)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('employers', '0001_initial'),
        ('network', '0007_helper_service_natural_keys'),
    ]

    operations = [
        migrations.AlterField(
            model_name='workshop',
            name='code',
            field=models.CharField(max_length=40, verbose_name='认定编号'),
        ),
        migrations.AddConstraint(
            model_name='workshop',
            constraint=models.UniqueConstraint(fields=('district_code', 'code'), name='workshop_district_code_uniq'),
        ),
    ]
