from django.db import migrations


def load(apps, schema_editor):
    from bangfu.registry.reference import load_reference_data

    load_reference_data(apps.get_model("registry", "Division"), apps.get_model("registry", "Place"),
                        using=schema_editor.connection.alias)


def unload(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("registry", "Division").objects.using(db).all().delete()
    apps.get_model("registry", "Place").objects.using(db).all().delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
