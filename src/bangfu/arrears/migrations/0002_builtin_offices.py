"""The city bureau and one bureau per district/county: offices that always exist.

Out-of-town offices are data (the ``offices`` import; an example set ships in arrears/data).
"""

from django.db import migrations

DISTRICT_LEVELS = ("district", "county", "autonomous_county")


def load(apps, schema_editor):
    from bangfu.registry import reference

    Office = apps.get_model("arrears", "Office")
    Office.objects.update_or_create(
        code="CQ",
        defaults={"name": "重庆市人力资源和社会保障局（劳动保障监察）", "kind": "city",
                  "contact_phone": "12333", "address": "重庆市"},
    )
    for code, row in reference.divisions().items():
        if row["level"] not in DISTRICT_LEVELS:
            continue
        Office.objects.update_or_create(
            code=f"D{code}",
            defaults={"name": f"{row['name']}人力资源和社会保障局", "kind": "district",
                      "district_code": code, "contact_phone": "12333"},
        )


def unload(apps, schema_editor):
    apps.get_model("arrears", "Office").objects.filter(kind__in=("city", "district")).delete()


class Migration(migrations.Migration):
    dependencies = [("arrears", "0001_initial"), ("registry", "0002_reference_data")]
    operations = [migrations.RunPython(load, unload)]
