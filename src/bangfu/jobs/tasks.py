"""Background work of 渝职聘 (django-tasks): the weekly matching and push run.

Schedule ``match_run_task`` weekly (e.g. Monday 09:00) with the operators' scheduler; the web
page's "执行本周推送" and ``bangfu match run`` call the same service. A run in the same week
adds only what the caps still allow.
"""

from __future__ import annotations

from django_tasks import task

from bangfu.core.actors import SYSTEM, system_actor


@task()
def match_run_task(district: str | None = None, dry_run: bool = False, actor: str = SYSTEM.name) -> dict:
    """``actor``: the name of the system actor it runs as (the scheduler passes its own)."""
    from bangfu.jobs.services import match_run

    return match_run(actor=system_actor(actor), area_code=district, dry_run=dry_run).summary


@task()
def postings_expire_task(actor: str = SYSTEM.name) -> int:
    """Daily: audit how many postings expired yesterday (postings expire by themselves)."""
    from bangfu.jobs.services import postings_expire

    return postings_expire(actor=system_actor(actor))

