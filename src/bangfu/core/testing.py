"""Test base classes: area isolation written once (DESIGN.md §8, NetBox's generic view tests).

``AreaIsolationCases`` checks, for one kind of record, that an officer of another district or
township sees none of its rows on the list page and in the API list, and gets a 404 (never a
403) on its detail page and API detail — and that the officer of its own area does see it, so
the isolation tests cannot pass by showing nothing to anyone.

How an app uses it (pytest style; the class name must start with ``Test``)::

    from django.urls import reverse
    from bangfu.core.testing import AreaIsolationCases
    from .factories import PostingFactory                # the app's own factory (in <app>/tests/)

    class TestJobAreaIsolation(AreaIsolationCases):
        list_url = "/jobs/"                              # or reverse_lazy("jobs:index")
        api_list_url = "/api/v1/jobs/postings"           # None: no API list
        marker_attr = "title"                            # text of a row that the list page shows

        def make_object(self, district_code, township_code):
            return PostingFactory(district_code=district_code, township_code=township_code)

        def detail_url_for(self, obj):                   # None: no detail page
            return reverse("jobs:detail", args=[obj.pk])

        def api_detail_url_for(self, obj):               # None: no API detail
            return f"/api/v1/jobs/postings/{obj.pk}"

Optional overrides: ``role`` (default ``district_officer``), ``township_role``
(``township_officer``; set ``check_townships = False`` for district-level records such as a
district target), ``row_marker(obj)`` when the list shows something other than an attribute,
``api_ids(payload)`` when the API list is not ``{"items": [{"id": ...}]}`` (ninja's pagination),
and ``list_query`` (extra query string for the list page, e.g. ``"?month=2024-09"``).
A URL left as ``None`` skips its tests, so a record with only an API still inherits the rest.
"""

from __future__ import annotations

from typing import Any

import pytest

# Two districts, two townships of the first and one of the second, from the shared division
# data (core reads no registry: ``registry/tests/test_area_fixtures.py`` checks these codes).
OWN_DISTRICT = "500230"  # 丰都县
OWN_TOWNSHIP = "500230101"  # 虎威镇
SIBLING_TOWNSHIP = "500230001"  # 三合街道, another township of 丰都县
FOREIGN_DISTRICT = "500101"  # 万州区
FOREIGN_TOWNSHIP = "500101001"  # 高笋塘街道


@pytest.mark.django_db
class AreaIsolationCases:
    """Inherit, set the URLs and ``make_object``; see the module docstring."""

    list_url: str | None = None
    list_query: str = ""
    api_list_url: str | None = None
    marker_attr: str = "name"
    role: str = "district_officer"
    township_role: str = "township_officer"
    check_townships: bool = True

    # ---- to override

    def make_object(self, district_code: str, township_code: str) -> Any:
        raise NotImplementedError("make_object(district_code, township_code) must create one record")

    def detail_url_for(self, obj) -> str | None:
        return None

    def api_detail_url_for(self, obj) -> str | None:
        return None

    def row_marker(self, obj) -> str:
        return str(getattr(obj, self.marker_attr))

    def api_ids(self, payload) -> list:
        items = payload["items"] if isinstance(payload, dict) else payload
        return [item["id"] for item in items]

    # ---- helpers

    def _client_for(self, client, make_user, role: str, area_code: str):
        client.force_login(make_user(role=role, area_code=area_code))
        return client

    def _list(self, client):
        response = client.get(str(self.list_url) + self.list_query)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def _need(self, value, what: str):
        if value is None:
            pytest.skip(f"no {what} for this record")
        return value

    # ---- another district: nothing

    def test_list_of_another_district_shows_no_foreign_rows(self, client, make_user):
        self._need(self.list_url, "list page")
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        self._client_for(client, make_user, self.role, FOREIGN_DISTRICT)
        assert self.row_marker(obj) not in self._list(client)

    def test_detail_of_another_district_is_404(self, client, make_user):
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        url = self._need(self.detail_url_for(obj), "detail page")
        self._client_for(client, make_user, self.role, FOREIGN_DISTRICT)
        assert client.get(url).status_code == 404

    def test_api_list_of_another_district_is_empty(self, client, make_user):
        self._need(self.api_list_url, "API list")
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        self._client_for(client, make_user, self.role, FOREIGN_DISTRICT)
        response = client.get(str(self.api_list_url))
        assert response.status_code == 200
        assert obj.pk not in self.api_ids(response.json())

    def test_api_detail_of_another_district_is_404(self, client, make_user):
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        url = self._need(self.api_detail_url_for(obj), "API detail")
        self._client_for(client, make_user, self.role, FOREIGN_DISTRICT)
        assert client.get(url).status_code == 404

    # ---- another township of the same district: nothing either

    def test_detail_of_another_township_is_404(self, client, make_user):
        if not self.check_townships:
            pytest.skip("district-level record")
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        url = self._need(self.detail_url_for(obj) or self.api_detail_url_for(obj), "detail")
        self._client_for(client, make_user, self.township_role, SIBLING_TOWNSHIP)
        assert client.get(url).status_code == 404

    def test_list_of_another_township_shows_no_foreign_rows(self, client, make_user):
        if not self.check_townships:
            pytest.skip("district-level record")
        self._need(self.list_url, "list page")
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        self._client_for(client, make_user, self.township_role, SIBLING_TOWNSHIP)
        assert self.row_marker(obj) not in self._list(client)

    # ---- the owner sees it (so the tests above cannot pass by showing nothing to anyone)

    def test_owner_district_sees_the_row_in_the_list(self, client, make_user):
        self._need(self.list_url, "list page")
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        self._client_for(client, make_user, self.role, OWN_DISTRICT)
        assert self.row_marker(obj) in self._list(client)

    def test_owner_district_opens_the_detail(self, client, make_user):
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        url = self._need(self.detail_url_for(obj), "detail page")
        self._client_for(client, make_user, self.role, OWN_DISTRICT)
        assert client.get(url).status_code == 200

    def test_owner_district_gets_the_row_from_the_api(self, client, make_user):
        self._need(self.api_list_url, "API list")
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        self._client_for(client, make_user, self.role, OWN_DISTRICT)
        response = client.get(str(self.api_list_url))
        assert response.status_code == 200
        assert obj.pk in self.api_ids(response.json())

    def test_owner_district_gets_the_api_detail(self, client, make_user):
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        url = self._need(self.api_detail_url_for(obj), "API detail")
        self._client_for(client, make_user, self.role, OWN_DISTRICT)
        assert client.get(url).status_code == 200

    def test_owner_township_opens_the_detail(self, client, make_user):
        if not self.check_townships:
            pytest.skip("district-level record")
        obj = self.make_object(OWN_DISTRICT, OWN_TOWNSHIP)
        url = self._need(self.detail_url_for(obj) or self.api_detail_url_for(obj), "detail")
        self._client_for(client, make_user, self.township_role, OWN_TOWNSHIP)
        assert client.get(url).status_code == 200
