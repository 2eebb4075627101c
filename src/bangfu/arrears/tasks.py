"""Background work of the arrears desk (django-tasks).

Schedule ``escalate_overdue_task`` daily (e.g. 08:00) with the operators' scheduler; the command
``bangfu arrears_escalate --commit`` calls the same service. Running it twice a day changes
nothing the second time: a case is escalated once.
"""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_overdue_task() -> int:
    from bangfu.arrears.services import case_escalate_overdue

    return case_escalate_overdue(actor="system")
