"""Intake: one complaint from any door becomes a case (or is linked to the case it repeats)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.arrears import choices as c
from bangfu.arrears import deadlines
from bangfu.arrears.attachments import CheckedFile
from bangfu.arrears.models import ArrearsCase, CaseAttachment, CaseEvent
from bangfu.arrears.notify import notify_worker
from bangfu.arrears.priority import amount_band
from bangfu.arrears.routing import place_from_code, route
from bangfu.arrears.validation import Complaint, normalise_employer
from bangfu.core.actors import PUBLIC, Actor, actor_user
from bangfu.core.audit import audit_record
from bangfu.core.pii import pii_hash
from bangfu.employers.models import Employer
from bangfu.registry.models import Person

NUMBER_PREFIX = "QX"


@dataclass(frozen=True)
class IntakeResult:
    case: ArrearsCase
    linked_to: ArrearsCase | None  # the open case this complaint repeats, if any (officers only)

    @property
    def primary(self) -> ArrearsCase:
        """The case an officer works on (a complainant follows only ``case``, their own)."""
        return self.linked_to or self.case


def _next_number(day: dt.date) -> str:
    prefix = f"{NUMBER_PREFIX}{day:%Y%m%d}"
    last = (ArrearsCase.objects.filter(number__startswith=prefix).order_by("-number")
            .values_list("number", flat=True).first())
    sequence = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _find_duplicate(*, id_hash: str, employer_key: str, start: str, end: str) -> ArrearsCase | None:
    """An open case of the same worker against the same employer for an overlapping period."""
    return (
        ArrearsCase.objects.filter(
            id_number_hash=id_hash, employer_key=employer_key, state__in=c.OPEN_STATES,
            period_start__lte=end, period_end__gte=start,
        )
        .order_by("received_at", "id")
        .first()
    )


def _actor_label(actor: Actor) -> str:
    return _("投诉人") if actor is PUBLIC else actor.label


@transaction.atomic
def case_intake(
    *,
    complaint: Complaint,
    channel: str,
    actor: Actor,
    files: list[CheckedFile] = (),
    ip_address: str | None = None,
    now: dt.datetime | None = None,
) -> IntakeResult:
    """Register a complaint: match the registry, route, set the accept deadline, notify.

    A repeat of an open case (same worker, employer and overlapping period) is kept as a
    linked lead (state ``linked``) for the office of that case. The complainant is told only
    their own number, exactly as for a new case: the one who filed it may not be the worker
    (an employer knows the worker's ID number), so nothing of the original reaches them.
    """
    now = now or timezone.now()
    received_on = timezone.localdate(now)
    id_hash = pii_hash(complaint.id_number)
    employer_key = normalise_employer(complaint.employer_name, complaint.employer_credit_code)
    place = place_from_code(complaint.work_place_code)
    person = Person.objects.filter(id_number_hash=id_hash).only("id", "category", "district_code").first()
    employer = (Employer.objects.filter(uscc=complaint.employer_credit_code).only("id").first()
                if complaint.employer_credit_code else None)
    original = _find_duplicate(id_hash=id_hash, employer_key=employer_key,
                               start=complaint.period_start, end=complaint.period_end)
    office = original.office if original else route(place)

    case = ArrearsCase(
        channel=channel,
        state=c.State.LINKED if original else c.State.RECEIVED,
        worker_name=complaint.worker_name,
        id_number=complaint.id_number,
        id_number_hash=id_hash,
        phone=complaint.phone,
        phone_hash=pii_hash(complaint.phone),
        home_area_code=person.district_code if person else (
            complaint.id_number[:6] if complaint.id_number.startswith("50") else ""),
        person=person,
        from_registry=person is not None,
        registry_category=person.category if person else "",
        employer_name=complaint.employer_name,
        employer_credit_code=complaint.employer_credit_code,
        employer=employer,
        employer_key=employer_key,
        is_construction=complaint.is_construction,
        project_name=complaint.project_name,
        work_place_code=place.code,
        work_place_label=place.label,
        work_address=complaint.work_address,
        period_start=complaint.period_start,
        period_end=complaint.period_end,
        amount_owed_fen=complaint.amount_owed_fen,
        amount_band=amount_band(complaint.amount_owed_fen),
        workers_affected=complaint.workers_affected,
        description=complaint.description,
        received_at=now,
        received_on=received_on,
        office=office,
        area_code=office.area_code,
        accept_due=None if original else deadlines.accept_due(received_on),
        duplicate_of=original,
        created_by=actor_user(actor),
    )
    for attempt in range(5):  # two intakes in the same instant may race for a number
        case.number = _next_number(received_on)
        try:
            with transaction.atomic():
                case.save()
            break
        except IntegrityError:
            if attempt == 4:
                raise
    for checked in files:
        CaseAttachment.objects.create(
            case=case, file=checked.as_content_file(), original_name=checked.name,
            extension=checked.extension, content_type=checked.content_type,
            size=len(checked.data), sha256=checked.sha256,
        )
    by_user = actor_user(actor)
    CaseEvent.objects.create(
        case=case, at=now, actor=by_user, actor_name=_actor_label(actor), kind=c.EventKind.INTAKE,
        to_state=case.state, public=True,
        note=_("经%(channel)s登记，由%(office)s办理") % {
            "channel": c.Channel(channel).label, "office": office.name},
    )
    audit_detail = {"number": case.number, "channel": channel, "office": office.code,
                    "from_registry": case.from_registry, "attachments": len(files)}
    if original:
        CaseEvent.objects.create(
            case=original, at=now, actor=by_user, actor_name=_actor_label(actor),
            kind=c.EventKind.DUPLICATE, public=False,  # linking is for officers only
            note=_("收到同一事项的重复投诉 %(number)s，已并入本案") % {"number": case.number},
        )
        audit_detail["linked_to"] = original.number
    notify_worker(case, "intake")
    audit_record(actor=actor, action="arrears_case.intake", obj=case,
                 detail=audit_detail, ip_address=ip_address)
    return IntakeResult(case=case, linked_to=original)
