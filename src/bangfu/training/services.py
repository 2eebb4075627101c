"""Writes of skills training: courses, enrolments, attendance, completion, certificates and
follow-up calls. Each is one transaction with its audit row; a state change is decided on the
row locked inside the transaction, a duplicate by the database's unique keys."""

from __future__ import annotations

import datetime as dt
import math

from django.db import IntegrityError, transaction

from bangfu.core import reference
from bangfu.core.actors import Actor, actor_user
from bangfu.core.audit import audit_record
from bangfu.employers.models import Employer
from bangfu.registry.models import Person
from bangfu.training import choices as c
from bangfu.training.errors import (
    ERR_ALREADY_CERTIFIED, ERR_ALREADY_ENROLLED, ERR_CERTIFICATE_DATE, ERR_CERTIFICATE_NUMBER,
    ERR_COMPLETED_BEFORE_START, ERR_DATES, ERR_DAYS, ERR_DISTRICT, ERR_ENROLMENT_STATE, ERR_NUMBER_REQUIRED,
    ERR_OCCUPATION, ERR_TOO_FEW_DAYS, ERR_TOO_MANY_DAYS, TrainingError,
)
from bangfu.training.models import Certificate, Course, Enrolment, FollowUp
from bangfu.training.params import param
from bangfu.training.permissions import require_course_edit, require_edit

S = c.EnrolmentStatus


def days_needed(course: Course) -> int:
    """The attended days a completion needs (``TRAINING_MIN_ATTENDANCE_PERCENT`` of the course)."""
    return math.ceil(course.days * int(param("TRAINING_MIN_ATTENDANCE_PERCENT")) / 100)


def _check_course(*, occupation_code: str, district_code: str, days: int, start_date: dt.date,
                  end_date: dt.date) -> None:
    if occupation_code not in reference.occupations():
        raise TrainingError(ERR_OCCUPATION, code=occupation_code)
    if len(district_code) != 6 or district_code not in reference.divisions():
        raise TrainingError(ERR_DISTRICT, code=district_code)
    if days < 1:
        raise TrainingError(ERR_DAYS)
    if end_date < start_date:
        raise TrainingError(ERR_DATES)


@transaction.atomic
def course_create(*, actor: Actor, name: str, occupation_code: str, level: str, days: int, provider: Employer,
                  start_date: dt.date, end_date: dt.date, place: str, district_code: str,
                  brand: str = c.TrainingBrand.NONE, shortage: bool = False) -> Course:
    """开班登记: a course of one trade and level, by a provider, in a district."""
    require_course_edit(actor, district_code)
    occupation_code = (occupation_code or "").strip()
    _check_course(occupation_code=occupation_code, district_code=district_code, days=days,
                  start_date=start_date, end_date=end_date)
    course = Course(name=name, occupation_code=occupation_code, level=level, days=days, provider=provider,
                    start_date=start_date, end_date=end_date, place=place, district_code=district_code,
                    brand=brand, shortage=shortage)
    course.full_clean()
    course.save()
    audit_record(actor=actor, action="training.course_create", obj=course,
                 detail={"occupation_code": occupation_code, "level": level, "course_days": days,
                         "provider": provider.pk, "brand": brand, "shortage": shortage})
    return course


def _locked(enrolment: Enrolment) -> Enrolment:
    # Decide from the row as it is inside the write transaction, not from the caller's copy.
    return Enrolment.objects.select_for_update().select_related("course").get(pk=enrolment.pk)


def _state(enrolment: Enrolment, expected: str, action: str) -> None:
    if enrolment.status != expected:
        raise TrainingError(ERR_ENROLMENT_STATE, status=enrolment.get_status_display(), action=action)


@transaction.atomic
def enrolment_create(*, actor: Actor, course: Course, person: Person) -> Enrolment:
    """报名: a registry person joins a course (once; the unique key decides)."""
    require_edit(actor, person.township_code)
    enrolment = Enrolment(course=course, person=person, district_code=person.district_code,
                          township_code=person.township_code)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        raise TrainingError(ERR_ALREADY_ENROLLED) from None
    audit_record(actor=actor, action="training.enrol", obj=enrolment, detail={"course": course.pk})
    return enrolment


@transaction.atomic
def enrolment_attendance_record(*, actor: Actor, enrolment: Enrolment, days: int) -> Enrolment:
    """登记出勤: the days the trainee attended so far (the sign-in sheet's count)."""
    require_edit(actor, enrolment.township_code)
    enrolment = _locked(enrolment)
    _state(enrolment, S.ENROLLED, "登记出勤")
    if days < 0 or days > enrolment.course.days:
        raise TrainingError(ERR_TOO_MANY_DAYS, days=days, course_days=enrolment.course.days)
    before = enrolment.days_attended
    enrolment.days_attended = days
    enrolment.save(update_fields=["days_attended", "updated_at"])
    audit_record(actor=actor, action="training.attendance", obj=enrolment,
                 detail={"days_attended": days, "before": before})
    return enrolment


@transaction.atomic
def enrolment_complete(*, actor: Actor, enrolment: Enrolment, completed_on: dt.date) -> Enrolment:
    """结业: enough days attended (``days_needed``)."""
    require_edit(actor, enrolment.township_code)
    enrolment = _locked(enrolment)
    _state(enrolment, S.ENROLLED, "结业")
    course = enrolment.course
    needed = days_needed(course)
    if enrolment.days_attended < needed:
        raise TrainingError(ERR_TOO_FEW_DAYS, days=enrolment.days_attended,
                            percent=param("TRAINING_MIN_ATTENDANCE_PERCENT"), needed=needed)
    if completed_on < course.start_date:
        raise TrainingError(ERR_COMPLETED_BEFORE_START, start=course.start_date.isoformat())
    enrolment.status = S.COMPLETED
    enrolment.completed_on = completed_on
    enrolment.save(update_fields=["status", "completed_on", "updated_at"])
    audit_record(actor=actor, action="training.complete", obj=enrolment,
                 detail={"completed_on": completed_on.isoformat(), "days_attended": enrolment.days_attended})
    return enrolment


@transaction.atomic
def enrolment_drop(*, actor: Actor, enrolment: Enrolment, left_on: dt.date, note: str = "") -> Enrolment:
    """退训: the trainee left before completing."""
    require_edit(actor, enrolment.township_code)
    enrolment = _locked(enrolment)
    _state(enrolment, S.ENROLLED, "退训")
    enrolment.status = S.DROPPED
    enrolment.left_on = left_on
    enrolment.note = note.strip()[:300]
    enrolment.save(update_fields=["status", "left_on", "note", "updated_at"])
    audit_record(actor=actor, action="training.drop", obj=enrolment, detail={"left_on": left_on.isoformat()})
    return enrolment


@transaction.atomic
def certificate_issue(*, actor: Actor, enrolment: Enrolment, number: str, issued_on: dt.date,
                      level: str = "") -> Certificate:
    """登记证书: the certificate a completed trainee earned (one per enrolment, numbers unique)."""
    require_edit(actor, enrolment.township_code)
    enrolment = _locked(enrolment)
    _state(enrolment, S.COMPLETED, "登记证书")
    number = (number or "").strip()
    if not number:
        raise TrainingError(ERR_NUMBER_REQUIRED)
    if issued_on < enrolment.completed_on:
        raise TrainingError(ERR_CERTIFICATE_DATE, completed=enrolment.completed_on.isoformat())
    certificate = Certificate(enrolment=enrolment, person_id=enrolment.person_id, number=number,
                              level=level or enrolment.course.level, issued_on=issued_on,
                              district_code=enrolment.district_code, township_code=enrolment.township_code)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        if Certificate.objects.filter(enrolment=enrolment).exists():
            raise TrainingError(ERR_ALREADY_CERTIFIED) from None
        raise TrainingError(ERR_CERTIFICATE_NUMBER, number=number) from None
    audit_record(actor=actor, action="training.certify", obj=certificate,
                 detail={"enrolment": enrolment.pk, "level": certificate.level,
                         "issued_on": issued_on.isoformat()})
    return certificate


@transaction.atomic
def follow_up_record(*, actor: Actor, enrolment: Enrolment, contact_date: dt.date, outcome: str,
                     employer_name: str = "", note: str = "") -> FollowUp:
    """跟踪回访: a call after the course and what it found."""
    require_edit(actor, enrolment.township_code)
    follow_up = FollowUp(enrolment=enrolment, contact_date=contact_date, outcome=outcome,
                         employer_name=employer_name.strip()[:200], note=note.strip()[:300],
                         district_code=enrolment.district_code, township_code=enrolment.township_code,
                         recorded_by=actor_user(actor))
    follow_up.full_clean()
    follow_up.save()
    audit_record(actor=actor, action="training.follow_up", obj=follow_up,
                 detail={"enrolment": enrolment.pk, "outcome": outcome})
    return follow_up
