"""The payment pages and API: area isolation, the bank file by POST with its capability, the
reversal from the batch page, withdrawal, and the old addresses under /policies/ redirecting."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.core.testing import AreaIsolationCases
from bangfu.payments.services import BankResult, payment_batch_export, payment_results_apply
from bangfu.payments.tests.factories import PayeeAccountFactory
from bangfu.policies.models import Entitlement
from bangfu.policies.services import entitlement_batch_create as payment_batch_create
from bangfu.policies.tests.factories import FENGDU, FENGDU_TOWNSHIP, entitlement_for, example_policy
from bangfu.registry.tests.factories import PersonFactory


def paid_batch(officer, account: str | None = None):
    """A batch of one approved entitlement of ``officer``'s district, exported and paid."""
    person = PersonFactory(district_code=officer.area_code[:6],
                           township_code=FENGDU_TOWNSHIP if officer.area_code.startswith(FENGDU) else "500101001")
    PayeeAccountFactory(person=person, **({"account": account} if account else {}))
    entitlement_for(person, status="approved")
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    payment_results_apply(actor=officer, results=[BankResult(batch=batch, line_no=1, paid=True, reference="R1")])
    return batch


class TestPaymentBatchAreaIsolation(AreaIsolationCases):
    list_url = "/payments/"
    api_list_url = "/api/v1/payments/batches"
    marker_attr = "number"
    check_townships = False  # a batch belongs to the district that made it

    def make_object(self, district_code, township_code):
        from bangfu.accounts.tests.factories import UserFactory

        officer = UserFactory(role="district_officer", area_code=district_code)
        person = PersonFactory(district_code=district_code, township_code=township_code)
        PayeeAccountFactory(person=person)
        entitlement_for(person, status="approved")
        return payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch

    def detail_url_for(self, obj):
        return reverse("payments:batch", args=[obj.pk])

    def api_detail_url_for(self, obj):
        return f"/api/v1/payments/batches/{obj.pk}"


class TestPayeeAccountPageAreaIsolation(AreaIsolationCases):
    marker_attr = "name"

    def make_object(self, district_code, township_code):
        return PersonFactory(district_code=district_code, township_code=township_code)

    def detail_url_for(self, obj):
        return reverse("payments:payee_account", args=[obj.pk])


@pytest.mark.django_db
def test_the_full_account_bank_file_needs_the_capability(client, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    PayeeAccountFactory(person=person, account="6217000011112222333")
    entitlement_for(person, status="approved")
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    client.force_login(officer)
    masked = client.post(f"/payments/batches/{batch.pk}/file.csv")
    assert "6217000011112222333" not in masked.content.decode("utf-8-sig")
    full = client.post(f"/payments/batches/{batch.pk}/file.csv", {"full": "1"})
    assert "6217000011112222333" in full.content.decode("utf-8-sig")
    city_broker = make_user(role="broker", area_code="50")
    client.force_login(city_broker)
    assert client.post(f"/payments/batches/{batch.pk}/file.csv", {"full": "1"}).status_code == 403


@pytest.mark.django_db
def test_the_bank_file_is_a_post_with_a_csrf_token_and_a_get_changes_nothing(make_user):
    from django.test import Client

    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    PayeeAccountFactory(person=person)
    entitlement_for(person, status="approved")
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    url = reverse("payments:batch_file", args=[batch.pk, "csv"])
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403  # no CSRF token
    batch.refresh_from_db()
    assert batch.status == "created"
    page = browser.get(reverse("payments:batch", args=[batch.pk])).content.decode()
    form = page[page.index(f'action="{url}"'):]
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200 and batch.checksum in response.content.decode("utf-8-sig")
    batch.refresh_from_db()
    assert batch.status == "exported"


@pytest.mark.django_db
def test_a_reversal_from_the_batch_page_needs_a_reason_and_the_approve_capability(client, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    PayeeAccountFactory(person=person)
    entitlement_for(person, status="approved")
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    payment_results_apply(actor=officer, results=[BankResult(batch=batch, line_no=1, paid=True, reference="R1")])
    payment = batch.payments.get()
    url = reverse("payments:payment_reverse", args=[batch.pk, payment.pk])
    client.force_login(officer)
    page = client.get(reverse("payments:batch", args=[batch.pk])).content.decode()
    assert url in page and "登记退汇" in page
    refused = client.post(url, {"reason": ""}, follow=True)
    assert "请填写退汇原因" in refused.content.decode()
    payment.refresh_from_db()
    assert payment.status == "paid"
    client.force_login(make_user(role="broker", area_code="50"))  # sees the batch, may not approve
    assert client.post(url, {"reason": "退汇"}).status_code == 403
    client.force_login(make_user(role="township_officer", area_code=FENGDU_TOWNSHIP))
    assert client.post(url, {"reason": "退汇"}).status_code == 404  # a district's batch is not the township's
    client.force_login(make_user(role="district_officer", area_code="500101"))
    assert client.post(url, {"reason": "退汇"}).status_code == 404
    client.force_login(officer)
    done = client.post(url, {"reason": "银行退汇：户名不符"}, follow=True).content.decode()
    assert "已登记第 1 笔退汇" in done and "退汇：银行退汇：户名不符" in done
    payment.refresh_from_db()
    assert (payment.status, Entitlement.objects.get(pk=payment.claim_id).status) == ("reversed", "failed")
    failed_page = client.get(reverse("payments:failed")).content.decode()
    assert payment.payee_name in failed_page


class TestFailedPaymentAreaIsolation(AreaIsolationCases):
    list_url = "/payments/failed/"
    api_list_url = "/api/v1/payments/failed"
    marker_attr = "payee_name"

    def make_object(self, district_code, township_code):
        from bangfu.accounts.tests.factories import UserFactory

        officer = UserFactory(role="district_officer", area_code=district_code)
        person = PersonFactory(district_code=district_code, township_code=township_code, name="失败隔离测试人")
        PayeeAccountFactory(person=person)
        entitlement_for(person, status="approved")
        batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
        payment_batch_export(actor=officer, batch=batch)
        payment_results_apply(actor=officer, results=[BankResult(batch=batch, line_no=1, paid=False, reason="销户")])
        return batch.payments.get()


@pytest.mark.django_db
def test_every_payment_page_opens_and_the_api_masks_the_accounts(client, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    batch = paid_batch(officer, account="6217000011112222333")
    client.force_login(officer)
    for url in ("/payments/", f"/payments/batches/{batch.pk}/", "/payments/failed/", "/outbox/",
                "/payments/?claim_type=entitlement&status=settled"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "跨区域务工一次性交通补助（2024年）" in client.get("/payments/").content.decode()
    lines = client.get(f"/api/v1/payments/batches/{batch.pk}/payments").json()["items"]
    assert lines[0]["account"] == "6217***********2333" and lines[0]["claim_type"] == "entitlement"
    assert "6217000011112222333" not in client.get(f"/api/v1/payments/batches/{batch.pk}/payments").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("old, new", [
    ("/policies/batches/{pk}/", "/payments/batches/{pk}/"),
    ("/policies/batches/{pk}/file.csv", "/payments/batches/{pk}/file.csv"),
    ("/policies/batches/{pk}/reconcile/", "/payments/batches/{pk}/reconcile/"),
    ("/policies/failed/", "/payments/failed/"),
    ("/policies/outbox/", "/outbox/"),
])
def test_the_old_addresses_under_policies_redirect_keeping_the_method(client, make_user, old, new):
    officer = make_user(role="district_officer", area_code=FENGDU)
    batch = paid_batch(officer)
    client.force_login(officer)
    old, new = old.format(pk=batch.pk), new.format(pk=batch.pk)
    got = client.get(old + "?status=paid")
    assert (got.status_code, got["Location"]) == (308, new + "?status=paid")
    posted = client.post(old, {"full": "0"})
    assert (posted.status_code, posted["Location"]) == (308, new)


@pytest.mark.django_db
def test_a_batch_never_exported_is_withdrawn_from_its_page_with_a_reason(client, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    PayeeAccountFactory(person=person)
    e = entitlement_for(person, status="approved")
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    client.force_login(officer)
    url = reverse("payments:batch_cancel", args=[batch.pk])
    assert url in client.get(reverse("payments:batch", args=[batch.pk])).content.decode()
    assert "请填写作废原因" in client.post(url, {"reason": ""}, follow=True).content.decode()
    done = client.post(url, {"reason": "期间选错"}, follow=True).content.decode()
    assert "已作废" in done
    e.refresh_from_db()
    batch.refresh_from_db()
    assert (batch.status, e.status) == ("cancelled", "approved")
