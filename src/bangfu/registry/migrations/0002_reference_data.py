from django.db import migrations


def load(apps, schema_editor):
    from bangfu.registry.reference import load_reference_data

    load_reference_data(apps.get_model("registry", "Division"), apps.get_model("registry", "Place"))


def unload(apps, schema_editor):
    apps.get_model("registry", "Division").objects.all().delete()
    apps.get_model("registry", "Place").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
