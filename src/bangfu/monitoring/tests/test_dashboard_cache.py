"""The dashboard is remembered per process until the fill writes the KPI tables again."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bangfu.core.pagecache import CSRF_PLACEHOLDER, pages
from bangfu.monitoring.models import KpiArea
from bangfu.monitoring.tests.factories import kpi_done, kpi_township_world
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU

pytestmark = pytest.mark.django_db

URL = "/monitoring/?month=2024-09"


def queries(client, url: str = URL) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_a_second_visit_reads_the_kpi_tables_no_more(client, make_user):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    client.force_login(make_user())
    first, page = queries(client)
    again, same = queries(client)
    assert "81,300" in page and "81,300" in same
    assert again <= first - 5


def test_the_dashboard_shows_new_figures_once_the_fill_has_written_them(client, make_user):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    client.force_login(make_user())
    assert "81,300" in queries(client)[1]
    KpiArea.objects.filter(month="2024-09", area_code="50").update(employment_scale=82468)
    kpi_done("2024-09")  # what the fill does after writing a month
    page = queries(client)[1]
    assert "82,468" in page and "81,300" not in page


def test_a_remembered_dashboard_is_never_shown_outside_the_users_area(client, make_user):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    city = make_user()
    client.force_login(city)
    assert client.get(f"{URL}&area={FENGDU}").status_code == 200
    client.force_login(make_user(role="district_officer", area_code=WANZHOU))
    assert client.get(f"{URL}&area={FENGDU}").status_code == 404


# -- the rendered page (core.pagecache) ------------------------------------------------------
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_second_visit_is_sent_from_the_page_cache_with_its_own_csrf_token(make_user):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    first = client.get(URL).content.decode()
    hits = pages.hits
    with CaptureQueriesContext(connection) as captured:
        second = client.get(URL).content.decode()
    assert pages.hits == hits + 1
    assert len(captured.captured_queries) <= 4  # session, user, versions (and a savepoint)
    assert CSRF_PLACEHOLDER not in first and CSRF_PLACEHOLDER not in second
    token = CSRF_INPUT.search(second).group(1)
    assert token != CSRF_INPUT.search(first).group(1)  # each answer masks the token anew
    assert f'"X-CSRFToken": "{token}"' in second
    # the token of the remembered page is accepted by a form post (the logout form of the menu)
    response = client.post("/accounts/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code in (200, 302)


def test_a_remembered_page_is_not_sent_to_another_user_nor_in_another_language(client, make_user):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    client.force_login(make_user(username="city1"))
    client.get(f"{URL}&area={FENGDU}")
    client.force_login(make_user(role="district_officer", area_code=FENGDU, username="fengdu1"))
    page = client.get(f"{URL}&area={FENGDU}").content.decode()
    assert "fengdu1" in page and "city1" not in page
    misses = pages.misses
    client.get(f"{URL}&area={FENGDU}", HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    english = client.get(f"{URL}&area={FENGDU}").content.decode()
    assert pages.misses > misses
    assert "Employment" in english or "employment" in english


def test_a_flash_message_is_shown_on_a_fresh_page_not_a_remembered_one(client, make_user):
    kpi_township_world(FENGDU, FENGDU_TOWNSHIP)
    client.force_login(make_user())
    client.get(URL)
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(20, "已保存测试消息")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get(URL).content.decode()
    assert "已保存测试消息" in page
    assert "已保存测试消息" not in client.get(URL).content.decode()  # shown once, as before
