"""The worker's pages: no login, validated input, rate limits, CSRF, a status page that needs
both the case number and the phone, and nothing typed rendered unescaped."""

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.arrears.models import ArrearsCase, CaseAttachment
from bangfu.arrears.tests.factories import file_case, id_number, phone

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def form_data(**overrides):
    data = {
        "worker_name": "李四", "id_number": id_number(), "phone": phone(), "employer_name": "东莞某某电子厂",
        "employer_credit_code": "", "province": "44", "city": "4419", "work_address": "长安镇",
        "is_construction": "0", "project_name": "", "period_start": "2026-04", "period_end": "2026-06",
        "amount_owed": "8,600", "workers_affected": "1", "description": "三个月工资未发", "agree": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_complaint_page_opens_without_login_and_carries_a_csrf_token(client):
    response = client.get(reverse("arrears:complaint"))
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert "欠薪投诉".encode() in response.content


def test_a_valid_complaint_gives_a_case_number_routed_to_the_right_office(client, offices):
    response = client.post(reverse("arrears:complaint"), form_data())
    assert response.status_code == 302
    case = ArrearsCase.objects.get()
    assert (case.office.code, case.amount_owed_fen, case.channel) == ("DG", 860_000, "public")
    receipt = client.get(response["Location"])
    assert case.number.encode() in receipt.content
    assert "重庆市驻东莞劳务办事处".encode() in receipt.content


def test_the_receipt_page_shows_nothing_to_another_browser(client, offices):
    client.post(reverse("arrears:complaint"), form_data())
    other = Client()
    response = other.get(reverse("arrears:complaint_done"))
    assert response.status_code == 302


@pytest.mark.parametrize("field, value, message", [
    ("id_number", "500230198005010010", "证件号码校验位错误"),
    ("phone", "1380013800", "请填写11位手机号码"),
    ("period_end", "2026-01", "欠薪起始月不能晚于截止月"),
    ("amount_owed", "-5", "请填写欠薪金额"),
    ("city", "3301", "所选城市不属于所选省份"),
    ("agree", "", "请确认所填信息真实"),
])
def test_bad_input_is_refused_with_a_chinese_reason(client, offices, field, value, message):
    response = client.post(reverse("arrears:complaint"), form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ArrearsCase.objects.exists()


def test_chongqing_needs_a_district(client, offices):
    response = client.post(reverse("arrears:complaint"), form_data(province="50", city=""))
    assert "请选择区县" in response.content.decode()


def test_pictures_are_accepted_as_evidence(client, offices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("工资条.png", PNG, content_type="image/png")
    client.post(reverse("arrears:complaint"), {**form_data(), "attachments": [upload]})
    attachment = CaseAttachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.extension) == ("工资条.png", "image/png", "png")
    assert "工资条" not in attachment.file.name  # stored under a random name


def test_a_program_disguised_as_a_picture_is_refused(client, offices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/jpeg")
    response = client.post(reverse("arrears:complaint"), {**form_data(), "attachments": [upload]})
    assert "不是允许的类型" in response.content.decode()
    assert not ArrearsCase.objects.exists()


def test_an_attachment_over_the_size_limit_is_refused(client, offices, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.BANGFU = {**settings.BANGFU, "ARREARS_ATTACHMENT_MAX_BYTES": 1024 * 1024}
    upload = SimpleUploadedFile("big.png", PNG + b"\x00" * (1024 * 1024), content_type="image/png")
    response = client.post(reverse("arrears:complaint"), {**form_data(), "attachments": [upload]})
    assert "超过 1 MB" in response.content.decode()


def test_a_post_without_the_csrf_token_is_refused(offices):
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("arrears:complaint"), form_data())
    assert response.status_code == 403
    assert not ArrearsCase.objects.exists()


def test_floods_from_one_address_are_stopped(client, offices, settings):
    settings.BANGFU = {**settings.BANGFU, "ARREARS_RATE_LIMITS": {"complaint_ip": (2, 3600)}}
    codes = [client.post(reverse("arrears:complaint"), form_data()).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert ArrearsCase.objects.count() == 2


def test_floods_with_one_phone_are_stopped_whatever_the_address(offices, settings):
    settings.BANGFU = {**settings.BANGFU, "ARREARS_RATE_LIMITS": {"complaint_phone": (1, 86400)}}
    same = phone()
    first = Client(REMOTE_ADDR="10.0.0.1").post(reverse("arrears:complaint"), form_data(phone=same))
    second = Client(REMOTE_ADDR="10.0.0.2").post(reverse("arrears:complaint"), form_data(phone=same))
    assert (first.status_code, second.status_code) == (302, 429)


def test_the_hidden_field_filled_by_bots_files_nothing(client, offices):
    client.post(reverse("arrears:complaint"), form_data(website="http://spam.example"))
    assert not ArrearsCase.objects.exists()


def test_the_status_page_shows_the_case_to_whoever_holds_number_and_phone(client, offices):
    worker_phone = phone()
    case = file_case(phone=worker_phone, work_place_code="4403").case
    response = client.post(reverse("arrears:status"), {"number": case.number.lower(), "phone": worker_phone})
    body = response.content.decode()
    assert response.status_code == 200
    assert "已登记待受理" in body and "重庆市驻深圳劳务办事处" in body


def test_the_status_page_shows_nothing_without_the_right_phone(client, offices):
    case = file_case(phone=phone(), worker_name="张三丰").case
    response = client.post(reverse("arrears:status"), {"number": case.number, "phone": phone()})
    body = response.content.decode()
    assert response.status_code == 404
    assert "未找到案件" in body and "张三丰" not in body and "已登记待受理" not in body


def test_the_status_page_shows_nothing_for_another_case_with_my_phone(client, offices):
    mine = phone()
    file_case(phone=mine)
    other = file_case(phone=phone()).case
    response = client.post(reverse("arrears:status"), {"number": other.number, "phone": mine})
    assert response.status_code == 404


def test_guessing_phones_from_one_address_is_stopped(client, offices, settings):
    settings.BANGFU = {**settings.BANGFU, "ARREARS_RATE_LIMITS": {"status_miss_ip": (3, 600)}}
    worker_phone = phone()
    case = file_case(phone=worker_phone).case
    codes = [client.post(reverse("arrears:status"), {"number": case.number, "phone": phone()}).status_code
             for _ in range(4)]
    assert codes == [404, 404, 404, 429]
    response = client.post(reverse("arrears:status"), {"number": case.number, "phone": worker_phone})
    assert response.status_code == 429  # this address is stopped, whatever it types now


def test_what_a_complainant_types_is_never_rendered_unescaped(client, offices, make_user):
    script = '<script>alert("x")</script>'
    case = file_case(worker_name="王<b>五", employer_name=f"坏公司{script}", description=script,
                     work_address=f'"><img src=x onerror=alert(1)>').case
    client.force_login(make_user("city_admin", "50"))
    for url in (reverse("arrears:case_detail", args=[case.number]), reverse("arrears:index")):
        body = client.get(url).content.decode()
        assert script not in body and "<img src=x" not in body and "王<b>五" not in body
        assert "&lt;script&gt;" in body
