"""Two officers place two members of one household at the same moment, in two OS processes on
one database (SQLite file, or the PostgreSQL server): exactly one placement is made, the other
is refused with the household's reason, and one audit row is written."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext as _

from bangfu.core.models import AuditLog
from bangfu.posts import choices as c
from bangfu.posts import errors as e
from bangfu.posts.models import Placement
from bangfu.posts.tests import race
from bangfu.posts.tests.factories import WelfarePostFactory
from bangfu.registry.tests.factories import FENGDU, HouseholdFactory, PersonFactory
from bangfu.testing.races import SPAWN, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_processes_placing_one_household_make_exactly_one_placement(db_vendor, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU, username="posts_race")
    household = HouseholdFactory()
    first, second = PersonFactory(household=household), PersonFactory(household=household)
    posts = [WelfarePostFactory(), WelfarePostFactory()]  # two posts: only the household constraint can stop it
    start = SPAWN.Barrier(2)
    # On PostgreSQL both pass the checks before either inserts; SQLite's IMMEDIATE transactions
    # take the write lock at BEGIN, so there the second waits and its check sees the first.
    checked = SPAWN.Barrier(2) if db_vendor == "postgresql" else None
    procs = [(race.place, (tag, officer.username, post.pk, person.pk,
                                                    {"start": start, "checked": checked}))
             for tag, post, person in (("a", posts[0], first), ("b", posts[1], second))]
    outcomes = run_together(procs)
    made = [o for o in outcomes if "placement" in o]
    refused = [o for o in outcomes if "refused" in o]
    assert len(made) == 1 and len(refused) == 1
    assert refused[0]["refused"] == [_(e.ERR_HOUSEHOLD_PLACED)]
    assert Placement.objects.filter(household=household, status__in=c.LIVE_PLACEMENT_STATUSES).count() == 1
    assert AuditLog.objects.filter(action="welfare_post.place").count() == 1
