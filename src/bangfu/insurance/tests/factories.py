"""Factories of the insurance tables."""

import datetime as dt

import factory

from bangfu.core.pii import pii_hash

from bangfu.employers.tests.factories import EmployerFactory
from bangfu.insurance.models import (
    CoverageGap, InjuryCase, InsuredRecord, OrderDeclaration, Platform, SocialInsuranceContribution,
    UnemploymentBenefitMonth, UnemploymentContribution, VulnerableGroupMember,
)
from bangfu.registry.tests.factories import PersonFactory


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialInsuranceContribution

    person = factory.SubFactory(PersonFactory)
    employer = factory.SubFactory(EmployerFactory)
    month = "2024-03"
    insurance_type = "pension"
    employer_fen = 80000
    worker_fen = 32000


class BenefitMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnemploymentBenefitMonth

    person = factory.SubFactory(PersonFactory)
    month = "2024-03"
    amount_fen = 180000


class VulnerableGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VulnerableGroupMember

    person = factory.SubFactory(PersonFactory)
    group = "dibao"
    year = 2024


class InsuredRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InsuredRecord

    person = factory.SubFactory(PersonFactory)
    scheme = "resident_pension"
    year = 2024
    grade_fen = 10000
    on_behalf = False
    list_date = dt.date(2024, 6, 30)


class CoverageGapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoverageGap

    person = factory.SubFactory(PersonFactory)
    year = 2024
    rule = "pension_working_age"
    since = dt.date(2024, 6, 30)
    district_code = factory.SelfAttribute("person.district_code")
    township_code = factory.SelfAttribute("person.township_code")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    employer = factory.SubFactory(EmployerFactory)
    industry = "instant_delivery"
    joined_month = "2022-07"


class OrderDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderDeclaration

    platform = factory.SubFactory(PlatformFactory)
    month = "2024-03"
    orders = 100_000
    insured_workers = 800
    rate_fen = 7
    premium_fen = factory.LazyAttribute(lambda o: o.orders * o.rate_fen)


class InjuryCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InjuryCase

    platform = factory.SubFactory(PlatformFactory)
    worker_name = "李四"
    id_number = "500230199001010013"
    id_number_hash = factory.LazyAttribute(lambda o: pii_hash(o.id_number))
    injured_on = dt.date(2024, 5, 6)
    district_code = "500230"
    township_code = "500230101"


class UnemploymentContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnemploymentContribution

    employer = factory.SubFactory(EmployerFactory)
    month = "2024-03"
    scale = "sme"
    insured_count = 20
    base_fen = 20 * 500_000
    rate_bp = 100
    paid_fen = factory.LazyAttribute(lambda o: o.base_fen * o.rate_bp // 10_000)
    reduction_fen = factory.LazyAttribute(lambda o: o.base_fen * (200 - o.rate_bp) // 10_000)
    leavers_claiming = 0
