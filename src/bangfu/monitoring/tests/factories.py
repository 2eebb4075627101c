"""Factories for monitoring facts, and KPI rows written directly (for pages that only read them)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from bangfu.monitoring.models import (
    EmploymentMonth, HouseholdIncome, KpiArea, KpiBreakdown, KpiFillState, Target,
)
from bangfu.registry.tests.factories import HouseholdFactory, PersonFactory

FENGDU_ZONE = "northeast"


class EmploymentMonthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmploymentMonth

    person = factory.SubFactory(PersonFactory)
    month = "2024-09"
    place_class = "out_of_city"
    destination_code = "4403"
    channel = "migrant"
    employer_name = "深圳市测试电子有限公司"
    income_fen = 520000


class HouseholdIncomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HouseholdIncome

    household = factory.SubFactory(HouseholdFactory)
    year = 2023
    wage_fen = 3_000_000
    total_fen = 4_000_000


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    area_code = "50"
    year = 2024
    employment_target = 1000


def kpi_row(month: str, code: str, level: str, parent: str, *, scale: int, workers: int | None = None,
            target: int | None = None, last_year: int | None = None, last_month: int | None = None,
            wage: int = 0, total: int = 0) -> KpiArea:
    return KpiArea.objects.create(
        month=month, area_code=code, area_level=level, parent_code=parent,
        workers=workers if workers is not None else scale * 2, employment_scale=scale,
        employed_ytd=scale + 1, scale_last_year=last_year, scale_last_month=last_month, target=target,
        income_year=int(month[:4]) - 1, wage_income_fen=wage, total_income_fen=total,
    )


def kpi_done(month: str) -> KpiFillState:
    state, _ = KpiFillState.objects.update_or_create(
        month=month, defaults={"state": "DONE", "started_at": timezone.now(),
                               "finished_at": timezone.now(), "area_rows": 1})
    return state


def kpi_township_world(district: str, township: str, *, month: str = "2024-09", scale: int = 4321,
                       zone: str = FENGDU_ZONE) -> KpiArea:
    """City, zone, district and one township rows of a month, plus breakdowns; returns the township."""
    kpi_done(month)
    KpiArea.objects.get_or_create(month=month, area_code="50", defaults=dict(
        area_level="city", parent_code="", workers=90000, employment_scale=81300, employed_ytd=85000,
        scale_last_year=77700, scale_last_month=81250, target=74500, income_year=int(month[:4]) - 1,
        wage_income_fen=77, total_income_fen=100))
    KpiArea.objects.get_or_create(month=month, area_code=zone, defaults=dict(
        area_level="region_group", parent_code="50", workers=40000, employment_scale=30000,
        employed_ytd=31000, income_year=int(month[:4]) - 1))
    KpiArea.objects.get_or_create(month=month, area_code=district, defaults=dict(
        area_level="district", parent_code=zone, workers=9000, employment_scale=scale + 1000,
        employed_ytd=scale + 1200, target=scale, income_year=int(month[:4]) - 1))
    row = kpi_row(month, township, "township", district, scale=scale, target=scale - 21)
    for code in ("50", zone, district, township):
        KpiBreakdown.objects.get_or_create(month=month, area_code=code, dimension="place_class",
                                           key="out_of_city", defaults={"employment_scale": scale})
    return row


def birth(years_ago: int) -> dt.date:
    return dt.date(2024 - years_ago, 6, 1)
