"""免申即享's long work (``BACKGROUND_WORK`` in ``policies/hooks.py``): a policy's preview or
commit started from its page runs in the background with a progress bar (``core.background``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.core.background import WorkError, WorkResult

RUN_WORK = "policy_run"


def policy_run_work(*, actor, params: dict, progress) -> WorkResult:
    from bangfu.policies.models import Policy
    from bangfu.policies.services import PolicyRunError, policy_run

    policy = Policy.objects.filter(code=params["code"]).first()
    if policy is None:
        raise WorkError(_("政策“%(code)s”不存在") % {"code": params["code"]})
    try:
        run = policy_run(policy=policy, period=params["period"], actor=actor, commit=bool(params.get("commit")),
                         engine=params.get("engine") or None, area_code=params.get("area") or None,
                         progress=progress)
    except PolicyRunError as exc:
        raise WorkError(str(exc)) from None
    if not params.get("commit"):
        message = _("试算完成：符合条件 %(n)s 人（户）") % {"n": f"{run.eligible:,}"}
    elif run.created:
        message = _("已生成 %(n)s 条待遇，待审核") % {"n": f"{run.created:,}"}
    else:
        message = _("没有新增待遇：符合条件的 %(n)s 条此前均已生成") % {"n": f"{run.eligible:,}"}
    return WorkResult(message=message, url=reverse("policies:run", args=[run.pk]), data={"run": run.pk})
