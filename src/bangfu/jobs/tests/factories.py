"""Factories of postings, pushes and applications (employers: ``bangfu.employers.tests.factories``)."""

import datetime as dt

import factory
from django.utils import timezone

from bangfu.employers.tests.factories import EmployerFactory, make_uscc
from bangfu.jobs.models import Application, JobPosting, Push
from bangfu.registry.tests.factories import FENGDU, PersonFactory

__all__ = ["EmployerFactory", "make_uscc"]


class JobPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobPosting

    employer = factory.SubFactory(EmployerFactory)
    title = factory.Sequence(lambda n: f"砌筑工{n}")
    occupation_code = "6-29-01-01"
    work_place_code = FENGDU
    work_district_code = FENGDU
    work_region_group = "northeast"
    place_name = "丰都县"
    headcount = 5
    wage_min_fen = 450_000
    wage_max_fen = 600_000
    age_min = 18
    age_max = 60
    min_labour_ability = "weak"
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    source = "local"
    owner_area_code = FENGDU


class PushFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Push

    person = factory.SubFactory(PersonFactory)
    posting = factory.SubFactory(JobPostingFactory)
    score = 0.5
    reasons = factory.LazyFunction(lambda: [{"code": "place_county", "params": {}, "text": "县内"}])
    week = "2026-W01"
    month = "2026-01"
    district_code = factory.SelfAttribute("person.district_code")
    township_code = factory.SelfAttribute("person.township_code")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    person = factory.SubFactory(PersonFactory)
    posting = factory.SubFactory(JobPostingFactory)
    referred_on = factory.LazyFunction(timezone.localdate)
    district_code = factory.SelfAttribute("person.district_code")
    township_code = factory.SelfAttribute("person.township_code")
