"""Two officers give one worker two different primary helpers at the same moment, in two OS
processes on one database (SQLite file, or the PostgreSQL server): the database's partial
unique constraint lets exactly one through; the other is refused in Chinese."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from bangfu.core.models import AuditLog
from bangfu.network import errors as e
from bangfu.network.models import Caseload
from bangfu.network.tests import race
from bangfu.network.tests.factories import HelperFactory
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.testing.races import SPAWN, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_processes_assigning_one_worker_leave_one_primary_helper(db_vendor, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU, username="caseload_race")
    person = PersonFactory()
    helpers = [HelperFactory(), HelperFactory()]
    start = SPAWN.Barrier(2)
    procs = [(race.assign, (tag, officer.username, h.pk, person.pk, start))
             for tag, h in zip("ab", helpers)]
    outcomes = run_together(procs)
    made = [o for o in outcomes if "caseload" in o]
    refused = [o for o in outcomes if "refused" in o]
    assert len(made) == 1 and len(refused) == 1
    assert refused[0]["refused"] == _(e.ERR_PRIMARY_TAKEN)
    assert Caseload.objects.filter(person=person, primary=True, ended_on__isnull=True).count() == 1
    assert AuditLog.objects.filter(action="caseload.assign").count() == 1


def test_two_processes_adding_one_worker_to_a_workshop_leave_one_open_spell(db_vendor, make_user):
    """Different start months, both open: no unique key of the row itself collides, so only the
    partial unique constraint on open spells (workshop_member_one_open) can refuse the second."""
    from bangfu.network.models import WorkshopMember
    from bangfu.network.tests.factories import WorkshopFactory

    officer = make_user(role="district_officer", area_code=FENGDU, username="member_race")
    person, shop = PersonFactory(), WorkshopFactory()
    start = SPAWN.Barrier(2)
    procs = [(race.member_save, (tag, officer.username, shop.pk, person.pk, month, start))
             for tag, month in (("a", "2024-01"), ("b", "2024-03"))]
    outcomes = run_together(procs)
    made = [o for o in outcomes if "member" in o]
    refused = [o for o in outcomes if "refused" in o]
    assert len(made) == 1 and len(refused) == 1, outcomes
    assert refused[0]["refused"] == _(e.ERR_MEMBER_OPEN)
    assert WorkshopMember.objects.filter(workshop=shop, person=person, end_month="").count() == 1
    assert AuditLog.objects.filter(action="workshop.member").count() == 1
