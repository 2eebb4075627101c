"""The worker of the injury-report race: one OS process (spawn) reporting one injury against the
test's database. Django is set up in the child; nothing Django at module level."""

from __future__ import annotations

import datetime as dt
import os
import traceback

WAIT_SECONDS = 120


def report(db_name: str, tag: str, username: str, platform_id: int, id_number: str, district: str,
           start, queue) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name

    from bangfu.accounts.models import User
    from bangfu.insurance.models import Platform
    from bangfu.insurance.services import injury_case_report
    from bangfu.insurance.services.errors import InsuranceError

    outcome: dict = {"tag": tag}
    try:
        actor, platform = User.objects.get(username=username), Platform.objects.get(pk=platform_id)
        start.wait(WAIT_SECONDS)
        outcome["case"] = injury_case_report(
            actor=actor, platform=platform, worker_name="王五", id_number=id_number,
            injured_on=dt.date(2024, 5, 1), district_code=district).pk
    except InsuranceError as exc:
        outcome["refused"] = exc.message
    except BaseException:  # noqa: BLE001 - the test asserts there was none
        outcome["traceback"] = traceback.format_exc()
    connections.close_all()
    queue.put(outcome)
