"""Reads of training, restricted to the user's area (a record outside it is a 404)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from bangfu.training import choices as c
from bangfu.training.models import Certificate, Course, Enrolment, FollowUp


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
