"""The resumable KPI fill through Django: states, audit, restart after a kill, stale months.

The engine reads the database through its own connection, so these tests commit their data
(``transactional_db``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from bangfu.core.actors import SYSTEM
from bangfu.core.models import AuditLog
from bangfu.monitoring.models import KpiArea, KpiBreakdown, KpiFigure, KpiFillState
from bangfu.monitoring.services import FillError, employment_months_write, kpi_fill
from bangfu.monitoring.tests.factories import (
    EmploymentMonthFactory, HouseholdIncomeFactory, TargetFactory, birth,
)
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

YUZHONG, YUZHONG_TOWNSHIP = "500103", "500103001"


@pytest.fixture
def world():
    """Five workers: three in 丰都 (渝东北), one in 万州 (渝东北), one in 渝中 (主城); one child."""
    fengdu = [PersonFactory(birth_date=birth(30 + i)) for i in range(3)]
    wanzhou = PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    yuzhong = PersonFactory(district_code=YUZHONG, township_code=YUZHONG_TOWNSHIP)
    child = PersonFactory(birth_date=birth(10), labour_ability="none")
    for p in fengdu:
        EmploymentMonthFactory(person=p, month="2024-09")
        EmploymentMonthFactory(person=p, month="2024-08")
    EmploymentMonthFactory(person=fengdu[0], month="2023-09")
    EmploymentMonthFactory(person=wanzhou, month="2024-09", place_class="in_city", destination_code=YUZHONG)
    EmploymentMonthFactory(person=yuzhong, month="2023-09", place_class="in_county", destination_code="",
                           channel="local")
    EmploymentMonthFactory(person=child, month="2024-09")  # not a worker: never counted
    HouseholdIncomeFactory(household=fengdu[0].household, year=2023, wage_fen=770, total_fen=1000)
    TargetFactory(area_code="50", year=2024, employment_target=5)
    TargetFactory(area_code=FENGDU, year=2024, employment_target=2)
    return {"fengdu": fengdu, "wanzhou": wanzhou, "yuzhong": yuzhong}


def figures() -> list:
    return sorted(KpiFigure.objects.values_list("month", "area_code", "key", "value", "denominator"))


def snapshot() -> tuple[list, list]:
    areas = sorted(KpiArea.objects.values_list(
        "month", "area_code", "area_level", "parent_code", "workers", "employment_scale", "employed_ytd",
        "scale_last_year", "scale_last_month", "target", "income_year", "income_households",
        "wage_income_fen", "total_income_fen", "income_fen_sum", "income_reported"))
    breakdowns = sorted(KpiBreakdown.objects.values_list("month", "area_code", "dimension", "key",
                                                         "employment_scale"))
    return areas, breakdowns


def states() -> dict[str, str]:
    return dict(KpiFillState.objects.values_list("month", "state"))


def test_the_fill_writes_the_month_figures_of_every_level(world):
    report = kpi_fill(actor=SYSTEM)
    assert report.months == ["2023-09", "2024-08", "2024-09"]
    city = KpiArea.objects.get(month="2024-09", area_code="50")
    assert (city.workers, city.employment_scale, city.scale_last_year, city.scale_last_month) == (5, 4, 2, 3)
    assert (city.target, city.wage_income_fen, city.total_income_fen) == (5, 770, 1000)
    fengdu = KpiArea.objects.get(month="2024-09", area_code=FENGDU)
    assert (fengdu.area_level, fengdu.parent_code, fengdu.employment_scale, fengdu.target) == (
        "district", "northeast", 3, 2)
    township = KpiArea.objects.get(month="2024-09", area_code=FENGDU_TOWNSHIP)
    assert township.parent_code == FENGDU
    flows = dict(KpiBreakdown.objects.filter(month="2024-09", area_code="50", dimension="flow")
                 .values_list("key", "employment_scale"))
    assert flows == {"northeast>outside": 3, "northeast>main_metro": 1}


def test_months_without_any_records_are_done_but_have_no_rows(world):
    report = kpi_fill(actor=SYSTEM)
    assert "2024-01" in report.empty
    assert states()["2024-01"] == "DONE"
    assert not KpiArea.objects.filter(month="2024-01").exists()


def test_every_fill_writes_one_audit_row(world):
    kpi_fill(actor=SYSTEM)
    audit = AuditLog.objects.get(action="kpi.fill")
    assert audit.detail["months"] == ["2023-09", "2024-08", "2024-09"]
    assert audit.detail["engine"] == "duckdb"


def test_a_second_fill_skips_the_done_months(world):
    kpi_fill(actor=SYSTEM)
    report = kpi_fill(actor=SYSTEM)
    assert report.months == [] and "2024-09" in report.skipped
    assert AuditLog.objects.filter(action="kpi.fill").count() == 1


def test_an_import_makes_its_months_stale_and_the_next_fill_redoes_only_those(world):
    kpi_fill(actor=SYSTEM)
    wanzhou = world["wanzhou"]
    employment_months_write(rows=[{
        "person_id": wanzhou.pk, "month": "2024-08", "place_class": "in_county", "destination_code": "",
        "channel": "gig", "employer_name": "", "employer_uscc": "", "job_title": "", "occupation_code": "",
        "income_fen": None}], actor=SYSTEM)
    assert states()["2024-08"] == "STALE" and states()["2024-07"] == "DONE"
    report = kpi_fill(actor=SYSTEM)
    assert report.months[:2] == ["2024-08", "2024-09"]
    assert "2024-07" in report.skipped
    assert KpiArea.objects.get(month="2024-08", area_code="50").employment_scale == 4


def test_forcing_refills_everything_to_the_same_tables(world):
    kpi_fill(actor=SYSTEM)
    before = snapshot()
    kpi_fill(actor=SYSTEM, force=True)
    assert snapshot() == before


def test_rows_written_several_to_a_statement_are_the_rows_written_one_by_one(world, monkeypatch):
    """SQLite binds up to ROWS_PER_STATEMENT rows to one INSERT, the rest one by one."""
    from bangfu.monitoring.services import fill

    monkeypatch.setattr(fill, "ROWS_PER_STATEMENT", 1)
    kpi_fill(actor=SYSTEM)
    one_by_one, one_figures = snapshot(), figures()
    assert sum(len(rows) for rows in one_by_one) > 3 * 7
    monkeypatch.setattr(fill, "ROWS_PER_STATEMENT", 7)  # full statements and a remainder
    kpi_fill(actor=SYSTEM, force=True)
    assert snapshot() == one_by_one and figures() == one_figures


def test_the_in_database_engine_writes_the_same_tables_as_duckdb(world):
    kpi_fill(actor=SYSTEM)
    duckdb_tables = snapshot()
    kpi_fill(actor=SYSTEM, force=True, engine="postgres" if connection.vendor == "postgresql" else "sqlite")
    assert snapshot() == duckdb_tables


@pytest.mark.spark
def test_spark_writes_the_same_tables_as_duckdb(world, spark):
    kpi_fill(actor=SYSTEM, engine="duckdb")
    duckdb_tables, duckdb_figures = snapshot(), figures()
    report = kpi_fill(actor=SYSTEM, force=True, engine="spark", spark=spark)
    assert report.engine == "spark" and snapshot() == duckdb_tables
    assert figures() == duckdb_figures and duckdb_figures  # the programmes' figures too


def test_the_fill_runs_on_the_configured_engine(world, settings):
    settings.BANGFU = {**settings.BANGFU, "ENGINE": "postgres" if connection.vendor == "postgresql" else "sqlite"}
    report = kpi_fill(actor=SYSTEM)
    assert report.engine == settings.BANGFU["ENGINE"]
    assert set(KpiFillState.objects.values_list("engine", flat=True)) == {settings.BANGFU["ENGINE"]}


def test_a_fill_with_no_records_at_all_says_so():
    with pytest.raises(FillError, match="还没有任何务工记录"):
        kpi_fill(actor=SYSTEM)


KILLER = textwrap.dedent("""
    import os, signal, django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    django.setup()
    from bangfu.core.actors import SYSTEM
    from bangfu.monitoring.services import fill

    original, written = fill._write_month, []

    def dying(month, result, engine):
        out = original(month, result, engine)  # rows and DONE state written, not yet committed
        written.append(month)
        if len(written) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
        return out

    fill._write_month = dying
    fill.kpi_fill(actor=SYSTEM)
""")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the killed process opens the SQLite test file")
def test_a_fill_killed_half_way_and_restarted_gives_the_same_tables(world):
    kpi_fill(actor=SYSTEM)
    uninterrupted = snapshot()
    KpiArea.objects.all().delete()
    KpiBreakdown.objects.all().delete()
    KpiFillState.objects.all().delete()

    env = os.environ | {"DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}"}
    killed = subprocess.run([sys.executable, "-c", KILLER], env=env, timeout=600)
    assert killed.returncode == -signal.SIGKILL
    # Two months were committed; the third died inside its transaction; the rest never began.
    assert list(states().values()).count("DONE") == 2
    assert states()["2023-11"] == "STARTED"
    assert set(KpiArea.objects.values_list("month", flat=True)) == {"2023-09"}

    report = kpi_fill(actor=SYSTEM)
    assert report.skipped == ["2023-09", "2023-10"]
    assert snapshot() == uninterrupted
    assert set(states().values()) == {"DONE"}


def test_the_dashboards_recompute_button_fills_in_the_background_and_comes_back(world, client, make_user):
    from django.urls import reverse

    from bangfu.core.models import BackgroundTask

    officer = make_user(role="district_officer", area_code=FENGDU)
    client.force_login(officer)
    back = reverse("monitoring:dashboard") + "?month=2024-09"
    response = client.post(reverse("monitoring:refill"), {"next": back})
    assert response.status_code == 302 and response.url == back  # tests run the work in the request
    task = BackgroundTask.objects.get(kind="kpi_fill")
    assert task.status == "done" and task.user == officer and "2024-09" in task.result["months"]
    assert KpiArea.objects.filter(month="2024-09", area_code=FENGDU).get().employment_scale == 3
    # a broker may not: the button's capability is checked before anything is queued
    client.force_login(make_user(role="broker", area_code=FENGDU))
    assert client.post(reverse("monitoring:refill"), {"next": back}).status_code == 403
    assert BackgroundTask.objects.count() == 1
