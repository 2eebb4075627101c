"""Issue 9, finding 3: a complaint is read only by whoever filed it.

The employer who owes the wages knows the worker's ID number and its own name. Filing with
those and its own phone must show it nothing of the worker's complaint: not the number, not
its progress, not even that it exists; and its guesses must not lock the worker out.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.arrears import choices as c
from bangfu.arrears.models import ArrearsCase
from bangfu.arrears.services import case_transition
from bangfu.arrears.tests.factories import file_case, id_number, phone
from bangfu.arrears.tests.test_public_views import form_data

pytestmark = pytest.mark.django_db
API = "/api/v1/arrears"
EMPLOYER = "东莞某某电子厂"


def _strip_tokens(html: str) -> str:
    """A page without its CSRF tokens (masked anew on every response)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


@pytest.fixture
def victim(offices):
    """The worker's own complaint against the employer, filed on the public page."""
    worker_id, worker_phone = id_number(), phone()
    response = Client(REMOTE_ADDR="10.1.0.1").post(
        reverse("arrears:complaint"), form_data(id_number=worker_id, phone=worker_phone, employer_name=EMPLOYER))
    assert response.status_code == 302
    case = ArrearsCase.objects.get()
    return case, worker_id, worker_phone


def _employer_files(victim_id: str, own_phone: str) -> tuple[Client, ArrearsCase, str]:
    employer = Client(REMOTE_ADDR="10.2.0.1")
    response = employer.post(reverse("arrears:complaint"),
                             form_data(id_number=victim_id, phone=own_phone, employer_name=EMPLOYER))
    assert response.status_code == 302
    receipt = employer.get(response["Location"]).content.decode()
    return employer, ArrearsCase.objects.latest("id"), receipt


def test_the_employer_filing_with_the_victim_s_id_sees_only_its_own_new_number(victim):
    original, worker_id, _ = victim
    _, repeat, receipt = _employer_files(worker_id, phone())
    assert repeat.duplicate_of == original  # the officers still get the link
    assert repeat.number in receipt
    assert original.number not in receipt
    assert "并案" not in receipt and "之前的投诉" not in receipt


def test_a_repeat_s_receipt_reads_exactly_like_a_new_complaint_s(victim):
    _, worker_id, _ = victim
    _, repeat, repeat_receipt = _employer_files(worker_id, phone())
    _, fresh, fresh_receipt = _employer_files(id_number(), phone())
    assert fresh.state == "received" and repeat.state == "linked"
    assert (_strip_tokens(repeat_receipt).replace(repeat.number, "N")
            == _strip_tokens(fresh_receipt).replace(fresh.number, "N"))


def test_the_original_case_with_the_stranger_s_phone_is_not_found_like_a_wrong_number(victim):
    original, worker_id, _ = victim
    stranger_phone = phone()
    _employer_files(worker_id, stranger_phone)
    asker = Client(REMOTE_ADDR="10.3.0.1")
    random_phone = phone()
    with_stranger = asker.post(reverse("arrears:status"), {"number": original.number, "phone": stranger_phone})
    with_random = asker.post(reverse("arrears:status"), {"number": original.number, "phone": random_phone})
    assert with_stranger.status_code == with_random.status_code == 404
    # The same page, but for the phone typed (the form shows it back).
    assert (_strip_tokens(with_stranger.content.decode()).replace(stranger_phone, "P")
            == _strip_tokens(with_random.content.decode()).replace(random_phone, "P"))
    assert "未找到案件" in with_stranger.content.decode()


def test_the_api_answers_the_stranger_s_phone_on_the_original_exactly_like_a_wrong_one(victim, client):
    original, worker_id, _ = victim
    stranger_phone = phone()
    _employer_files(worker_id, stranger_phone)

    def ask(p):
        return client.post(f"{API}/public/status", json.dumps({"number": original.number, "phone": p}),
                           content_type="application/json")

    with_stranger, with_random = ask(stranger_phone), ask(phone())
    assert with_stranger.status_code == with_random.status_code == 404
    assert with_stranger.json() == with_random.json()


def test_the_repeat_s_own_status_shows_nothing_of_the_original_s_progress(victim, make_user):
    original, worker_id, _ = victim
    stranger_phone = phone()
    _, repeat, _ = _employer_files(worker_id, stranger_phone)
    case_transition(case=original, to_state=c.State.ACCEPTED, actor=make_user("city_admin", "50"), note="")
    body = Client(REMOTE_ADDR="10.2.0.1").post(
        reverse("arrears:status"), {"number": repeat.number, "phone": stranger_phone}).content.decode()
    assert repeat.number in body and "已登记待受理" in body
    assert original.number not in body
    assert "已受理" not in body.replace("已登记待受理", "") and "并案" not in body


def test_the_worker_still_follows_the_original_with_their_own_phone(victim):
    original, worker_id, worker_phone = victim
    _employer_files(worker_id, phone())
    body = Client(REMOTE_ADDR="10.1.0.1").post(
        reverse("arrears:status"), {"number": original.number, "phone": worker_phone}).content.decode()
    assert original.number in body and "已登记待受理" in body
    assert "重复投诉" not in body  # the link is for officers only


def test_the_public_api_answers_a_repeat_with_its_own_number_only(offices, client):
    worker_id = id_number()
    original = file_case(id_number=worker_id, employer_name="杭州某某服装厂", period_start="2026-02",
                         period_end="2026-05").case
    payload = {"worker_name": "陈七", "id_number": worker_id, "phone": phone(), "employer_name": "杭州某某服装厂",
               "work_place_code": "3301", "period_start": "2026-02", "period_end": "2026-05",
               "amount_owed_yuan": "1000", "workers_affected": 1, "description": ""}
    response = client.post(f"{API}/public/complaints", json.dumps(payload), content_type="application/json")
    body = response.json()
    assert response.status_code == 201
    assert ArrearsCase.objects.get(number=body["number"]).duplicate_of == original
    assert original.number not in json.dumps(body)
    assert set(body) == {"number", "office_name", "office_phone", "accept_due"}


def test_officers_see_the_link_on_their_pages_and_api(victim, client, make_user):
    original, worker_id, _ = victim
    _, repeat, _ = _employer_files(worker_id, phone())
    client.force_login(make_user("city_admin", "50"))
    page = client.get(reverse("arrears:case_detail", args=[repeat.number])).content.decode()
    assert original.number in page
    assert client.get(f"{API}/cases/{repeat.number}").json()["duplicate_of"] == original.number
    history = client.get(f"{API}/cases/{original.number}").json()["events"]
    assert any(repeat.number in event["note"] for event in history)


def test_ten_wrong_phones_from_one_address_do_not_lock_the_worker_out_from_another(victim):
    original, _, worker_phone = victim
    attacker = Client(REMOTE_ADDR="10.6.6.6")
    codes = [attacker.post(reverse("arrears:status"), {"number": original.number, "phone": phone()}).status_code
             for _ in range(12)]
    assert codes[:10] == [404] * 10 and codes[10:] == [429, 429]  # the address is stopped...
    worker = Client(REMOTE_ADDR="10.1.0.1")
    response = worker.post(reverse("arrears:status"), {"number": original.number, "phone": worker_phone})
    assert response.status_code == 200 and original.number in response.content.decode()  # ...not the case


def test_wrong_phones_through_the_api_do_not_lock_the_worker_out_either(victim):
    original, _, worker_phone = victim

    def ask(client, p):
        return client.post(f"{API}/public/status", json.dumps({"number": original.number, "phone": p}),
                           content_type="application/json").status_code

    attacker = Client(REMOTE_ADDR="10.6.6.7")
    assert [ask(attacker, phone()) for _ in range(11)][-1] == 429
    assert ask(Client(REMOTE_ADDR="10.1.0.9"), worker_phone) == 200
