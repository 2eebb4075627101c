"""One injury reported twice — one after the other, and by two processes at the same moment:
the database's unique constraint leaves one case (one payable benefit); the other is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils.translation import gettext as _

from bangfu.core.models import AuditLog
from bangfu.insurance.models import InjuryCase
from bangfu.insurance.services import injury_case_report
from bangfu.insurance.services.errors import ERR_INJURY_REPORTED, InsuranceError
from bangfu.insurance.tests import race
from bangfu.insurance.tests.factories import PlatformFactory
from bangfu.registry.tests.factories import FENGDU
from bangfu.testing.races import SPAWN, run_together

ID = "500230199001010013"


@pytest.mark.django_db
def test_the_same_injury_reported_again_is_refused_and_another_day_is_a_new_case(make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    platform = PlatformFactory()
    kwargs = {"actor": officer, "platform": platform, "worker_name": "王五", "district_code": FENGDU}
    injury_case_report(id_number=ID, injured_on=dt.date(2024, 5, 1), **kwargs)
    with pytest.raises(InsuranceError) as refused:
        injury_case_report(id_number=ID.lower() + " ", injured_on=dt.date(2024, 5, 1), **kwargs)
    assert refused.value.message == _(ERR_INJURY_REPORTED)
    injury_case_report(id_number=ID, injured_on=dt.date(2024, 6, 1), **kwargs)
    assert InjuryCase.objects.count() == 2
    assert AuditLog.objects.filter(action="insurance.injury_report").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_processes_reporting_one_injury_leave_one_case(db_vendor, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU, username="injury_race")
    platform = PlatformFactory()
    start = SPAWN.Barrier(2)
    outcomes = run_together([(race.report, (tag, officer.username, platform.pk, ID, FENGDU, start))
                             for tag in "ab"])
    assert sorted("case" in o for o in outcomes) == [False, True]
    assert [o["refused"] for o in outcomes if "refused" in o] == [_(ERR_INJURY_REPORTED)]
    assert InjuryCase.objects.count() == 1
    assert AuditLog.objects.filter(action="insurance.injury_report").count() == 1


@pytest.mark.django_db
def test_an_injury_closed_not_confirmed_may_be_reported_again(make_user):
    from bangfu.insurance.services import injury_case_confirm

    officer = make_user(role="district_officer", area_code=FENGDU)
    kwargs = {"actor": officer, "platform": PlatformFactory(), "worker_name": "王五", "district_code": FENGDU,
              "id_number": ID, "injured_on": dt.date(2024, 5, 1)}
    first = injury_case_report(**kwargs)
    injury_case_confirm(actor=officer, case=first, confirmed=False, note="材料不全")
    again = injury_case_report(**kwargs)
    assert again.pk != first.pk and InjuryCase.objects.count() == 2
    with pytest.raises(InsuranceError):
        injury_case_report(**kwargs)
