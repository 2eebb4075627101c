"""Background work of the arrears desk (django-tasks).

Schedule ``escalate_overdue_task`` daily (e.g. 08:00) with the operators' scheduler; the command
``bangfu arrears_escalate --commit`` calls the same service. Running it twice a day changes
nothing the second time: a case is escalated once.
"""

from __future__ import annotations

from django_tasks import task

from bangfu.core.actors import SYSTEM, system_actor


@task()
def escalate_overdue_task(actor: str = SYSTEM.name) -> int:
    from bangfu.arrears.services import case_escalate_overdue

    return case_escalate_overdue(actor=system_actor(actor))

