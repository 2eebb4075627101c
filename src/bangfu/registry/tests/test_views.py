import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.core.models import AuditLog
from bangfu.core.testing import AreaIsolationCases
from bangfu.registry.tests.factories import (
    FENGDU,
    FENGDU_TOWNSHIP,
    WANZHOU,
    WANZHOU_TOWNSHIP,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

OTHER_FENGDU_TOWNSHIP = "500230102"


class TestPersonAreaIsolation(AreaIsolationCases):
    list_url = "/registry/persons/"
    api_list_url = "/api/v1/registry/persons"

    def make_object(self, district_code, township_code):
        return PersonFactory(district_code=district_code, township_code=township_code,
                             name=f"隔离{district_code}{township_code[-3:]}")

    def detail_url_for(self, obj):
        return reverse("registry:person_detail", args=[obj.pk])

    def api_detail_url_for(self, obj):
        return f"/api/v1/registry/persons/{obj.pk}"


@pytest.fixture
def officer_client(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    return client


def list_html(client, **params) -> str:
    response = client.get(reverse("registry:person_list"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_person_list_masks_id_numbers_and_phones(officer_client):
    person = PersonFactory(phone="13812345678")
    html = list_html(officer_client)
    assert person.id_number not in html
    assert person.id_number_masked in html
    assert "13812345678" not in html
    assert "138****5678" in html


def test_person_list_filters_by_township(officer_client):
    PersonFactory(name="甲镇人", township_code=FENGDU_TOWNSHIP)
    PersonFactory(name="乙镇人", township_code=OTHER_FENGDU_TOWNSHIP)
    html = list_html(officer_client, township=OTHER_FENGDU_TOWNSHIP)
    assert "乙镇人" in html and "甲镇人" not in html


def test_person_list_filters_by_category_and_labour_ability(officer_client):
    PersonFactory(name="监测对象", category="monitored", labour_ability="skilled")
    PersonFactory(name="脱贫普通", category="alleviated", labour_ability="ordinary")
    html = list_html(officer_client, category="monitored", labour_ability="skilled")
    assert "监测对象" in html and "脱贫普通" not in html


def test_person_list_filters_workers_and_non_workers(officer_client):
    PersonFactory(name="青壮年", birth_date=dt.date(1990, 1, 1), labour_ability="ordinary")
    PersonFactory(name="老年人", birth_date=dt.date(1940, 1, 1), labour_ability="ordinary")
    assert "老年人" not in list_html(officer_client, worker="yes")
    html = list_html(officer_client, worker="no")
    assert "老年人" in html and "青壮年" not in html


def test_person_list_finds_a_person_by_full_id_number_posted_not_put_in_the_url(officer_client):
    wanted = PersonFactory(name="要找的人")
    PersonFactory(name="别的人")
    response = officer_client.post(reverse("registry:person_list"), {"q": wanted.id_number})
    assert response.status_code == 302
    assert wanted.id_number not in response["Location"] and "qh=" in response["Location"]
    html = officer_client.get(response["Location"]).content.decode()
    assert "要找的人" in html and "别的人" not in html
    assert wanted.id_number not in html


def test_person_list_refuses_a_full_id_number_in_the_url(officer_client):
    wanted = PersonFactory(name="要找的人")
    response = officer_client.get(reverse("registry:person_list"), {"q": wanted.id_number, "category": "alleviated"})
    assert response.status_code == 302 and wanted.id_number not in response["Location"]
    assert response["Location"].endswith("?category=alleviated")
    html = officer_client.get(response["Location"]).content.decode()
    assert "不能放在网址中" in html
    assert wanted.id_number not in html  # not echoed into the search box, paging or language links


def test_person_list_ignores_an_unknown_filter_value_instead_of_failing(officer_client):
    PersonFactory(name="照常显示")
    assert "照常显示" in list_html(officer_client, category="nonsense", page="abc")


def test_person_list_pages_by_fifty_and_keeps_the_filter_in_the_links(officer_client):
    PersonFactory.create_batch(51, category="monitored")
    html = list_html(officer_client, category="monitored")
    assert html.count("/registry/persons/") >= 50
    assert "category=monitored&amp;page=2" in html
    html2 = list_html(officer_client, category="monitored", page=2)
    assert html2.count('class="tag orange"') == 1


def test_township_options_follow_the_chosen_district(officer_client):
    response = officer_client.get(reverse("registry:township_options"), {"district": FENGDU})
    html = response.content.decode()
    assert "虎威镇" in html and "高笋塘街道" not in html


def test_township_options_outside_the_users_area_are_empty(officer_client):
    response = officer_client.get(reverse("registry:township_options"), {"district": WANZHOU})
    assert WANZHOU_TOWNSHIP not in response.content.decode()


def test_export_writes_masked_rows_with_chinese_headers_and_an_audit_row(officer_client):
    person = PersonFactory(name="导出人", phone="13912345678", category="monitored")
    PersonFactory(name="不导出", category="alleviated")
    response = officer_client.get(reverse("registry:person_export"), {"category": "monitored"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("户编号", "姓名", "性别")
    assert [r[1] for r in rows[1:]] == ["导出人"]
    flat = " ".join(str(v) for v in rows[1] if v is not None)
    assert person.id_number not in flat and person.id_number_masked in flat
    assert "139****5678" in flat and "13912345678" not in flat
    log = AuditLog.objects.get(action="person.export")
    assert log.detail == {"rows": 1, "filters": {"category": "monitored"}}


def test_export_of_a_hashed_search_exports_that_person_and_audits_no_value(officer_client):
    person = PersonFactory(name="要导出")
    PersonFactory(name="不导出")
    location = officer_client.post(reverse("registry:person_list"), {"q": person.id_number})["Location"]
    query = location.split("?", 1)[1]
    response = officer_client.get(reverse("registry:person_export") + "?" + query)
    names = [r[1] for r in list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[1:]]
    assert names == ["要导出"]
    log = AuditLog.objects.get(action="person.export")
    assert person.id_number not in str(log.detail) and person.id_number_hash not in str(log.detail)


def test_export_with_a_full_id_number_in_the_url_is_refused_not_widened(officer_client):
    person = PersonFactory()
    response = officer_client.get(reverse("registry:person_export"), {"q": person.id_number}, follow=True)
    assert "不能放在网址中" in response.content.decode()
    assert not AuditLog.objects.filter(action="person.export").exists()


def test_a_large_export_is_built_in_the_background_kept_encrypted_and_only_its_author_downloads_it(
        officer_client, settings, client, make_user):
    from bangfu.core.background import file_path
    from bangfu.core.models import BackgroundTask

    settings.BANGFU = {**settings.BANGFU, "EXPORT_BACKGROUND_ROWS": 2}
    PersonFactory.create_batch(3, category="monitored")
    PersonFactory(name="不导出", category="alleviated")
    response = officer_client.get(reverse("registry:person_export"), {"category": "monitored"})
    task = BackgroundTask.objects.get(kind="person_export")
    download = reverse("core:task_download", args=[task.pk])
    assert response.status_code == 302 and response.url == download  # tests run the work in the request
    stored = file_path(task.pk).read_bytes()
    assert not stored.startswith(b"PK")  # the xlsx (a zip) is not on disk in the clear
    got = officer_client.get(download)
    assert got["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(got.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3 and "不导出" not in [r[1] for r in rows]
    assert AuditLog.objects.get(action="person.export").detail["rows"] == 3
    client.force_login(make_user(role="city_admin"))
    assert client.get(download).status_code == 404
    # at the threshold the file comes at once, as before
    settings.BANGFU = {**settings.BANGFU, "EXPORT_BACKGROUND_ROWS": 3}
    at_once = officer_client.get(reverse("registry:person_export"), {"category": "monitored"})
    assert at_once.status_code == 200 and BackgroundTask.objects.count() == 1


def test_export_over_the_limit_is_refused_with_a_message(officer_client, settings):
    settings.BANGFU = {**settings.BANGFU, "EXPORT_MAX_ROWS": 1}
    PersonFactory.create_batch(2)
    response = officer_client.get(reverse("registry:person_export"), follow=True)
    assert "导出条数超过上限" in response.content.decode()
    assert not AuditLog.objects.filter(action="person.export").exists()


def test_person_detail_shows_household_members_masked(officer_client):
    head = PersonFactory(name="户主甲")
    spouse = PersonFactory(name="配偶乙", household=head.household, relation="spouse")
    html = officer_client.get(reverse("registry:person_detail", args=[head.pk])).content.decode()
    assert "配偶乙" in html
    assert spouse.id_number not in html and head.id_number not in html


def test_revealing_the_full_id_number_writes_an_audit_row(officer_client):
    person = PersonFactory(phone="13700001111")
    response = officer_client.post(reverse("registry:person_reveal_pii", args=[person.pk]),
                                   HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert person.id_number in html and "13700001111" in html
    log = AuditLog.objects.get(action="person.view_full_pii")
    assert log.object_id == str(person.pk)
    assert person.id_number not in str(log.detail)


def test_revealing_the_full_id_number_needs_the_capability(client, make_user):
    client.force_login(make_user(role="broker", area_code=FENGDU))
    person = PersonFactory()
    detail = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "显示完整证件号码" not in detail
    response = client.post(reverse("registry:person_reveal_pii", args=[person.pk]))
    assert response.status_code == 403
    assert not AuditLog.objects.filter(action="person.view_full_pii").exists()


def test_revealing_is_post_only(officer_client):
    person = PersonFactory()
    response = officer_client.get(reverse("registry:person_reveal_pii", args=[person.pk]))
    assert response.status_code == 405


def test_revealing_a_person_of_another_district_is_404(client, make_user):
    client.force_login(make_user(role="district_officer", area_code=WANZHOU))
    person = PersonFactory()
    response = client.post(reverse("registry:person_reveal_pii", args=[person.pk]))
    assert response.status_code == 404
    assert not AuditLog.objects.exists()


def test_pages_need_a_login(client):
    response = client.get(reverse("registry:person_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_shows_the_counts_of_the_users_area(client, make_user):
    from django.core.cache import cache

    cache.clear()
    PersonFactory.create_batch(3, birth_date=dt.date(1990, 1, 1))
    PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    client.force_login(make_user(role="district_officer", area_code=FENGDU))
    html = client.get(reverse("home")).content.decode()
    assert "脱贫劳动力" in html
    assert '<div class="value">3<small>' in html


def test_person_list_renders_in_english(officer_client):
    PersonFactory()
    officer_client.cookies["django_language"] = "en"
    html = list_html(officer_client)
    assert "Person registry" in html


@pytest.mark.browser
def test_officer_filters_by_township_and_reveals_an_id_in_the_browser(page, live_url, make_user,
                                                                      test_password):
    officer = make_user(role="district_officer", area_code=FENGDU)
    wanted = PersonFactory(name="浏览器甲", township_code=OTHER_FENGDU_TOWNSHIP)
    PersonFactory(name="浏览器乙", township_code=FENGDU_TOWNSHIP)
    page.goto(live_url + "/accounts/login/")
    page.fill("input[name=username]", officer.username)
    page.fill("input[name=password]", test_password)
    page.click("button.primary")
    page.goto(live_url + reverse("registry:person_list"))
    # htmx reloads the township options: the page may list them already, so wait for the answer
    # and its swap, or a slow answer would replace the select after the township was chosen
    with page.expect_response(lambda response: reverse("registry:township_options") in response.url):
        page.select_option("#id_district", FENGDU)
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.wait_for_selector(f"#id_township option[value='{OTHER_FENGDU_TOWNSHIP}']", state="attached")
    page.select_option("#id_township", OTHER_FENGDU_TOWNSHIP)
    page.click(".filters button.primary")
    page.wait_for_url(f"**township={OTHER_FENGDU_TOWNSHIP}**")
    assert page.locator("table.grid tbody").inner_text().count("浏览器") == 1
    page.click("text=浏览器甲")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=显示完整证件号码")
    page.wait_for_selector(".revealed")
    assert wanted.id_number in page.locator("#pii-block").inner_text()
    assert AuditLog.objects.filter(action="person.view_full_pii", object_id=str(wanted.pk)).exists()
