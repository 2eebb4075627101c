"""The subsidies pages and API: area isolation, the policy editor's CEL errors, review actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.core.testing import AreaIsolationCases
from bangfu.policies.models import Entitlement, Policy
from bangfu.policies.services import payment_batch_create
from bangfu.policies.tests.factories import (
    FENGDU, FENGDU_TOWNSHIP, PayeeAccountFactory, entitlement_for, example_policy,
)
from bangfu.registry.tests.factories import PersonFactory


class TestEntitlementAreaIsolation(AreaIsolationCases):
    list_url = "/policies/entitlements/"
    api_list_url = "/api/v1/policies/entitlements"
    marker_attr = "beneficiary_name"

    def make_object(self, district_code, township_code):
        person = PersonFactory(district_code=district_code, township_code=township_code, name="隔离测试人")
        return entitlement_for(person)

    def detail_url_for(self, obj):
        return reverse("policies:entitlement", args=[obj.pk])

    def api_detail_url_for(self, obj):
        return f"/api/v1/policies/entitlements/{obj.pk}"


class TestPaymentBatchAreaIsolation(AreaIsolationCases):
    list_url = "/policies/batches/"
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
        return reverse("policies:batch", args=[obj.pk])


class TestPayeeAccountPageAreaIsolation(AreaIsolationCases):
    marker_attr = "name"

    def make_object(self, district_code, township_code):
        return PersonFactory(district_code=district_code, township_code=township_code)

    def detail_url_for(self, obj):
        return reverse("policies:payee_account", args=[obj.pk])


@pytest.mark.django_db
def test_every_subsidies_page_opens_for_a_district_officer(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    policy = example_policy()
    e = entitlement_for(PersonFactory())
    for url in ("/policies/", "/policies/features/", f"/policies/p/{policy.code}/", f"/policies/p/{policy.code}/v1/",
                "/policies/entitlements/", f"/policies/entitlements/{e.pk}/", "/policies/batches/",
                "/policies/batches/?policy=transport_subsidy&period=2024", "/policies/failed/",
                "/policies/figures/", "/policies/outbox/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "免申即享" in response.content.decode()


@pytest.mark.django_db
def test_the_feature_catalogue_shows_chinese_labels_for_policy_authors(client, make_user):
    client.force_login(make_user(role="city_admin"))
    html = client.get("/policies/features/").content.decode()
    for text in ("跨区县务工", "months_worked(place)", "单位缴纳社保费（元）", "employer_share_paid(months)", "稳定吸纳脱贫人口人数"):
        assert text in html


@pytest.mark.django_db
def test_saving_a_policy_with_bad_cel_shows_the_position_and_a_chinese_message(client, make_user):
    client.force_login(make_user(role="city_admin"))
    data = {"code": "new_subsidy", "name": "新补贴", "legal_basis": "渝人社〔2024〕1号", "beneficiary": "person",
            "condition": "age >= 16 &&\n  has_labour_abilty", "amount": "100", "change_reason": ""}
    response = client.post("/policies/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "第2行第3列" in html and "未知的特征“has_labour_abilty”" in html and "has_labour_ability" in html
    assert not Policy.objects.filter(code="new_subsidy").exists()
    data["condition"] = "age >= 16 &&\n  has_labour_ability"
    response = client.post("/policies/new/", data)
    assert response.status_code == 302
    assert Policy.objects.get(code="new_subsidy").current_version.number == 1


@pytest.mark.django_db
def test_a_type_error_in_the_amount_is_refused(client, make_user):
    client.force_login(make_user(role="city_admin"))
    policy = example_policy()
    response = client.post(f"/policies/p/{policy.code}/edit/", {
        "name": "x", "legal_basis": "y", "beneficiary": "person", "condition": "age >= 16",
        "amount": "worked_outside_city ? 200 : 50.5", "change_reason": "试"})
    assert "两个分支的类型应相同" in response.content.decode()
    assert Policy.objects.get(pk=policy.pk).current_version.number == 1


@pytest.mark.django_db
def test_editing_policies_is_for_policy_makers_only(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    assert client.get("/policies/new/").status_code == 403
    assert client.get(f"/policies/p/{example_policy().code}/edit/").status_code == 403


@pytest.mark.django_db
def test_the_live_check_answers_with_the_error_under_the_expression(client, make_user):
    client.force_login(make_user(role="city_admin"))
    bad = client.get("/policies/check/", {"beneficiary": "person", "field": "condition", "condition": "age > 15.5"})
    assert "整数与小数不能直接比较" in bad.content.decode()
    good = client.get("/policies/check/", {"beneficiary": "person", "field": "amount", "amount": "worked_outside_city ? 200 : 50"})
    assert "表达式有效" in good.content.decode() and "市外务工" in good.content.decode()


@pytest.mark.django_db
def test_bulk_approval_from_the_review_page_approves_the_filtered_pending_entitlements(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    ents = [entitlement_for(PersonFactory()) for _ in range(3)]
    response = client.post("/policies/entitlements/action/", {
        "action": "approve", "scope": "filtered", "policy": "transport_subsidy", "status": "pending", "back": ""})
    assert response.status_code == 302
    assert set(Entitlement.objects.filter(pk__in=[e.pk for e in ents]).values_list("status", flat=True)) == {"approved"}


@pytest.mark.django_db
def test_rejecting_without_a_reason_from_the_page_says_so(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    e = entitlement_for(PersonFactory())
    response = client.post("/policies/entitlements/action/", {"action": "reject", "ids": [e.pk], "reason": ""}, follow=True)
    assert "请填写驳回或撤回的原因" in response.content.decode()
    e.refresh_from_db()
    assert e.status == "pending"


@pytest.mark.django_db
def test_the_full_account_bank_file_needs_the_capability(client, make_user):
    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    PayeeAccountFactory(person=person, account="6217000011112222333")
    entitlement_for(person, status="approved")
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    client.force_login(officer)
    masked = client.post(f"/policies/batches/{batch.pk}/file.csv")
    assert "6217000011112222333" not in masked.content.decode("utf-8-sig")
    full = client.post(f"/policies/batches/{batch.pk}/file.csv", {"full": "1"})
    assert "6217000011112222333" in full.content.decode("utf-8-sig")
    city_broker = make_user(role="broker", area_code="50")
    client.force_login(city_broker)
    assert client.post(f"/policies/batches/{batch.pk}/file.csv", {"full": "1"}).status_code == 403


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
    url = reverse("policies:batch_file", args=[batch.pk, "csv"])
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403  # no CSRF token
    batch.refresh_from_db()
    assert batch.status == "created"
    page = browser.get(reverse("policies:batch", args=[batch.pk])).content.decode()
    form = page[page.index(f'action="{url}"'):]
    token = form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = browser.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200 and batch.checksum in response.content.decode("utf-8-sig")
    batch.refresh_from_db()
    assert batch.status == "exported"


@pytest.mark.django_db
def test_a_reversal_from_the_batch_page_needs_a_reason_and_the_approve_capability(client, make_user):
    from bangfu.policies.services import BankResult, payment_batch_export, payment_results_apply

    officer = make_user(role="district_officer", area_code=FENGDU)
    person = PersonFactory()
    PayeeAccountFactory(person=person)
    entitlement_for(person, status="approved")
    batch = payment_batch_create(actor=officer, policy=example_policy(), period="2024").batch
    payment_batch_export(actor=officer, batch=batch)
    payment_results_apply(actor=officer, results=[BankResult(batch=batch, line_no=1, paid=True, reference="R1")])
    payment = batch.payments.get()
    url = reverse("policies:payment_reverse", args=[batch.pk, payment.pk])
    client.force_login(officer)
    page = client.get(reverse("policies:batch", args=[batch.pk])).content.decode()
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
    assert (payment.status, payment.entitlement.status) == ("reversed", "failed")
    failed_page = client.get(reverse("policies:failed")).content.decode()
    assert payment.payee_name in failed_page


@pytest.mark.django_db
def test_the_person_page_shows_the_subsidies_panel_with_a_link_to_the_reasons(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    person = PersonFactory()
    entitlement_for(person)
    html = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "免申即享补贴" in html and reverse("policies:explain_person", args=[person.pk]) in html


@pytest.mark.django_db(transaction=True)
def test_the_explain_page_lists_each_clause_with_its_values(client, make_user):
    from bangfu.policies.tests.factories import traveller

    client.force_login(make_user(role="township_officer", area_code=FENGDU_TOWNSHIP))
    example_policy()
    young = traveller(birth_date=__import__("datetime").date(2010, 1, 1))
    html = client.get(reverse("policies:explain_person", args=[young.pk]), {"policy": "transport_subsidy",
                                                                          "period": "2024"}).content.decode()
    assert "不符合条件" in html and "age &gt;= 16" in html and "年龄 = <strong>14</strong>" in html
    other = PersonFactory(district_code="500101", township_code="500101001")
    assert client.get(reverse("policies:explain_person", args=[other.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_api_previews_and_commits_a_run(client, make_user):
    from bangfu.policies.tests.factories import traveller

    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    example_policy()
    traveller()
    preview = client.post("/api/v1/policies/policies/transport_subsidy/runs", {"period": "2024"},
                          content_type="application/json").json()
    assert (preview["eligible"], preview["total_yuan"], preview["created"]) == (1, 200.0, 0)
    commit = client.post("/api/v1/policies/policies/transport_subsidy/runs", {"period": "2024", "commit": True},
                         content_type="application/json").json()
    assert commit["created"] == 1 and commit["by_district"][0]["district"] == "丰都县"
    bad = client.post("/api/v1/policies/policies/transport_subsidy/runs", {"period": "2019"},
                      content_type="application/json")
    assert bad.status_code == 400 and "没有务工监测数据" in bad.json()["detail"]
    features = client.get("/api/v1/policies/features?kind=workshop").json()
    assert {f["name"] for f in features} >= {"poverty_workers_employed", "is_active"}
