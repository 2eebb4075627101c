"""The operators' commands: escalation (dry run by default), offices, the generator step."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from bangfu.arrears.models import ArrearsCase, OfficeMember
from bangfu.arrears.tests.factories import file_case

pytestmark = pytest.mark.django_db


def test_escalation_is_a_dry_run_unless_committed(offices):
    case = file_case(received=dt.date(2026, 9, 30)).case
    out = io.StringIO()
    call_command("arrears_escalate", "--today", "2026-10-14", stdout=out)
    assert "1 overdue" in out.getvalue()
    assert ArrearsCase.objects.get(pk=case.pk).escalated_at is None
    call_command("arrears_escalate", "--today", "2026-10-14", "--commit", stdout=io.StringIO())
    assert ArrearsCase.objects.get(pk=case.pk).escalated_at is not None


def test_an_officer_is_linked_to_an_out_of_town_office_from_the_command_line(offices, make_user):
    user = make_user("district_officer", "500230", username="gd_desk")
    call_command("arrears_offices", "--member", "gd_desk", "--office", "gd", stdout=io.StringIO())
    assert OfficeMember.objects.get(user=user).office.code == "GD"
    call_command("arrears_offices", "--member", "gd_desk", "--office", "none", stdout=io.StringIO())
    assert not OfficeMember.objects.filter(user=user).exists()


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """A small registry and the arrears step, loaded once for the module (then cleaned up)."""
    from bangfu.arrears import generate
    from bangfu.registry.generate import GenerateContext
    from bangfu.registry.generate.pipeline import registry_step

    with django_db_blocker.unblock():
        ctx = GenerateContext(seed=3, people=300, load=True)
        registry_step(ctx)
        generate.generate_step(ctx)
        yield ctx
        from bangfu.arrears.models import Office
        from bangfu.core.models import AuditLog
        from bangfu.outbox.models import OutboxMessage
        from bangfu.registry.models import Household, Person

        ArrearsCase.objects.all().delete()
        OutboxMessage.objects.filter(kind__startswith="arrears.").delete()
        Office.objects.filter(kind="outpost").delete()
        AuditLog.objects.all().delete()
        Person.objects.all().delete()
        Household.objects.all().delete()


def test_the_generator_step_files_demo_cases_with_their_history(generated):
    assert generated.counts["arrears"]["cases"] == 30
    assert ArrearsCase.objects.count() == 30
    assert ArrearsCase.objects.filter(from_registry=True).exists()
    closed = ArrearsCase.objects.filter(state="closed").first()
    assert closed is not None and closed.closing_note
    assert closed.events.filter(kind="state").count() >= 4
    # The history is dated by its steps, not by the day the generator ran.
    assert closed.events.order_by("-at").first().at.date() <= generated.as_of


def test_the_generator_is_deterministic(generated):
    from bangfu.arrears import generate
    from bangfu.registry.generate import GenerateContext

    again = GenerateContext(seed=3, people=300)
    again.persons = generated.persons
    plan = generate.plan_cases(again, again.rng_for("arrears"))
    assert [p["id_number"] for p in plan] == [p["id_number"] for p in
                                             generate.plan_cases(again, again.rng_for("arrears"))]
