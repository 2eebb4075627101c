"""Factories and small worlds for the subsidies tests."""

from __future__ import annotations

import csv
import io

import factory

from bangfu.core.pii import pii_hash
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.policies.models import (
    Enterprise, Entitlement, PayeeAccount, Policy, PolicyRun, SocialInsuranceContribution, Workshop,
    WorkshopMember,
)
from bangfu.policies.services import example_definitions, policy_create
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

__all__ = ["FENGDU", "FENGDU_TOWNSHIP", "WANZHOU", "WANZHOU_TOWNSHIP"]


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"重庆测试企业{n}有限公司")
    uscc = factory.Sequence(lambda n: f"91500230MA{n:07d}X"[:18])
    district_code = FENGDU
    township_code = ""
    bank_name = "重庆农村商业银行"
    bank_account = factory.Sequence(lambda n: f"50010{n:014d}")
    bank_account_hash = factory.LazyAttribute(lambda o: pii_hash(o.bank_account))


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    code = factory.Sequence(lambda n: f"BFCJ{n:05d}")
    name = factory.Sequence(lambda n: f"测试帮扶车间{n}")
    enterprise = factory.SubFactory(EnterpriseFactory)
    district_code = FENGDU
    township_code = FENGDU_TOWNSHIP


class WorkshopMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkshopMember

    workshop = factory.SubFactory(WorkshopFactory)
    person = factory.SubFactory(PersonFactory)
    start_month = "2024-01"
    end_month = ""


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialInsuranceContribution

    person = factory.SubFactory(PersonFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    month = "2024-03"
    insurance_type = "pension"
    employer_fen = 80000
    worker_fen = 32000


class PayeeAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayeeAccount

    person = factory.SubFactory(PersonFactory)
    bank_name = "中国邮政储蓄银行"
    account = factory.Sequence(lambda n: f"6217{n:015d}")
    account_hash = factory.LazyAttribute(lambda o: pii_hash(o.account))


def example_policy(code: str = "transport_subsidy") -> Policy:
    """One of the shipped example policies, created through the service."""
    existing = Policy.objects.filter(code=code).first()
    if existing:
        return existing
    definition = next(d for d in example_definitions() if d.code == code)
    return policy_create(definition=definition, actor="system")


def traveller(*, district: str = FENGDU, township: str = FENGDU_TOWNSHIP, place: str = "out_of_city",
              month: str = "2024-05", account: bool = True, **person):
    """A person who worked outside the home county in ``month`` (transport subsidy material)."""
    p = PersonFactory(district_code=district, township_code=township, **person)
    EmploymentMonthFactory(person=p, month=month, place_class=place,
                           destination_code="4403" if place in ("out_of_city",) else (
                               "500101" if place == "in_city" and district != "500101" else (
                                   "500230" if place == "in_city" else "")))
    if account:
        PayeeAccountFactory(person=p)
    return p


def entitlement_for(person, *, policy: Policy | None = None, period: str = "2024", amount_fen: int = 20000,
                    status: str = "pending") -> Entitlement:
    """An entitlement written directly (for review and payment tests that need no run)."""
    policy = policy or example_policy()
    run = PolicyRun.objects.create(policy=policy, version=policy.current_version, period=period,
                                   area_code="50", mode="commit", status="done")
    return Entitlement.objects.create(
        policy=policy, version=policy.current_version, run=run, period=period, beneficiary_kind="person",
        beneficiary_id=person.pk, person=person, district_code=person.district_code,
        township_code=person.township_code, amount_fen=amount_fen, status=status,
        facts={"category": person.category, "age": 39, "has_labour_ability": True, "worked_outside_county": True,
               "worked_outside_city": amount_fen == 20000},
    )


def bank_return(batch, failed_lines=(), amounts=None) -> bytes:
    """The bank's return file (CSV) of ``batch``: every line paid except ``failed_lines``."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["批次号", "序号", "收款人", "银行账号", "金额（元）", "处理结果", "失败原因", "银行流水号"])
    for p in batch.payments.order_by("line_no"):
        amount = (amounts or {}).get(p.line_no, p.amount_fen)
        failed = p.line_no in failed_lines
        w.writerow([batch.number, p.line_no, p.payee_name, p.account_masked, f"{amount / 100:.2f}",
                    "失败" if failed else "成功", "账户已销户" if failed else "", f"R{p.line_no}"])
    return out.getvalue().encode("utf-8")
