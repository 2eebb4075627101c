"""渝职聘's long work (``BACKGROUND_WORK`` in ``jobs/hooks.py``): 执行本周推送 started from the
page matches and pushes in the background; the run's page is its result."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.background import WorkResult

MATCH_WORK = "match_run"
STAGE_MATCH = gettext_noop("匹配岗位并推送")


def match_run_work(*, actor, params: dict, progress) -> WorkResult:
    from bangfu.jobs.services import match_run

    progress(_(STAGE_MATCH), 0, 1)
    result = match_run(actor=actor, area_code=params.get("area") or actor.area_code, dry_run=False)
    message = _("推送完成：%(n)s 条推送，%(w)s 人") % {"n": result.summary["pushes"],
                                                  "w": result.summary["workers_pushed"]}
    return WorkResult(message=message, url=reverse("jobs:run_detail", args=[result.run_id]),
                      data={"run": result.run_id})
