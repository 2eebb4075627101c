"""The service network for tests: markets, workshops and members, helpers and caseloads."""

import datetime as dt

import factory

from bangfu.employers.tests.factories import EmployerFactory
from bangfu.network import choices as c
from bangfu.network.models import (
    Caseload, GigMarket, GigPosting, Helper, ServiceRecord, Workshop, WorkshopMember, WorkshopRatingRecord,
)
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    code = factory.Sequence(lambda n: f"BFCJ{n:05d}")
    name = factory.Sequence(lambda n: f"测试帮扶车间{n}")
    employer = factory.SubFactory(EmployerFactory, with_account=True)
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP
    workshop_type = c.WorkshopType.FACTORY
    status = c.WorkshopStatus.RUNNING
    recognised_on = dt.date(2023, 3, 1)


class WorkshopMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopMember

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory)
    start_month = "2024-01"
    end_month = ""


class WorkshopRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopRatingRecord

    workshop = factory.SubFactory(WorkshopFactory)
    year = 2024
    rating = c.WorkshopRating.GOOD


class GigMarketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GigMarket

    code = factory.Sequence(lambda n: f"LGSC{n:05d}")
    name = factory.Sequence(lambda n: f"丰都县零工驿站{n}")
    kind = c.MarketKind.STATION
    scope = c.MarketScope.GENERAL
    operation = c.MarketOperation.DESK
    listed = True
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP


class GigPostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GigPosting

    market = factory.SubFactory(GigMarketFactory)
    employer_name = "丰都县某农业合作社"
    title = "采摘柑橘"
    pay_basis = c.PayBasis.DAY
    pay_fen = 15_000
    headcount = 5
    work_date = dt.date(2024, 10, 8)
    district_code = factory.SelfAttribute("market.district_code")
    township_code = factory.SelfAttribute("market.township_code")


class HelperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Helper

    name = factory.Sequence(lambda n: f"经纪人{n}")
    role = c.HelperRole.BROKER
    birth_date = dt.date(1980, 5, 1)
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP
    covered_area_code = FENGDU_TOWNSHIP
    status = c.HelperStatus.REGISTERED
    applied_on = dt.date(2023, 1, 5)
    registered_on = dt.date(2023, 3, 1)


class CaseloadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Caseload

    helper = factory.SubFactory(HelperFactory)
    person = factory.SubFactory(PersonFactory)
    primary = True
    started_on = dt.date(2024, 1, 1)
    district_code = factory.SelfAttribute("person.district_code")
    township_code = factory.SelfAttribute("person.township_code")


class ServiceRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceRecord

    helper = factory.SubFactory(HelperFactory)
    person = factory.SubFactory(PersonFactory)
    kind = c.ServiceKind.VISIT
    served_on = dt.date(2024, 3, 5)
    month = "2024-03"
    district_code = factory.SelfAttribute("person.district_code")
    township_code = factory.SelfAttribute("person.township_code")
