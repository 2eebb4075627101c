"""Courses, enrolments and certificates for tests (no rules checked: use the services for that)."""

from __future__ import annotations

import datetime as dt

import factory

from bangfu.employers.tests.factories import EmployerFactory
from bangfu.registry.tests.factories import FENGDU, PersonFactory
from bangfu.training import choices as c
from bangfu.training.models import Certificate, Course, Enrolment

OCCUPATION = "6-29-01-01"  # a trade of the shipped catalogue (checked in the tests)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    name = factory.Sequence(lambda n: f"砌筑工培训班{n}期")
    occupation_code = OCCUPATION
    level = c.SkillLevel.JUNIOR
    days = 15
    provider = factory.SubFactory(EmployerFactory)
    start_date = dt.date(2024, 3, 1)
    end_date = dt.date(2024, 3, 20)
    place = "丰都县职业教育中心"
    district_code = FENGDU
    brand = c.TrainingBrand.BAYU_CRAFTSMAN
    shortage = True


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    course = factory.SubFactory(CourseFactory)
    person = factory.SubFactory(PersonFactory)
    district_code = factory.SelfAttribute("person.district_code")
    township_code = factory.SelfAttribute("person.township_code")
    status = c.EnrolmentStatus.COMPLETED
    days_attended = factory.SelfAttribute("course.days")
    completed_on = factory.SelfAttribute("course.end_date")


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    enrolment = factory.SubFactory(EnrolmentFactory)
    person = factory.SelfAttribute("enrolment.person")
    number = factory.Sequence(lambda n: f"S{n:012d}")
    level = factory.SelfAttribute("enrolment.course.level")
    issued_on = factory.LazyAttribute(lambda o: o.enrolment.completed_on + dt.timedelta(days=10))
    district_code = factory.SelfAttribute("enrolment.district_code")
    township_code = factory.SelfAttribute("enrolment.township_code")
