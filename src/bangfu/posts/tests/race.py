"""The worker of the placement race: one OS process (spawn) placing one person, against the
test's database. Django is set up in the child; nothing Django is imported at module level."""

from __future__ import annotations

import datetime as dt
import os
import traceback

WAIT_SECONDS = 120


def place(db_name: str, tag: str, username: str, post_id: int, person_id: int, steps: dict, queue) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name

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
    outcome: dict = {"tag": tag}
    try:
        if steps.get("start") is not None:
            steps["start"].wait(WAIT_SECONDS)
        placement = placements.placement_create(
            actor=User.objects.get(username=username), post=WelfarePost.objects.get(pk=post_id),
            person=Person.objects.get(pk=person_id), notice_start=dt.date(2024, 1, 2), override_reason="竞争测试")
        outcome["placement"] = placement.pk
    except ValidationError as exc:
        outcome["refused"] = exc.messages
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    connections.close_all()
    queue.put(outcome)
