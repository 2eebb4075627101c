"""Migration helper for models moved between apps: their content types follow them.

Django names a content type by app label and model; without this, a moved model would get a
new content type after ``migrate`` and the old one (with any permission or admin log entry
tied to it) would be left stale. Used by the migrations that move models out of an app::

    content_types_moved([("policies", "payment", "payments")])
"""

from __future__ import annotations

from django.db import migrations


def content_types_moved(moves: list[tuple[str, str, str]]) -> migrations.RunPython:
    """(old app label, model, new app label) for each moved model; a no-op backwards."""

    def forwards(apps, schema_editor):
        try:
            ContentType = apps.get_model("contenttypes", "ContentType")
        except LookupError:  # contenttypes not installed
            return
        db = schema_editor.connection.alias
        for old, model, new in moves:
            if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
                ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
