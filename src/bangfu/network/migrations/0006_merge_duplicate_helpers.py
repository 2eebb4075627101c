"""Before the helpers' natural key is unique (0007): helpers registered twice (two imports of
one roster at once) are merged into the oldest: their service records, outflow batches, caseloads and login move to it (a caseload the
oldest already holds open for the same worker is dropped). A later duplicate that entitlements
(money) already reference is not merged silently: the migration stops and names it."""

from django.db import migrations
from django.db.models import Count


def _entitled(schema_editor, ids: list[int]) -> list[int]:
    """The helpers of ``ids`` that entitlements reference (policies may not be migrated so far yet)."""
    connection = schema_editor.connection
    if "policies_entitlement" not in connection.introspection.table_names():
        return []
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "policies_entitlement")}
        if "helper_id" not in columns:
            return []
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(f"SELECT DISTINCT helper_id FROM policies_entitlement WHERE helper_id IN ({marks})", ids)
        return sorted(row[0] for row in cursor.fetchall())


def merge_duplicate_helpers(apps, schema_editor):
    Helper = apps.get_model("network", "Helper")
    Caseload = apps.get_model("network", "Caseload")
    ServiceRecord = apps.get_model("network", "ServiceRecord")
    OutflowBatch = apps.get_model("network", "OutflowBatch")
    db = schema_editor.connection.alias
    helpers, caseloads = Helper.objects.using(db), Caseload.objects.using(db)
    keys = ("district_code", "name", "birth_date")
    groups = helpers.values(*keys).annotate(n=Count("id")).filter(n__gt=1)
    for group in groups:
        ids = list(helpers.filter(**{k: group[k] for k in keys}).order_by("id").values_list("id", flat=True))
        keep, later = ids[0], ids[1:]
        entitled = _entitled(schema_editor, later)
        if entitled:
            raise RuntimeError(f"helpers {entitled} duplicate helper {keep} and have entitlements: merge them by hand")
        ServiceRecord.objects.using(db).filter(helper_id__in=later).update(helper_id=keep)
        OutflowBatch.objects.using(db).filter(helper_id__in=later).update(helper_id=keep)
        open_persons = set(caseloads.filter(helper_id=keep, ended_on__isnull=True)
                           .values_list("person_id", flat=True))
        for load in caseloads.filter(helper_id__in=later).order_by("id"):
            if load.ended_on is None and load.person_id in open_persons:
                load.delete()
                continue
            if load.ended_on is None:
                open_persons.add(load.person_id)
            caseloads.filter(pk=load.pk).update(helper_id=keep)
        keeper = helpers.get(pk=keep)
        if keeper.user_id is None:
            user_id = helpers.filter(id__in=later, user__isnull=False).order_by("id").values_list(
                "user_id", flat=True).first()
            if user_id is not None:
                helpers.filter(user_id=user_id).update(user_id=None)
                helpers.filter(pk=keep).update(user_id=user_id)
        helpers.filter(id__in=later).delete()


class Migration(migrations.Migration):
    """Data only: on PostgreSQL the constraints follow in their own transaction (0007), apart from
    these updates' deferred foreign-key checks."""

    dependencies = [
        ('network', '0005_workshop_exit_label'),
    ]

    operations = [
        migrations.RunPython(merge_duplicate_helpers, migrations.RunPython.noop),
    ]
