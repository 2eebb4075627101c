"""Two commits of one policy run (same policy, period and area) at the same moment, in two real
OS processes on one database file (SQLite) or one server (PostgreSQL): every entitlement is
written exactly once, and the runs and their audit rows account for it (the second adds nothing)."""

from __future__ import annotations

import pytest

from bangfu.core.models import AuditLog
from bangfu.policies.models import Entitlement, PolicyRun
from bangfu.policies.tests import race
from bangfu.policies.tests.factories import WANZHOU, WANZHOU_TOWNSHIP, example_policy, traveller
from bangfu.testing.races import SPAWN, run_together

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_commits_of_one_run_at_once_write_each_entitlement_once(db_vendor):
    policy = example_policy()
    people = [traveller(), traveller(place="abroad"), traveller(place="in_city"),
              traveller(district=WANZHOU, township=WANZHOU_TOWNSHIP)]
    meet = SPAWN.Barrier(2)
    where = "insert" if db_vendor == "postgresql" else "write"
    out = run_together([(race.commit, (tag, policy.pk, "2024", "50", where, meet)) for tag in "ab"])
    assert [o["status"] for o in out] == ["done", "done"], out
    assert sorted(o["created"] for o in out) == [0, 4], out
    assert sorted(o["already_existed"] for o in out) == [0, 4], out
    assert Entitlement.objects.count() == 4
    assert sorted(Entitlement.objects.values_list("person_id", flat=True)) == sorted(p.pk for p in people)
    winner = next(o for o in out if o["created"])
    assert set(Entitlement.objects.values_list("run_id", flat=True)) == {winner["run"]}
    runs = PolicyRun.objects.filter(mode="commit")
    assert sorted(runs.values_list("status", "error")) == [("done", ""), ("done", "")]
    audits = AuditLog.objects.filter(action="policy_run.commit")
    assert sorted(a.detail["created"] for a in audits) == [0, 4]
    assert sorted(a.detail["run"] for a in audits) == sorted(o["run"] for o in out)
