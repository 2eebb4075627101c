"""The entitlements FilterSet: the review page drops a bad filter, a bulk action refuses it."""

import pytest
from django.core.exceptions import ValidationError

from bangfu.policies import selectors
from bangfu.policies.tests.factories import entitlement_for
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db


def test_entitlements_filter_by_status_and_township(make_user):
    first = entitlement_for(PersonFactory())
    entitlement_for(PersonFactory(), status="approved")
    user = make_user("district_officer", FENGDU)
    found = selectors.entitlement_list(user=user, data={"status": "pending", "township": FENGDU_TOWNSHIP})
    assert list(found) == [first]
    counts = selectors.entitlement_status_counts(user=user, data={"status": "pending"})
    assert (counts["pending"]["count"], counts["approved"]["count"]) == (1, 1)


def test_a_bulk_action_never_runs_on_a_filter_it_dropped(make_user):
    entitlement_for(PersonFactory())
    user = make_user("district_officer", FENGDU)
    assert selectors.entitlement_list(user=user, data={"status": "bogus"}).count() == 1
    with pytest.raises(ValidationError):
        selectors.entitlement_list(user=user, data={"status": "bogus"}, strict=True)


def test_the_review_page_approves_only_the_filtered_entitlements(client, make_user):
    mine = entitlement_for(PersonFactory())
    other = entitlement_for(PersonFactory(), period="2023")
    client.force_login(make_user("district_officer", FENGDU))
    client.post("/policies/entitlements/action/", {"action": "approve", "scope": "filtered", "period": "2024"})
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.status, other.status) == ("approved", "pending")
    client.post("/policies/entitlements/action/", {"action": "approve", "scope": "filtered", "period": "20233"})
    other.refresh_from_db()
    assert other.status == "pending"  # a period too long to be one: refused, not dropped (which would approve all)


def test_a_batch_names_who_lacks_an_account_and_links_the_list_of_them(client, make_user):
    from bangfu.payments.tests.factories import PayeeAccountFactory

    with_account, without = PersonFactory(name="有账户"), PersonFactory(name="无账户")
    PayeeAccountFactory(person=with_account)
    for person in (with_account, without):
        entitlement_for(person, status="approved")
    client.force_login(make_user("district_officer", FENGDU))
    response = client.post("/policies/batches/new/", {"policy": "transport_subsidy", "period": "2024"}, follow=True)
    page = response.content.decode()
    assert "1 条已审核待遇缺少收款账户" in page
    link = page.split("缺少收款账户，未纳入批次")[1].split('href="')[1].split('"')[0].replace("&amp;", "&")
    listed = client.get(link).content.decode()
    assert "无账户" in listed and "有账户" not in listed
