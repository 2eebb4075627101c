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


def kpi_city_world(month: str = "2024-09", months: int = 24) -> dict:
    """The city and every district of the division table with KPI rows and breakdowns, the city
    also for the ``months`` before ``month``: enough for every chart and a table of 38 rows.
    Figures follow from the district code, so a test can recompute them; returns them."""
    from bangfu.core.months import month_range, shift_month
    from bangfu.registry import reference

    districts = sorted(c for c in reference.divisions() if len(c) == 6)  # 26 区, 8 县, 4 自治县
    scales = {code: 12_000 + (int(code[-3:]) * 397) % 18_000 for code in districts}
    total = sum(scales.values())
    for index, m in enumerate(month_range(shift_month(month, -(months - 1)), month)):
        kpi_done(m)
        scale = total - (months - 1 - index) * 900
        KpiArea.objects.create(
            month=m, area_code="50", area_level="city", parent_code="", workers=scale * 5 // 4,
            employment_scale=scale, employed_ytd=scale + 20_000, scale_last_year=scale - 30_000,
            scale_last_month=scale - 900, target=total - 60_000, income_year=int(m[:4]) - 1,
            wage_income_fen=77, total_income_fen=100)
    for code in districts:
        zone = reference.divisions()[code]["region_group"]
        KpiArea.objects.create(
            month=month, area_code=code, area_level="district", parent_code=zone,
            workers=scales[code] * 5 // 4, employment_scale=scales[code], employed_ytd=scales[code] + 500,
            scale_last_year=scales[code] - 700, scale_last_month=scales[code] - 20,
            target=scales[code] - 1_500 + (int(code[-3:]) % 7) * 600, income_year=int(month[:4]) - 1)
    parts = {
        "channel": {"migrant": 0.62, "local": 0.2, "welfare_post": 0.1, "workshop": 0.05, "gig": 0.03},
        "place_class": {"out_of_city": 0.55, "in_county": 0.25, "in_city": 0.19, "abroad": 0.01},
        "region_group": {"main_metro": 0.45, "northeast": 0.35, "southeast": 0.2},
        "cooperation_region": {"pearl_delta": 0.4, "yangtze_delta": 0.3, "sichuan": 0.2, "other": 0.1},
    }
    breakdowns = {}
    for dimension, shares in parts.items():
        base = total * 0.55 if dimension == "cooperation_region" else total
        breakdowns[dimension] = {key: round(base * share) for key, share in shares.items()}
        for key, value in breakdowns[dimension].items():
            KpiBreakdown.objects.create(month=month, area_code="50", dimension=dimension, key=key,
                                        employment_scale=value)
    return {"districts": districts, "scales": scales, "total": total, "breakdowns": breakdowns}
