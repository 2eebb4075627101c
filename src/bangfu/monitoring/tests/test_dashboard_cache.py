"""The dashboard is remembered per process until the fill writes the KPI tables again."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
