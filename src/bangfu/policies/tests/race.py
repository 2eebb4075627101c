"""The worker of the policy-commit race: one OS process (spawn) committing one policy run against
the test's database (``bangfu.testing.races.competitor``: nothing Django at module level).

``meet`` is a barrier both processes reach once their engine has computed the eligible rows:
before the write transaction ("write", SQLite, whose IMMEDIATE transactions take the write
lock at BEGIN) or inside it, just before the insert ("insert", PostgreSQL, where both can be in
their transactions at once, both past the budget check)."""

from __future__ import annotations

from bangfu.testing.races import WAIT_SECONDS, competitor


@competitor
def commit(tag: str, policy_id: int, period: str, area_code: str, where: str, meet) -> dict:
    from bangfu.core.actors import SYSTEM
    from bangfu.policies.models import Policy
    from bangfu.policies.services import runs

    name = "_close_interrupted" if where == "write" else "copy_rows"
    real = getattr(runs, name)

    def meet_first(*args, **kwargs):
        meet.wait(WAIT_SECONDS)
        return real(*args, **kwargs)

    setattr(runs, name, meet_first)
    run = runs.policy_run(policy=Policy.objects.get(pk=policy_id), period=period, actor=SYSTEM, commit=True,
                          area_code=area_code)
    return {"tag": tag, "run": run.pk, "status": run.status, "created": run.created,
            "already_existed": run.already_existed}
