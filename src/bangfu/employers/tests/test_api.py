"""The employer register API: readable by every officer, never the corporate account."""

from __future__ import annotations

import pytest

from bangfu.employers.tests.factories import EmployerFactory
from bangfu.registry.tests.factories import FENGDU, WANZHOU

pytestmark = pytest.mark.django_db


def test_every_officer_reads_the_register_with_the_phone_masked_and_no_account(client, make_user):
    employer = EmployerFactory(with_account=True, contact_phone="13812345678", owner_area_code=WANZHOU)
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    items = client.get("/api/v1/employers/", {"q": employer.uscc}).json()["items"]
    assert [i["id"] for i in items] == [employer.pk]
    detail = client.get(f"/api/v1/employers/{employer.pk}")
    body = detail.content.decode()
    assert detail.json()["contact_phone"] == "138****5678" and detail.json()["has_bank_account"] is True
    assert "13812345678" not in body and employer.bank_account not in body
    assert client.get("/api/v1/employers/999999").status_code == 404


def test_the_register_needs_a_login(client):
    assert client.get("/api/v1/employers/").status_code == 401
