"""The subsidies pages and API: area isolation, the policy editor's CEL errors, review actions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.core.testing import AreaIsolationCases
from bangfu.policies.models import Entitlement, Policy
from bangfu.policies.tests.factories import FENGDU, FENGDU_TOWNSHIP, entitlement_for, example_policy
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


@pytest.mark.django_db
def test_every_subsidies_page_opens_for_a_district_officer(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    policy = example_policy()
    e = entitlement_for(PersonFactory())
    for url in ("/policies/", "/policies/features/", f"/policies/p/{policy.code}/", f"/policies/p/{policy.code}/v1/",
                "/policies/entitlements/", f"/policies/entitlements/{e.pk}/", "/policies/batches/",
                "/policies/batches/?policy=transport_subsidy&period=2024", "/policies/figures/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "免申即享" in response.content.decode()
    page = client.get(f"/policies/p/{policy.code}/").content.decode()
    words = page.split('class="condition-words"')[1].split("</ol>")[0]
    assert "年龄不小于16" in words and "&amp;&amp;" not in words  # the condition in words, the CEL folded away
    assert "若市外务工，则200，否则50" in page


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
    assert "不符合条件" in html and "年龄不小于16" in html and "年龄 = <strong>14</strong>" in html
    assert 'title="age &gt;= 16"' in html  # the CEL behind the words, for whoever wants it
    # where and when the person worked that year: the records the decision read
    evidence = html.split('class="grid work-evidence"')[1].split("</table>")[0]
    assert "2024-05" in evidence and "市外" in evidence and "深圳" in evidence
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


@pytest.mark.django_db
def test_only_the_city_chooses_the_engine_of_a_run(client, make_user):
    policy = example_policy()
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    page = client.get(f"/policies/p/{policy.code}/").content.decode()
    assert '<select name="engine"' not in page and 'type="hidden" name="engine"' in page
    assert "计算引擎" not in page
    client.force_login(make_user(role="city_admin"))
    page = client.get(f"/policies/p/{policy.code}/").content.decode()
    assert '<select name="engine"' in page and "计算引擎" in page


@pytest.mark.django_db
def test_the_batch_form_opens_on_the_policy_and_year_asked_for(client, make_user):
    example_policy()
    client.force_login(make_user(role="city_admin"))
    page = client.get("/policies/batches/?policy=transport_subsidy&period=2023").content.decode()
    assert '<option value="2023" selected>' in page
    assert '<option value="transport_subsidy" selected>' in page
