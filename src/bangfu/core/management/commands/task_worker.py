"""``bangfu task_worker``: django-tasks' ``db_worker`` that waits out a busy SQLite database.

``db_worker`` claims each task in an exclusive transaction. It ignores "database is locked"
while it reads the queue, but not when the ``BEGIN`` itself times out, and then the process
exits: a scheduled job that writes for longer than the busy timeout (a city-wide push, a bank
return) stopped the worker (``bangfu serve`` restarted it, and said so in its log each time).
Here the worker's loop is started again after a short pause instead. Every option of
``db_worker`` works the same way.
"""

from __future__ import annotations

import logging
import time

from django.db import OperationalError
from django_tasks_db.management.commands import db_worker as base
from django_tasks_db.utils import is_locked_database_exception

logger = logging.getLogger("bangfu.tasks")
BUSY_PAUSE_SECONDS = 1.0


class PatientWorker(base.Worker):
    def run(self) -> None:
        while True:
            try:
                return super().run()
            except OperationalError as exc:
                if not is_locked_database_exception(exc) or not self.running:
                    raise
                logger.info("task worker: the database is busy, trying again in %.0f s", BUSY_PAUSE_SECONDS)
                time.sleep(BUSY_PAUSE_SECONDS)


class Command(base.Command):
    help = "后台任务进程：数据库被其他写入占用时等待后继续（同 db_worker 的选项）"

    def handle(self, *args, **options) -> None:
        base.Worker = PatientWorker  # this process only: the command builds its worker from it
        return super().handle(*args, **options)
