"""Assistance workshops and their members."""

import factory

from bangfu.employers.tests.factories import EmployerFactory
from bangfu.network.models import Workshop, WorkshopMember
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    code = factory.Sequence(lambda n: f"BFCJ{n:05d}")
    name = factory.Sequence(lambda n: f"测试帮扶车间{n}")
    employer = factory.SubFactory(EmployerFactory, with_account=True)
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP


class WorkshopMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopMember

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory)
    start_month = "2024-01"
    end_month = ""
