from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "bangfu.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from django.db.backends.signals import connection_created

        from bangfu.core.engine import refuse_reopening
        from bangfu.core.filemodes import sqlite_files_private

        connection_created.connect(sqlite_files_private, dispatch_uid="bangfu.sqlite_files_private")
        connection_created.connect(refuse_reopening, dispatch_uid="bangfu.engine_refuse_reopening")
