"""The city bureau and one bureau per district/county: offices that always exist.

Out-of-town offices are data (the ``offices`` import; an example set ships in arrears/data).
"""

from django.db import migrations


def load(apps, schema_editor):
    from bangfu.arrears.builtin import load_builtin_offices

    load_builtin_offices(apps.get_model("arrears", "Office"), using=schema_editor.connection.alias)


def unload(apps, schema_editor):
    apps.get_model("arrears", "Office").objects.using(schema_editor.connection.alias).filter(
        kind__in=("city", "district")).delete()


class Migration(migrations.Migration):
    dependencies = [("arrears", "0001_initial"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
