"""The worker of the caseload race: one OS process (spawn) assigning one worker to one helper,
against the test's database. Django is set up in the child; nothing Django at module level."""

from __future__ import annotations

import os
import traceback

WAIT_SECONDS = 120


def assign(db_name: str, tag: str, username: str, helper_id: int, person_id: int, start, queue) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name

    from bangfu.accounts.models import User
    from bangfu.network.errors import NetworkError
    from bangfu.network.models import Helper
    from bangfu.network.services import caseload_assign
    from bangfu.registry.models import Person

    outcome: dict = {"tag": tag}
    try:
        actor, helper = User.objects.get(username=username), Helper.objects.get(pk=helper_id)
        person = Person.objects.get(pk=person_id)
        start.wait(WAIT_SECONDS)
        outcome["caseload"] = caseload_assign(actor=actor, helper=helper, person=person).pk
    except NetworkError as exc:
        outcome["refused"] = exc.message
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    connections.close_all()
    queue.put(outcome)


def member_save(db_name: str, tag: str, username: str, workshop_id: int, person_id: int, start_month: str, start,
                queue) -> None:
    """Adds one open workshop spell (``workshop_member_save``) once both competitors are ready."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name

    from bangfu.accounts.models import User
    from bangfu.network.errors import NetworkError
    from bangfu.network.models import Workshop
    from bangfu.network.services import workshop_member_save
    from bangfu.registry.models import Person

    outcome: dict = {"tag": tag}
    try:
        actor, shop = User.objects.get(username=username), Workshop.objects.get(pk=workshop_id)
        person = Person.objects.get(pk=person_id)
        start.wait(WAIT_SECONDS)
        member, _created = workshop_member_save(actor=actor, workshop=shop, person=person, start_month=start_month)
        outcome["member"] = member.pk
    except NetworkError as exc:
        outcome["refused"] = exc.message
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    connections.close_all()
    queue.put(outcome)
