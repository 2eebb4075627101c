"""系统管理: the system pages in one menu group, each shown to whoever may open it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SYSTEM_PAGES = ["accounts:user_list", "accounts:role_list", "accounts:area_tree", "core:notice_list",
                "core:parameters", "core:dictionaries", "core:schedule", "core:audit_log", "core:login_log"]


def _group(html: str) -> str:
    found = re.search(r'<details class="navgroup"[^>]*>(.*?)</details>', html, re.S)
    return found.group(1) if found else ""


def test_the_city_administrator_finds_every_system_page_in_the_group(client, make_user):
    client.force_login(make_user())
    group = _group(client.get(reverse("home")).content.decode())
    assert "系统管理" in group
    for name in SYSTEM_PAGES:
        assert f'href="{reverse(name)}"' in group, name
        assert client.get(reverse(name)).status_code == 200, name


def test_the_group_opens_on_a_system_page(client, make_user):
    client.force_login(make_user())
    html = client.get(reverse("accounts:role_list")).content.decode()
    assert '<details class="navgroup" open>' in html


def test_a_broker_sees_only_the_pages_open_to_everyone(client, make_user):
    client.force_login(make_user("broker", "500230"))
    group = _group(client.get(reverse("home")).content.decode())
    assert reverse("core:parameters") in group and reverse("core:dictionaries") in group
    for name in ["accounts:user_list", "accounts:role_list", "core:notice_list", "core:audit_log"]:
        assert reverse(name) not in group, name


def test_an_out_of_town_office_has_the_arrears_desk_and_no_registry_in_the_menu(client, make_user):
    client.force_login(make_user("outpost_officer", "50"))
    html = client.get(reverse("home")).content.decode()
    nav = html.split('class="sidenav"')[1].split("</nav>")[0]
    assert reverse("arrears:index") in nav
    for name in ["registry:person_list", "monitoring:dashboard", "policies:index", "jobs:index"]:
        assert reverse(name) not in nav, name
