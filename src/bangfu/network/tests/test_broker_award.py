"""The broker award (broker_outflow_award, network/policies): a registered helper gets a fixed sum
per worker of their organised outflow batches of the year who worked at least 3 months from the
month they left on; once per helper and year; paid into the helper's own account. The engine
reads committed data through its own connection, hence ``transaction=True``."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.network.models import Helper
from bangfu.network.services import NetworkError, helper_account_set, helper_withdraw, outflow_batch_create
from bangfu.network.tests.factories import HelperFactory
from bangfu.payments.models import Payment
from bangfu.policies import selectors
from bangfu.policies.models import Entitlement
from bangfu.policies.services import entitlement_approve, entitlement_batch_create, policy_run
from bangfu.policies.tests.factories import example_policy
from bangfu.registry.tests.factories import FENGDU, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)
CODE = "broker_outflow_award"
PER_WORKER_FEN = 20_000  # the example amount of the shipped policy: 200 yuan a worker


@pytest.fixture
def officer(make_user):
    return make_user(role="district_officer", area_code=FENGDU, username="broker_award_officer")


def worked(person, first: str, last: str) -> None:
    months = [f"{y}-{m:02d}" for y in (2023, 2024, 2025) for m in range(1, 13)]
    for month in months:
        if first <= month <= last:
            EmploymentMonthFactory(person=person, month=month, place_class="out_of_city", destination_code="4403")


def send(officer, helper, people, departed: dt.date, name: str = "赴粤专列"):
    return outflow_batch_create(actor=officer, name=name, departed_on=departed, destination_code="4403",
                                persons=people, helper=helper)


def granted(period: str = "2024") -> dict[int, int]:
    return dict(Entitlement.objects.filter(policy__code=CODE, period=period).values_list("beneficiary_id", "amount_fen"))


def run(period: str = "2024"):
    return policy_run(policy=example_policy(CODE), period=period, actor=SYSTEM, commit=True, area_code="50")


@pytest.fixture
def world(officer):
    """Helper ``a``: one batch of March 2024 with three workers who stayed 6, 3 and 2 months, and
    one of June with the first again; helper ``b``: one worker who stayed; ``c`` withdrawn."""
    a, b, c = HelperFactory(), HelperFactory(), HelperFactory()
    stay6, stay3, stay2, other, gone = (PersonFactory() for _ in range(5))
    worked(stay6, "2024-03", "2024-08")
    worked(stay3, "2024-04", "2024-06")
    worked(stay2, "2024-03", "2024-04")
    worked(other, "2024-05", "2024-12")
    worked(gone, "2024-02", "2024-12")
    send(officer, a, [stay6, stay3, stay2], dt.date(2024, 3, 12))
    send(officer, a, [stay6], dt.date(2024, 6, 1), name="第二批")
    send(officer, b, [other], dt.date(2024, 5, 3))
    send(officer, c, [gone], dt.date(2024, 2, 1))
    helper_withdraw(actor=officer, helper=c)
    return {"a": a, "b": b, "c": c, "late": PersonFactory()}


def test_each_registered_helper_gets_200_per_organised_worker_who_stayed_3_months(world):
    result = run()
    a, b = world["a"], world["b"]
    # a: the worker of 6 months (counted once over two batches) and the one of 3; not the one of 2
    assert granted() == {a.pk: 2 * PER_WORKER_FEN, b.pk: PER_WORKER_FEN}
    assert result.created == 2
    e = Entitlement.objects.get(policy__code=CODE, beneficiary_id=a.pk)
    assert (e.beneficiary_kind, e.helper_id, e.person_id, e.employer_id, e.workshop_id) == ("helper", a.pk, None, None, None)
    assert e.beneficiary == a and e.district_code == a.district_code
    assert e.facts["organised_workers_stayed(3)"] == 2 and e.facts["is_registered"] is True


def test_a_withdrawn_helper_and_a_batch_of_the_year_before_get_nothing(world, officer):
    d = HelperFactory()
    earlier = PersonFactory()
    worked(earlier, "2023-11", "2024-06")
    send(officer, d, [earlier], dt.date(2023, 11, 20), name="去年专列")
    run()
    assert world["c"].pk not in granted() and d.pk not in granted()
    assert set(granted()) == {world["a"].pk, world["b"].pk}


def test_a_year_without_organised_outflow_is_refused_as_without_data(world):
    from bangfu.policies.services import PolicyRunError

    EmploymentMonthFactory(person=world["late"], month="2022-05")
    with pytest.raises(PolicyRunError, match="有组织劳务输出"):
        run("2022")


def test_the_award_is_granted_once_per_helper_and_year_even_when_more_workers_stay_later(world, officer):
    run()
    late = world["late"]
    worked(late, "2024-09", "2024-12")
    send(officer, world["b"], [late], dt.date(2024, 9, 1), name="秋季专列")
    second = run()
    assert second.created == 0
    assert granted()[world["b"].pk] == PER_WORKER_FEN
    assert Entitlement.objects.filter(policy__code=CODE, beneficiary_id=world["b"].pk).count() == 1


def test_the_explanation_names_the_stayed_workers_in_chinese(world, officer):
    policy = example_policy(CODE)
    _b, exp, _e = selectors.explanation(user=officer, policy=policy, period="2024", kind="helper", pk=world["a"].pk)
    assert exp.eligible and exp.amount_fen == 2 * PER_WORKER_FEN
    assert "有组织输出稳定就业人数" in " ".join(c.words for c in exp.clauses)
    _b, refused, _e = selectors.explanation(user=officer, policy=policy, period="2024", kind="helper",
                                            pk=world["c"].pk)
    assert not refused.eligible and refused.summary.startswith("不符合条件")


def test_the_award_is_paid_into_the_helpers_own_account_and_a_helper_without_one_waits(world, officer):
    run()
    a, b = world["a"], world["b"]
    with pytest.raises(NetworkError):
        helper_account_set(actor=officer, helper=a, bank_name="农业银行", account="12-34")
    helper_account_set(actor=officer, helper=a, bank_name="农业银行丰都支行", account="6228 4800 1234 5678 901")
    stored = Helper.objects.get(pk=a.pk)
    assert stored.bank_account == "6228480012345678901" and stored.bank_account_masked.endswith("8901")
    assert "6228480012345678901" not in str(AuditLog.objects.get(action="helper.bank_account_set").detail)
    entitlement_approve(actor=officer, ids=list(Entitlement.objects.filter(policy__code=CODE).values_list("pk", flat=True)))
    result = entitlement_batch_create(actor=officer, policy=example_policy(CODE), period="2024")
    assert result.without_account == 1  # b has no account yet
    line = Payment.objects.get(batch=result.batch)
    assert (line.payee_name, line.account, line.bank_name, line.amount_fen) == (
        a.name, "6228480012345678901", "农业银行丰都支行", 2 * PER_WORKER_FEN)
    assert line.payee_person_id is None and line.payee_employer_id is None
    assert Entitlement.objects.get(policy__code=CODE, beneficiary_id=a.pk).status == "paying"
    assert Entitlement.objects.get(policy__code=CODE, beneficiary_id=b.pk).status == "approved"


def test_the_policy_pages_list_and_explain_a_helpers_award_and_hide_other_districts(world, client, officer):
    from django.urls import reverse

    from bangfu.registry.tests.factories import WANZHOU, WANZHOU_TOWNSHIP

    run()
    a = world["a"]
    client.force_login(officer)
    listing = client.get(reverse("policies:entitlements"), {"policy": CODE}).content.decode()
    assert a.name in listing and "劳务经纪人有组织劳务输出奖补" in listing
    html = client.get(reverse("policies:explain", args=["helper", a.pk]),
                      {"policy": CODE, "period": "2024"}).content.decode()
    assert "符合条件" in html and "有组织输出稳定就业人数" in html and a.name in html
    elsewhere = HelperFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP, covered_area_code=WANZHOU_TOWNSHIP)
    assert client.get(reverse("policies:explain", args=["helper", elsewhere.pk]),
                      {"policy": CODE, "period": "2024"}).status_code == 404
    features = client.get("/api/v1/policies/features?kind=helper").json()
    assert {f["name"] for f in features} >= {"organised_workers_stayed", "is_registered"}


def test_the_admin_never_shows_a_helpers_account(client, django_user_model, officer):
    helper = helper_account_set(actor=officer, helper=HelperFactory(), bank_name="农业银行",
                                account="6228480012345678901")
    client.force_login(django_user_model.objects.create(username="root_admin", is_superuser=True, is_staff=True))
    html = client.get(f"/admin/network/helper/{helper.pk}/change/").content.decode()
    assert helper.name in html and "6228480012345678901" not in html and "bank_account" not in html
