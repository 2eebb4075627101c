"""The training step of ``bangfu generate``: January–September 2024's finishers in proportion to
the article's 1.7万人次 at 1.9 million people, over 10,000 in proportion employed within six
months according to the employment months; the KPI fill says the same."""

from __future__ import annotations

import pytest

from bangfu.core.actors import SYSTEM
from bangfu.core.months import month_of, shift_month
from bangfu.monitoring import generate as monitoring_generate
from bangfu.monitoring.models import EmploymentMonth, KpiFigure
from bangfu.monitoring.services import kpi_fill
from bangfu.registry.generate import GenerateContext
from bangfu.registry.generate.pipeline import registry_step
from bangfu.training import generate
from bangfu.training.models import Certificate, Course, Enrolment

PEOPLE = 40_000


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ctx = GenerateContext(seed=11, people=PEOPLE, load=True, scenario="chongqing-2024")
        registry_step(ctx)
        monitoring_generate.generate_step(ctx)
        generate.generate_step(ctx)
        yield ctx
        from bangfu.core.models import AuditLog
        from bangfu.employers.models import Employer
        from bangfu.monitoring.models import HouseholdIncome, KpiArea, KpiBreakdown, KpiFillState, MonthReport, Target
        from bangfu.registry.models import Household, Person

        for model in (KpiFigure, Certificate, Enrolment, Course, Employer, KpiBreakdown, KpiArea, KpiFillState,
                      EmploymentMonth, HouseholdIncome, Target, MonthReport, Person, Household, AuditLog):
            model.objects.all().delete()


def employed_within(enrolment, months: set) -> bool:
    cert = getattr(enrolment, "certificate", None) if hasattr(enrolment, "certificate") else None
    anchor = month_of(cert.issued_on if cert else enrolment.course.end_date)
    return any(anchor <= m <= min(shift_month(anchor, 6), "2024-09") for m in months)


@pytest.mark.django_db
def test_january_to_september_has_the_articles_trainees_and_employed_in_proportion(generated):
    done = list(Enrolment.objects.filter(status="completed", completed_on__range=("2024-01-01", "2024-09-30"))
                .select_related("course", "certificate"))
    expected = round(17_000 * PEOPLE / 1_900_000)
    assert abs(len(done) - expected) <= 0.02 * expected, (len(done), expected)
    worked: dict[int, set] = {}
    for pid, month in EmploymentMonth.objects.filter(person_id__in=[e.person_id for e in done]).values_list(
            "person_id", "month"):
        worked.setdefault(pid, set()).add(month)
    employed = {e.person_id for e in done if employed_within(e, worked.get(e.person_id, set()))}
    assert len(employed) > 10_000 * PEOPLE / 1_900_000, len(employed)
    assert len(employed) < len(done)  # not everyone: the figure is a count, not the total


@pytest.mark.django_db
def test_every_course_has_a_catalogue_trade_a_provider_with_a_uscc_and_its_trainees(generated):
    from bangfu.core import reference
    from stdnum.cn import uscc

    courses = list(Course.objects.select_related("provider"))
    assert courses and all(c.occupation_code in reference.occupations() for c in courses)
    assert all(uscc.is_valid(c.provider.uscc) for c in courses)
    assert all(c.end_date >= c.start_date for c in courses)
    assert Enrolment.objects.filter(status="dropped").exists() and Certificate.objects.exists()
    assert {c.brand for c in courses} >= {"bayu_craftsman", "yu_jiaren", "yu_nengren"}


@pytest.mark.django_db(transaction=True)
def test_the_kpi_fill_reproduces_the_figures(generated):
    kpi_fill(actor=SYSTEM, first="2024-09", last="2024-09")
    figures = dict(KpiFigure.objects.filter(month="2024-09", area_code="50").values_list("key", "value"))
    scale = PEOPLE / 1_900_000
    assert abs(figures["trained_ytd"] - 17_000 * scale) <= 0.02 * 17_000 * scale
    assert figures["trained_employed"] > 10_000 * scale
