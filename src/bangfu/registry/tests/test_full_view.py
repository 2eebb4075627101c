"""The full ID number, phone and birth date: shown only on an audited reveal, never elsewhere,
not even to an officer who holds ``pii.view_full`` (the API has no full view at all)."""

import pytest
from django.urls import reverse

from bangfu.core.capabilities import Capability
from bangfu.core.models import AuditLog
from bangfu.registry.tests import id_candidates as ic
from bangfu.registry.tests.factories import FENGDU, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client, make_user):
    user = make_user(role="district_officer", area_code=FENGDU)
    assert user.has_capability(Capability.VIEW_FULL_PII)
    client.force_login(user)
    return client


def _full_values(person) -> list[str]:
    return [person.id_number, person.phone, *ic.date_spellings(person.birth_date)]


def test_no_page_api_or_export_shows_a_full_value_before_the_reveal(officer):
    person = PersonFactory(phone="13700006666")
    responses = [
        officer.get("/api/v1/registry/persons"),
        officer.get(f"/api/v1/registry/persons/{person.pk}"),
        officer.post("/api/v1/registry/persons/search", {"phone": person.phone}, content_type="application/json"),
        officer.get(reverse("registry:person_list")),
        officer.get(reverse("registry:person_detail", args=[person.pk])),
        officer.get(reverse("jobs:worker", args=[person.pk])),
    ]
    assert [r.status_code for r in responses] == [200] * 6
    texts = [r.content.decode() for r in responses]
    texts.append(ic.xlsx_text(officer.get(reverse("registry:person_export")).content))
    for text in texts:
        assert not [v for v in _full_values(person) if v in text]
    assert not AuditLog.objects.filter(action="person.view_full_pii").exists()


def test_the_reveal_shows_number_phone_and_birth_date_and_audits_without_them(officer):
    person = PersonFactory(phone="13700007777")
    html = officer.post(reverse("registry:person_reveal_pii", args=[person.pk]),
                        HTTP_HX_REQUEST="true").content.decode()
    assert person.id_number in html and person.phone in html and f"{person.birth_date:%Y-%m-%d}" in html
    log = AuditLog.objects.get(action="person.view_full_pii")
    assert (log.object_id, log.detail) == (str(person.pk), {"fields": ["id_number", "phone"]})
    assert not [v for v in _full_values(person) if v in str(log.detail)]


def test_the_reveal_without_htmx_renders_the_whole_page_with_the_full_values(officer):
    person = PersonFactory()
    html = officer.post(reverse("registry:person_reveal_pii", args=[person.pk])).content.decode()
    assert person.id_number in html and f"{person.birth_date:%Y-%m-%d}" in html
    assert AuditLog.objects.filter(action="person.view_full_pii").count() == 1


def test_a_broker_cannot_reveal_an_arrears_complaint_and_leaves_no_audit_row(client, make_user):
    from bangfu.arrears.tests.factories import file_case

    case = file_case(work_place_code=FENGDU).case
    client.force_login(make_user(role="broker", area_code=FENGDU))
    response = client.post(reverse("arrears:case_reveal", args=[case.number]), follow=True)
    html = response.content.decode()
    assert "您没有查看完整证件号码和电话的权限" in html  # refused, back on the case page
    assert case.id_number not in html and case.phone not in html
    assert not AuditLog.objects.filter(action="arrears_case.view_full_pii").exists()


def test_the_admin_shows_the_age_not_the_birth_date(client, make_user):
    person = PersonFactory()
    client.force_login(make_user(role="city_admin", area_code="50", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:registry_person_change", args=[person.pk])).content.decode()
    assert person.name in html
    assert not [v for v in _full_values(person) if v in html]
