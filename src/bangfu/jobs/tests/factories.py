"""Factories of employers and postings with valid unified social credit codes."""

import datetime as dt

import factory
from django.utils import timezone
from stdnum.cn import uscc

from bangfu.jobs.models import Application, Employer, JobPosting, Push
from bangfu.registry.tests.factories import FENGDU, PersonFactory


def make_uscc(n: int, region: str = FENGDU) -> str:
    stem = f"91{region}MA{n:07d}"[:17]
    return stem + uscc.calc_check_digit(stem + "0")


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"丰都县测试用工单位{n}有限公司")
    uscc = factory.Sequence(lambda n: make_uscc(n))
    place_code = FENGDU
    district_code = FENGDU
    credit_rating = "A"
    owner_area_code = FENGDU


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
