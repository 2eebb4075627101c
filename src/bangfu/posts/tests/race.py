"""The worker of the placement race: one OS process (spawn) placing one person, against the
test's database (``bangfu.testing.races.competitor``: nothing Django at module level)."""

from __future__ import annotations

import datetime as dt

from bangfu.testing.races import WAIT_SECONDS, competitor


@competitor
def place(tag: str, username: str, post_id: int, person_id: int, steps: dict) -> dict:
    from django.core.exceptions import ValidationError

    from bangfu.accounts.models import User
    from bangfu.posts.models import WelfarePost
    from bangfu.posts.services import placements
    from bangfu.registry.models import Person

    real_refuse = placements._refuse_live

    def refuse_then_wait(person):
        real_refuse(person)
        if steps.get("checked") is not None:  # both have passed the checks before either writes
            steps["checked"].wait(WAIT_SECONDS)

    placements._refuse_live = refuse_then_wait
    if steps.get("start") is not None:
        steps["start"].wait(WAIT_SECONDS)
    try:
        placement = placements.placement_create(
            actor=User.objects.get(username=username), post=WelfarePost.objects.get(pk=post_id),
            person=Person.objects.get(pk=person_id), notice_start=dt.date(2024, 1, 2), override_reason="竞争测试")
    except ValidationError as exc:
        return {"tag": tag, "refused": exc.messages}
    return {"tag": tag, "placement": placement.pk}
