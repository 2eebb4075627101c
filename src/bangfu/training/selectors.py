"""Reads of training, restricted to the user's area (a record outside it is a 404)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from bangfu.core.months import month_of, shift_month
from bangfu.monitoring.models import EmploymentMonth
from bangfu.training import choices as c
from bangfu.training.models import Certificate, Course, Enrolment, FollowUp
from bangfu.training.params import param


def course_list(*, user, q: str = "", year: int | None = None, level: str = "", brand: str = "",
                shortage: bool | None = None) -> QuerySet[Course]:
    qs = (Course.objects.restrict(user).select_related("provider")
          .annotate(enrolled=Count("enrolments"),
                    completed=Count("enrolments", filter=Q(enrolments__status=c.EnrolmentStatus.COMPLETED)),
                    certified=Count("enrolments__certificate"))
          .order_by("-start_date", "id"))
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(place__icontains=q) | Q(provider__name__icontains=q))
    if year:
        qs = qs.filter(end_date__year=year)
    if level in c.SkillLevel.values:
        qs = qs.filter(level=level)
    if brand in c.TrainingBrand.values:
        qs = qs.filter(brand=brand)
    if shortage is not None:
        qs = qs.filter(shortage=shortage)
    return qs


def course_get(*, user, pk: int) -> Course:
    return get_object_or_404(Course.objects.restrict(user).select_related("provider"), pk=pk)


def course_enrolments(*, user, course: Course) -> QuerySet[Enrolment]:
    """The course's trainees the user may see (a township officer: their township's)."""
    return (Enrolment.objects.restrict(user).filter(course=course)
            .select_related("person", "certificate").order_by("id"))


def enrolment_list(*, user, status: str = "") -> QuerySet[Enrolment]:
    qs = Enrolment.objects.restrict(user).select_related("course", "person").order_by("-id")
    if status in c.EnrolmentStatus.values:
        qs = qs.filter(status=status)
    return qs


def enrolment_get(*, user, pk: int) -> Enrolment:
    return get_object_or_404(Enrolment.objects.restrict(user).select_related("course", "course__provider",
                                                                              "person"), pk=pk)


def enrolment_certificate(*, user, enrolment: Enrolment) -> Certificate | None:
    return Certificate.objects.restrict(user).filter(enrolment=enrolment).first()


def enrolment_follow_ups(*, user, enrolment: Enrolment) -> QuerySet[FollowUp]:
    return FollowUp.objects.restrict(user).filter(enrolment=enrolment)


def person_enrolments(*, user, person) -> QuerySet[Enrolment]:
    return (Enrolment.objects.restrict(user).filter(person=person)
            .select_related("course", "certificate").order_by("-course__start_date"))


def anchor_date(enrolment: Enrolment):
    """The day "employed after training" counts from: the certificate's date, else the course's end."""
    cert = getattr(enrolment, "certificate", None) if _has_certificate(enrolment) else None
    return cert.issued_on if cert else enrolment.course.end_date


def _has_certificate(enrolment: Enrolment) -> bool:
    try:
        enrolment.certificate  # noqa: B018 - a reverse one-to-one raises when absent
    except Certificate.DoesNotExist:
        return False
    return True


def employment_window(enrolment: Enrolment) -> tuple[str, str]:
    """(first, last) month of the window: the anchor's month and the N months after it
    (``TRAINING_EMPLOYED_WITHIN_MONTHS``)."""
    first = month_of(anchor_date(enrolment))
    return first, shift_month(first, int(param("TRAINING_EMPLOYED_WITHIN_MONTHS")))


def enrolment_employment_after(*, user, enrolment: Enrolment) -> QuerySet[EmploymentMonth]:
    """The trainee's employment months within the window after the course (a completed enrolment)."""
    if enrolment.status != c.EnrolmentStatus.COMPLETED:
        return EmploymentMonth.objects.none()
    first, last = employment_window(enrolment)
    return (EmploymentMonth.objects.restrict(user).filter(person_id=enrolment.person_id, month__range=(first, last))
            .order_by("month"))
