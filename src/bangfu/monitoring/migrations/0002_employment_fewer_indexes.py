"""Drop the single-column indexes of EmploymentMonth (month, person_id, created_at).

The composite indexes (person_id, month) and (month, person_id) serve every lookup; the three
others only slowed the loading of tens of millions of rows. Altering the fields the usual way
would make SQLite copy the whole table twice, so the database side drops the indexes by name
as introspected (names differ between backends: PostgreSQL adds ``_like`` indexes).
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "monitoring_employmentmonth"
SINGLE_COLUMNS = (["month"], ["person_id"], ["created_at"])


def drop_single_column_indexes(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, TABLE)
    for name, info in constraints.items():
        if info["index"] and not info["unique"] and not info["primary_key"] and info["columns"] in SINGLE_COLUMNS:
            schema_editor.execute(schema_editor._delete_index_sql(apps.get_model("monitoring", "EmploymentMonth"), name))


def create_single_column_indexes(apps, schema_editor):
    model = apps.get_model("monitoring", "EmploymentMonth")
    for column in ("month", "person_id", "created_at"):
        field = next(f for f in model._meta.local_fields if f.column == column)
        schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0001_initial"),
        ("registry", "0002_reference_data"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="employmentmonth",
                    name="month",
                    field=models.CharField(max_length=7, verbose_name="年月"),
                ),
                migrations.AlterField(
                    model_name="employmentmonth",
                    name="person",
                    field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                            related_name="employment_months", to="registry.person",
                                            verbose_name="人员"),
                ),
                migrations.AlterField(
                    model_name="employmentmonth",
                    name="created_at",
                    field=models.DateTimeField(auto_now_add=True, verbose_name="创建时间"),
                ),
            ],
            database_operations=[
                migrations.RunPython(drop_single_column_indexes, create_single_column_indexes),
            ],
        ),
    ]
