"""The insurance pages: area isolation of the gap list and the case lists, the export (masked,
real Excel), the follow-up form, and every page opening."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from bangfu.core.testing import AreaIsolationCases
from bangfu.insurance.models import CoverageFollowUp
from bangfu.insurance.tests.factories import (
    CoverageGapFactory, InjuryCaseFactory, OrderDeclarationFactory, UnemploymentContributionFactory,
)
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, PersonFactory


class TestCoverageGapAreaIsolation(AreaIsolationCases):
    list_url = "/insurance/?year=2024"
    api_list_url = "/api/v1/insurance/gaps"

    def make_object(self, district_code, township_code):
        person = PersonFactory(district_code=district_code, township_code=township_code, name="应保测试人")
        return CoverageGapFactory(person=person)

    def row_marker(self, obj):
        return obj.person.name

    def detail_url_for(self, obj):
        return reverse("insurance:gap", args=[obj.pk])

    def api_detail_url_for(self, obj):
        return f"/api/v1/insurance/gaps/{obj.pk}"


class TestInjuryCaseAreaIsolation(AreaIsolationCases):
    list_url = "/insurance/platforms/"
    api_list_url = "/api/v1/insurance/injury-cases"

    def api_detail_url_for(self, obj):
        return f"/api/v1/insurance/injury-cases/{obj.pk}"

    def make_object(self, district_code, township_code):
        return InjuryCaseFactory(district_code=district_code, township_code=township_code, worker_name="伤害测试人")

    def row_marker(self, obj):
        return obj.worker_name


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["index", "on_behalf", "platforms", "unemployment"])
def test_every_page_opens(client, make_user, name):
    client.force_login(make_user("city_admin", "50"))
    CoverageGapFactory()
    OrderDeclarationFactory()
    UnemploymentContributionFactory()
    assert client.get(reverse(f"insurance:{name}")).status_code == 200


@pytest.mark.django_db
def test_a_broker_gets_403(client, make_user):
    client.force_login(make_user("broker", FENGDU))
    assert client.get(reverse("insurance:index")).status_code == 403


@pytest.mark.django_db
def test_the_gap_export_is_masked_and_the_follow_up_is_recorded(client, make_user):
    person = PersonFactory(birth_date=dt.date(1990, 1, 1))
    gap = CoverageGapFactory(person=person)
    client.force_login(make_user("township_officer", FENGDU_TOWNSHIP))
    response = client.get(reverse("insurance:gaps_export") + "?year=2024")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == person.name and rows[1][1] == person.id_number[:6] + "*" * 12
    assert person.id_number not in str(rows)
    client.post(reverse("insurance:gap_follow_up", args=[gap.pk]), {"outcome": "contacted", "note": "已入户"})
    assert CoverageFollowUp.objects.get(gap=gap).note == "已入户"
    assert "已入户" in client.get(reverse("insurance:gap", args=[gap.pk])).content.decode()


@pytest.mark.django_db
def test_the_api_masks_the_id_number(client, make_user):
    gap = CoverageGapFactory()
    client.force_login(make_user("district_officer", FENGDU))
    body = client.get("/api/v1/insurance/gaps?year=2024").json()
    assert body["items"][0]["id_number_masked"] == gap.person.id_number[:6] + "*" * 12
    assert gap.person.id_number not in str(body)
