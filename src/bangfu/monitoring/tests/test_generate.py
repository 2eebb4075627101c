"""The monitoring generator: history shaped like the programme, figures computed by the engine."""

from __future__ import annotations

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.engine.kpi import ratios
from bangfu.monitoring import generate
from bangfu.monitoring.models import (
    EmploymentMonth, HouseholdIncome, KpiArea, KpiBreakdown, KpiFillState, MonthReport, Target,
)
from bangfu.monitoring.services import kpi_fill
from bangfu.registry.generate import GenerateContext
from bangfu.registry.generate.pipeline import registry_step


def test_history_is_24_months_ending_at_the_generators_day():
    import datetime as dt

    months = generate.history_months(dt.date(2024, 12, 31))
    assert (len(months), months[0], months[-1]) == (24, "2023-01", "2024-12")


def test_the_spring_festival_month_is_the_lowest_of_its_year():
    for year in ("2023", "2024"):
        shape = {m: generate.seasonal(f"{year}-{m:02d}") for m in range(1, 13)}
        low = min(shape, key=shape.get)
        assert low == generate.SPRING_FESTIVAL[int(year)]


def test_march_to_september_never_dips_below_september():
    assert min(generate.seasonal(f"2024-{m:02d}") for m in range(3, 10)) >= 0.999


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """One small population, loaded and filled once for the module (then cleaned up)."""
    with django_db_blocker.unblock():
        ctx = GenerateContext(seed=11, people=6000, load=True)
        registry_step(ctx)
        generate.generate_step(ctx)
        kpi_fill(actor=SYSTEM)
        yield ctx
        from bangfu.core.models import AuditLog
        from bangfu.registry.models import Household, Person

        for model in (KpiBreakdown, KpiArea, KpiFillState, EmploymentMonth, HouseholdIncome, Target, MonthReport,
                      Person, Household, AuditLog):
            model.objects.all().delete()


@pytest.mark.django_db
def test_september_2024_comes_out_near_the_programmes_figures(generated):
    city = KpiArea.objects.get(month="2024-09", area_code="50")
    r = ratios({f: getattr(city, f) for f in ("employment_scale", "target", "scale_last_year",
                                                 "wage_income_fen", "total_income_fen", "workers")})
    assert city.employment_scale == round(generate.REFERENCE_SCALE * 6000 / generate.REFERENCE_PEOPLE)
    assert 1.085 <= r["target_completion"] <= 1.095
    assert 0.044 <= r["yoy"] <= 0.048
    assert 0.769 <= r["wage_income_share"] <= 0.771
    assert city.income_year == 2023


@pytest.mark.django_db
def test_every_district_has_reported_every_generated_month_but_the_newest(generated):
    from bangfu.monitoring.completeness import ReportBook, area_districts

    months = generate.history_months(generated.as_of)
    closed = MonthReport.objects.filter(state="closed")
    assert sorted(set(closed.values_list("month", flat=True))) == months[:-1]
    assert closed.count() == len(months[:-1]) * len(area_districts("50"))
    book = ReportBook(months, today=generated.as_of)  # on the generator's day the newest is partial
    assert all(book.status(m, "50").all_reported for m in months[:-1])
    newest = book.status(months[-1], "50")
    assert not newest.complete and newest.districts_reported == 0


@pytest.mark.django_db
def test_the_spring_festival_dip_shows_in_the_filled_trend(generated):
    scale = dict(KpiArea.objects.filter(area_code="50").values_list("month", "employment_scale"))
    assert scale["2024-02"] < scale["2024-01"] < scale["2024-03"]
    assert scale["2023-01"] < scale["2023-03"]


@pytest.mark.django_db
def test_migrants_go_mostly_to_the_cooperation_regions(generated):
    regions = dict(KpiBreakdown.objects.filter(month="2024-09", area_code="50", dimension="cooperation_region")
                   .values_list("key", "employment_scale"))
    named = sum(v for k, v in regions.items() if k != "other")
    assert named > 3 * regions.get("other", 0)
    assert regions["yangtze_delta"] > regions["east_west_pairing"]


@pytest.mark.django_db
def test_work_in_the_county_pays_less_than_work_out_of_the_city(generated):
    from django.db.models import Avg

    pay = dict(EmploymentMonth.objects.filter(month="2024-09", channel="migrant").values("place_class")
               .annotate(avg=Avg("income_fen")).values_list("place_class", "avg"))
    local = EmploymentMonth.objects.filter(month="2024-09", place_class="in_county").aggregate(a=Avg("income_fen"))
    assert local["a"] < pay["out_of_city"]


@pytest.mark.django_db
def test_every_employer_credit_code_is_valid(generated):
    from stdnum.cn import uscc

    codes = set(EmploymentMonth.objects.exclude(employer_uscc="").values_list("employer_uscc", flat=True))
    assert codes and all(uscc.is_valid(c) for c in codes)


def _replay_employment(generated):
    """The monitoring draws of the ``generated`` world again, from its seed: the context, the
    months, the monitoring random stream (where the draws left it), both years' jobs and who
    worked which month."""
    ctx = GenerateContext(seed=generated.seed, people=generated.people)
    ctx.households, ctx.persons = generated.households, generated.persons
    months = generate.history_months(ctx.as_of)
    rng = ctx.rng_for("monitoring")
    jobs = [generate._jobs(rng, ctx), None]
    jobs[1] = generate._next_year_jobs(rng, ctx, jobs[0])
    employed = generate._employed(rng, ctx, months, jobs)
    return ctx, months, rng, jobs, employed


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_months(generated):
    _ctx, _months, _rng, _jobs, employed = _replay_employment(generated)
    assert int(sum(e.sum() for e in employed)) == EmploymentMonth.objects.count()


@pytest.mark.django_db
def test_the_sqlite_load_writes_the_rows_of_a_row_by_row_load_in_its_order(generated):
    """SQLite expands each worker's months itself (``_expand_chunk``): the same rows, the same
    ids (person by person, month by month) as binding every row from Python would give."""
    import numpy as np
    from django.db import connection

    from bangfu.monitoring import generate_output as out

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL loads every row with COPY")
    ctx, months, rng, jobs, employed = _replay_employment(generated)
    incomes = generate._monthly_incomes(rng, ctx, months, jobs, employed)
    fields = out.object_jobs(jobs)
    reported_rng = np.random.default_rng([ctx.seed, 8013])
    expected = []
    for chunk in out._person_chunks(ctx.person_count):
        reported = out._reported(reported_rng, months, chunk.stop - chunk.start)
        expected.extend(zip(*out.employment_columns(ctx, months, fields, employed, incomes, chunk, reported,
                                                    ctx.persons["id"])))
    columns = out.EMPLOYMENT_COLUMNS[2:]
    loaded = list(EmploymentMonth.objects.order_by("id").values_list(*columns))
    assert len(loaded) == len(expected) > 50_000
    assert loaded == expected
    assert sum(income is None for *_, income in loaded) > 0  # unreported incomes stay NULL
    ids = list(EmploymentMonth.objects.order_by("id").values_list("id", flat=True))
    assert ids == list(range(ids[0], ids[0] + len(ids)))


@pytest.mark.django_db
def test_the_database_is_back_in_wal_mode_after_the_load(generated):
    """The bulk load writes with a rollback journal (``loader.bulk_journal``) and then restores the WAL."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's journal")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
