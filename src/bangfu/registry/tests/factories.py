"""Factories for households and persons with valid ID numbers inside real divisions."""

import datetime as dt

import factory

from bangfu.core.identifiers import make_id_number
from bangfu.core.pii import pii_hash
from bangfu.registry.models import Household, Person

# 丰都县 and one of its townships; 万州区 and one of its townships (from the shared data).
FENGDU = "500230"
FENGDU_TOWNSHIP = "500230101"
WANZHOU = "500101"
WANZHOU_TOWNSHIP = "500101001"


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"H{n:08d}")
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP
    village = "新村"
    category = "alleviated"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    household = factory.SubFactory(
        HouseholdFactory,
        district_code=factory.SelfAttribute("..district_code"),
        township_code=factory.SelfAttribute("..township_code"),
    )
    name = factory.Sequence(lambda n: f"测试{n}")
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP
    birth_date = dt.date(1985, 6, 1)
    sex = "M"
    id_number = factory.LazyAttributeSequence(
        lambda o, n: make_id_number(o.district_code, o.birth_date, n, o.sex)
    )
    id_number_hash = factory.LazyAttribute(lambda o: pii_hash(o.id_number))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    phone_hash = factory.LazyAttribute(lambda o: pii_hash(o.phone))
    relation = "head"
    village = "新村"
    category = "alleviated"
    labour_ability = "ordinary"
    education = "junior"
    health = "healthy"
