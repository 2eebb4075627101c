"""One FilterSet serves the postings page, its export and the API."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from bangfu.jobs import selectors
from bangfu.jobs.tests.factories import JobPostingFactory
from bangfu.registry.tests.factories import FENGDU, WANZHOU

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def postings():
    return {
        "open": JobPostingFactory(title="甲号岗位", source="local"),
        "expired": JobPostingFactory(title="乙号岗位", valid_until=TODAY - dt.timedelta(days=1)),
        "wanzhou": JobPostingFactory(title="丙号茶园岗位", source="workshop", owner_area_code=WANZHOU),
    }


def titles(qs) -> set[str]:
    return {p.title for p in qs}


def test_postings_are_open_ones_unless_the_state_says_otherwise(make_user, postings):
    user = make_user("district_officer", FENGDU)
    assert titles(selectors.posting_list(user=user)) == {"甲号岗位", "丙号茶园岗位"}
    assert titles(selectors.posting_list(user=user, data={"state": "expired"})) == {"乙号岗位"}
    assert titles(selectors.posting_list(user=user, data={"state": "all"})) == {"甲号岗位", "乙号岗位", "丙号茶园岗位"}
    assert titles(selectors.posting_list(user=user, data={"state": "mine"})) == {"甲号岗位", "乙号岗位"}


def test_filters_combine_and_the_page_shows_their_values(make_user, postings):
    user = make_user("district_officer", FENGDU)
    found = selectors.posting_filter(user=user, data={"source": "workshop", "q": "茶"})
    assert titles(found.qs) == {"丙号茶园岗位"}
    assert found.values["source"] == "workshop" and found.values["state"] == "open"
    assert found.values["region_group"] == ""


def test_a_bad_value_is_dropped_on_a_page_and_refused_when_strict(make_user, postings):
    user = make_user("district_officer", FENGDU)
    assert titles(selectors.posting_list(user=user, data={"source": "nonsense"})) == {"甲号岗位", "丙号茶园岗位"}
    with pytest.raises(ValidationError) as info:
        selectors.posting_list(user=user, data={"source": "nonsense"}, strict=True)
    assert set(info.value.message_dict) == {"source"}


def test_the_api_and_the_page_filter_alike(client, make_user, postings):
    client.force_login(make_user("district_officer", FENGDU))
    api = client.get("/api/v1/jobs/postings", {"source": "workshop"}).json()
    assert [p["title"] for p in api["items"]] == ["丙号茶园岗位"] and api["count"] == 1
    page = client.get("/jobs/postings/", {"source": "workshop"}).content.decode()
    assert "丙号茶园岗位" in page and "甲号岗位" not in page
    assert client.get("/api/v1/jobs/postings", {"source": "nonsense"}).status_code == 422


def test_the_api_posting_list_builds_only_the_page_it_returns(client, make_user, postings, monkeypatch):
    from bangfu.jobs import api

    client.force_login(make_user("district_officer", FENGDU))
    JobPostingFactory.create_batch(30)
    built = []
    original = api.PostingOut.from_posting
    monkeypatch.setattr(api.PostingOut, "from_posting", staticmethod(lambda p: built.append(p.pk) or original(p)))
    body = client.get("/api/v1/jobs/postings", {"page_size": 5}).json()
    assert len(body["items"]) == 5 and body["count"] == 32
    assert len(built) == 5
