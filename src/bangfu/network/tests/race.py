"""Workers of the network races: each one OS process (spawn) against the test's database
(``bangfu.testing.races.competitor``: nothing Django at module level)."""

from __future__ import annotations

from bangfu.testing.races import WAIT_SECONDS, competitor


@competitor
def assign(tag: str, username: str, helper_id: int, person_id: int, start) -> dict:
    """Assigns one worker to one helper as primary once both competitors are ready."""
    from bangfu.accounts.models import User
    from bangfu.network.errors import NetworkError
    from bangfu.network.models import Helper
    from bangfu.network.services import caseload_assign
    from bangfu.registry.models import Person

    actor, helper = User.objects.get(username=username), Helper.objects.get(pk=helper_id)
    person = Person.objects.get(pk=person_id)
    start.wait(WAIT_SECONDS)
    try:
        return {"tag": tag, "caseload": caseload_assign(actor=actor, helper=helper, person=person).pk}
    except NetworkError as exc:
        return {"tag": tag, "refused": exc.message}


@competitor
def member_save(tag: str, username: str, workshop_id: int, person_id: int, start_month: str, start) -> dict:
    """Adds one open workshop spell (``workshop_member_save``) once both competitors are ready."""
    from bangfu.accounts.models import User
    from bangfu.network.errors import NetworkError
    from bangfu.network.models import Workshop
    from bangfu.network.services import workshop_member_save
    from bangfu.registry.models import Person

    actor, shop = User.objects.get(username=username), Workshop.objects.get(pk=workshop_id)
    person = Person.objects.get(pk=person_id)
    start.wait(WAIT_SECONDS)
    try:
        member, _created = workshop_member_save(actor=actor, workshop=shop, person=person, start_month=start_month)
    except NetworkError as exc:
        return {"tag": tag, "refused": exc.message}
    return {"tag": tag, "member": member.pk}


@competitor
def import_file(tag: str, kind: str, path: str, username: str, meet) -> dict:
    """``bangfu import KIND PATH --actor USERNAME --json``; both competitors meet after the
    import's checks (both found nothing registered) and before either writes."""
    import io
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from bangfu.network.importers import IMPORTERS

    importer = IMPORTERS[kind]
    real_check = importer.check

    def check_then_meet(rows, *, actor):
        errors = real_check(rows, actor=actor)
        meet.wait(WAIT_SECONDS)
        return errors

    importer.check = check_then_meet
    out = io.StringIO()
    try:
        call_command("import", kind, path, "--actor", username, "--json", stdout=out)
        code = 0
    except CommandError as exc:
        code = exc.returncode
    return {"tag": tag, "exit": code, "result": json.loads(out.getvalue())}
