"""The worker of the injury-report race: one OS process (spawn) reporting one injury against the
test's database (``bangfu.testing.races.competitor``: nothing Django at module level)."""

from __future__ import annotations

import datetime as dt

from bangfu.testing.races import WAIT_SECONDS, competitor


@competitor
def report(tag: str, username: str, platform_id: int, id_number: str, district: str, start) -> dict:
    from bangfu.accounts.models import User
    from bangfu.insurance.models import Platform
    from bangfu.insurance.services import injury_case_report
    from bangfu.insurance.services.errors import InsuranceError

    actor, platform = User.objects.get(username=username), Platform.objects.get(pk=platform_id)
    start.wait(WAIT_SECONDS)
    try:
        case = injury_case_report(actor=actor, platform=platform, worker_name="王五", id_number=id_number,
                                  injured_on=dt.date(2024, 5, 1), district_code=district)
    except InsuranceError as exc:
        return {"tag": tag, "refused": exc.message}
    return {"tag": tag, "case": case.pk}
