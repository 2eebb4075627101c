"""Employers with valid unified social credit codes (``with_account=True``: a corporate account)."""

import factory
from stdnum.cn import uscc

from bangfu.core.pii import pii_hash
from bangfu.employers.models import Employer
from bangfu.registry.tests.factories import FENGDU


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

    class Params:
        with_account = factory.Trait(
            bank_name="重庆农村商业银行",
            bank_account=factory.Sequence(lambda n: f"50010{n:014d}"),
            bank_account_hash=factory.LazyAttribute(lambda o: pii_hash(o.bank_account)),
        )
