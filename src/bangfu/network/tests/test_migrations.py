"""network 0006/0007: a helper registered twice before its natural key was unique (two imports
of one roster at once) is merged into the oldest, with its services, outflows, caseloads and
login; the constraint is then in place. On a fresh SQLite database migrated step by step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.migrations.executor import MigrationExecutor

from bangfu.core.pii import pii_hash
from bangfu.policies.tests.test_migrations import ALIAS, fresh_connection

BEFORE = [("network", "0005_workshop_exit_label")]
AFTER = [("network", "0007_helper_service_natural_keys")]
FENGDU, TOWN = "500230", "500230101"

pytestmark = pytest.mark.django_db


def migrate(connection, targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_duplicate_helpers_are_merged_into_the_oldest_before_the_key_is_unique(tmp_path, django_db_blocker):
    with fresh_connection(f"sqlite:///{tmp_path / 'helpers.sqlite3'}", django_db_blocker) as connection:
        apps = migrate(connection, BEFORE)

        def make(label, **values):
            return apps.get_model(*label.split(".")).objects.using(ALIAS).create(**values)

        household = make("registry.Household", number="H1", district_code=FENGDU, township_code=TOWN,
                         category="alleviated")
        a, b = (make("registry.Person", household=household, name=f"人员{i}", id_number=f"50023019850601001{i}",
                     id_number_hash=pii_hash(f"50023019850601001{i}"), sex="M", birth_date=dt.date(1985, 6, 1),
                     relation="head", district_code=FENGDU, township_code=TOWN, category="alleviated",
                     labour_ability="ordinary") for i in (1, 2))
        user = make("accounts.User", username="li4", role="helper", area_code=TOWN)
        same = {"name": "李四", "role": "broker", "birth_date": dt.date(1980, 5, 1), "district_code": FENGDU,
                "township_code": TOWN, "covered_area_code": TOWN, "applied_on": dt.date(2024, 1, 1)}
        oldest, twice, other = make("network.Helper", **same), make("network.Helper", user=user, **same), make(
            "network.Helper", **{**same, "birth_date": dt.date(1981, 5, 1)})
        area = {"district_code": FENGDU, "township_code": TOWN}
        started = dt.date(2024, 2, 1)
        make("network.Caseload", helper=oldest, person=a, started_on=started, **area)
        make("network.Caseload", helper=twice, person=a, primary=False, started_on=started, **area)  # held already
        make("network.Caseload", helper=twice, person=b, started_on=started, **area)
        make("network.ServiceRecord", helper=twice, person=b, kind="visit", served_on=started, month="2024-02", **area)
        make("network.OutflowBatch", name="专列", helper=twice, departed_on=started, destination_code="4403",
             owner_area_code=FENGDU)

        apps = migrate(connection, AFTER)
        Helper = apps.get_model("network", "Helper")
        helpers = Helper.objects.using(ALIAS)
        assert sorted(helpers.values_list("pk", flat=True)) == sorted([oldest.pk, other.pk])
        assert helpers.get(pk=oldest.pk).user_id == user.pk
        loads = apps.get_model("network", "Caseload").objects.using(ALIAS)
        assert sorted(loads.values_list("helper_id", "person_id", "primary")) == sorted(
            [(oldest.pk, a.pk, True), (oldest.pk, b.pk, True)])
        for model in ("ServiceRecord", "OutflowBatch"):
            assert list(apps.get_model("network", model).objects.using(ALIAS).values_list("helper_id", flat=True)) == [
                oldest.pk]
        with pytest.raises(IntegrityError), transaction.atomic(using=ALIAS):
            helpers.create(**same)


@pytest.mark.postgres
def test_the_merge_and_the_constraints_apply_on_postgresql(pg_database, django_db_blocker):
    """PostgreSQL: the merge's updates and the new constraints in separate transactions (no
    "pending trigger events" from the deferred foreign keys)."""
    with fresh_connection(pg_database(), django_db_blocker) as connection:
        apps = migrate(connection, BEFORE)
        same = {"name": "李四", "role": "broker", "birth_date": dt.date(1980, 5, 1), "district_code": FENGDU,
                "township_code": TOWN, "covered_area_code": TOWN, "applied_on": dt.date(2024, 1, 1)}
        helpers = apps.get_model("network", "Helper").objects.using(ALIAS)
        oldest, twice = helpers.create(**same), helpers.create(**same)
        apps.get_model("network", "OutflowBatch").objects.using(ALIAS).create(
            name="专列", helper=twice, departed_on=dt.date(2024, 2, 1), destination_code="4403", owner_area_code=FENGDU)
        apps = migrate(connection, AFTER)
        assert list(apps.get_model("network", "Helper").objects.using(ALIAS).values_list("pk", flat=True)) == [oldest.pk]
        assert list(apps.get_model("network", "OutflowBatch").objects.using(ALIAS).values_list(
            "helper_id", flat=True)) == [oldest.pk]
