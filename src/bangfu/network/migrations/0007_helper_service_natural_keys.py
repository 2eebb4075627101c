"""One helper per natural key (district, name, birth date: the roster's key, 0006 merged the
duplicates), and imported service records once per row key (person, helper, kind, date, note)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0006_merge_duplicate_helpers'),
        ('registry', '0003_person_registry_order'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='servicerecord',
            name='imported',
            field=models.BooleanField(db_default=False, default=False, editable=False, verbose_name='导入'),
        ),
        migrations.AddConstraint(
            model_name='helper',
            constraint=models.UniqueConstraint(fields=('district_code', 'name', 'birth_date'), name='helper_natural_key_uniq'),
        ),
        migrations.AddConstraint(
            model_name='servicerecord',
            constraint=models.UniqueConstraint(condition=models.Q(('helper__isnull', False), ('imported', True)), fields=('person', 'helper', 'kind', 'served_on', 'note'), name='netservice_import_uniq'),
        ),
        migrations.AddConstraint(
            model_name='servicerecord',
            constraint=models.UniqueConstraint(condition=models.Q(('helper__isnull', True), ('imported', True)), fields=('person', 'kind', 'served_on', 'note'), name='netservice_import_nohelper_uniq'),
        ),
    ]
