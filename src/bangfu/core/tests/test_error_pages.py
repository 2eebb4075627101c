"""The 404 and 500 pages are Chinese (English when chosen), the 404 with the user's menu."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import path

pytestmark = pytest.mark.django_db


def test_an_unknown_page_is_a_chinese_404_with_the_menu(client, make_user):
    client.force_login(make_user())
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page and "Not Found" not in page
    assert 'class="sidenav"' in page and "务工监测" in page


def test_the_404_page_in_english(client, make_user):
    client.force_login(make_user())
    client.cookies["django_language"] = "en"
    page = client.get("/no-such-page/").content.decode()
    assert "Page not found" in page and "页面不存在" not in page


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom)]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_is_a_chinese_500_page(make_user):
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统错误" in page and "Server Error" not in page
