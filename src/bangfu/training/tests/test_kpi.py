"""Training's figures in the KPI fill: each equals a count made here, by hand, over a small world
(completions in and out of the year, certified or not, employment months in and out of the six
months after the certificate or the course's end); the same on DuckDB and in the database; in the
briefing. The engine reads through its own connection: ``transactional_db``."""

from __future__ import annotations

import datetime as dt

import ibis
import pytest
from django.db import connection

from bangfu.core.actors import SYSTEM
from bangfu.core.engine import engine_session
from bangfu.core.months import month_range
from bangfu.core.months import month_of, shift_month
from bangfu.monitoring.models import EmploymentMonth, KpiFigure
from bangfu.monitoring.services import kpi_fill
from bangfu.registry.models import Division, Place
from bangfu.registry.reference import load_reference_data
from bangfu.registry.tests.factories import FENGDU, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.engine import schema as s
from bangfu.training import choices as c
from bangfu.training import kpi
from bangfu.training.models import Enrolment
from bangfu.training.tests.factories import CertificateFactory, CourseFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db(transaction=True)

SEPTEMBER = "2024-09"
KEYS = ("trained_ytd", "trained_certified_ytd", "trained_employed", "trained_ytd_shortage",
        "trained_ytd_bayu_craftsman", "trained_ytd_yu_jiaren", "trained_ytd_yu_nengren")


def work(person, *months):
    for month in months:
        EmploymentMonth.objects.create(person=person, month=month, place_class="in_county", channel="local")


@pytest.fixture
def world():
    if not Division.objects.exists():
        load_reference_data(Division, Place)
    march = CourseFactory(start_date=dt.date(2024, 3, 1), end_date=dt.date(2024, 3, 20),
                          brand=c.TrainingBrand.BAYU_CRAFTSMAN, shortage=True)
    june = CourseFactory(start_date=dt.date(2024, 6, 3), end_date=dt.date(2024, 6, 21),
                         brand=c.TrainingBrand.YU_JIAREN, shortage=False)
    last_year = CourseFactory(start_date=dt.date(2023, 11, 1), end_date=dt.date(2023, 11, 20))
    october = CourseFactory(start_date=dt.date(2024, 10, 8), end_date=dt.date(2024, 10, 25))
    wanzhou = CourseFactory(district_code=WANZHOU, brand=c.TrainingBrand.YU_NENGREN)
    a = CertificateFactory(enrolment__course=march, issued_on=dt.date(2024, 4, 2)).person
    work(a, "2024-05")                                            # employed 1 month after the certificate
    b = CertificateFactory(enrolment__course=march, issued_on=dt.date(2024, 4, 2)).person
    work(b, "2024-11")                                            # 7 months after: not counted
    d = EnrolmentFactory(course=june).person                      # completed, no certificate: from the course end
    work(d, "2024-12")                                            # within 6 months, but after September
    f = EnrolmentFactory(course=june).person
    work(f, "2024-07", "2024-08")                                 # counted once
    EnrolmentFactory(course=march, person=f)                      # twice trained, still once employed
    g = EnrolmentFactory(course=june, status=c.EnrolmentStatus.DROPPED, completed_on=None).person
    work(g, "2024-07")                                            # dropped out: not a trainee who finished
    h = CertificateFactory(enrolment__course=last_year, issued_on=dt.date(2023, 12, 1)).person
    work(h, "2024-02")                                            # trained last year
    EnrolmentFactory(course=october)                              # finishes after September
    w = CertificateFactory(enrolment__course=wanzhou, enrolment__person=PersonFactory(
        district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP), issued_on=dt.date(2024, 3, 25)).person
    work(w, "2024-03")                                            # the certificate's own month counts


def hand_counts(area: str, month: str = SEPTEMBER) -> dict[str, int]:
    """The figures of ``area`` for ``month``, counted over the ORM rows."""
    first = f"{month[:4]}-01"

    def inside(code: str) -> bool:
        return area == "50" or code.startswith(area)

    done = [e for e in Enrolment.objects.select_related("course", "person")
            if e.status == "completed" and first <= month_of(e.completed_on) <= month and inside(e.district_code)]

    def cert(e):
        return getattr(e, "certificate", None) if hasattr(e, "certificate") else None

    employed = set()
    for e in done:
        anchor = month_of(cert(e).issued_on if cert(e) else e.course.end_date)
        months = set(EmploymentMonth.objects.filter(person=e.person).values_list("month", flat=True))
        if any(anchor <= m <= min(shift_month(anchor, 6), month) for m in months):
            employed.add(e.person_id)
    return {"trained_ytd": len(done), "trained_certified_ytd": sum(1 for e in done if cert(e)),
            "trained_employed": len(employed), "trained_ytd_shortage": sum(1 for e in done if e.course.shortage),
            **{f"trained_ytd_{b}": sum(1 for e in done if e.course.brand == b)
               for b in ("bayu_craftsman", "yu_jiaren", "yu_nengren")}}


def stored(area: str, month: str = SEPTEMBER) -> dict[str, int]:
    rows = {(f.area_code, f.key): f.value for f in KpiFigure.objects.filter(month=month)}
    return {key: rows.get((area, key), 0) for key in KEYS}


def test_each_training_figure_equals_the_count_made_by_hand(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    for area in ("50", FENGDU, WANZHOU):
        assert stored(area) == hand_counts(area), area
    # not trivially zero: a, b, d, f (twice), w finished this year by September; a, f and w worked in time
    assert hand_counts("50") == {"trained_ytd": 6, "trained_certified_ytd": 3, "trained_employed": 3,
                                 "trained_ytd_shortage": 4, "trained_ytd_bayu_craftsman": 3,
                                 "trained_ytd_yu_jiaren": 2, "trained_ytd_yu_nengren": 1}


def test_the_figures_move_with_the_month(world):
    kpi_fill(actor=SYSTEM, first="2024-04", last="2024-12")
    for month in ("2024-04", "2024-07", "2024-12"):
        assert stored("50", month) == hand_counts("50", month), month
    assert stored("50", "2024-12")["trained_employed"] == 4  # d's December month is within 6 months


def test_the_in_database_engine_gives_the_same_training_figures_as_duckdb(world):
    kpi_fill(actor=SYSTEM, first=SEPTEMBER, last=SEPTEMBER, engine="duckdb")
    duckdb_rows = sorted(KpiFigure.objects.filter(key__in=KEYS).values_list("month", "area_code", "key", "value"))
    in_db = "postgres" if connection.vendor == "postgresql" else "sqlite"
    kpi_fill(actor=SYSTEM, first=SEPTEMBER, last=SEPTEMBER, engine=in_db, force=True)
    assert sorted(KpiFigure.objects.filter(key__in=KEYS).values_list("month", "area_code", "key", "value")) \
        == duckdb_rows
    assert duckdb_rows


def test_the_briefing_says_how_many_were_trained_and_employed(world):
    from bangfu.monitoring.briefing import briefing_for
    from bangfu.monitoring.briefing_sections import briefing_document

    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    document = briefing_document(briefing_for(month=SEPTEMBER, code="50"))
    texts = {s.title: " ".join(s.paragraphs) for s in document.sections if s.title}
    assert ("2024年以来，按需开展紧缺职业（工种）专项培训，培训脱贫人口6人次，其中取得证书3人次"
            "（巴渝工匠培训3人次、渝家人培训2人次、渝能人培训1人次）；截至2024年9月末，培训后6个月内帮扶就业3人。") \
        in texts["技能培训"]


def employed_after_month_by_month(engine, *, first: str, last: str, within: int = 6):
    """The former expression of ``kpi.employed_after_by_month``: one join per month, stacked."""
    done = kpi._completed(engine)
    done = done.mutate(anchor_idx=kpi._index_text(done.anchor))
    w = engine.table(s.EMPLOYMENT)
    w = w.select(w_person=w.person_id, w_idx=kpi._index_text(w.month))
    pairs = done.join(w, (done.person_id == w.w_person) & (w.w_idx >= done.anchor_idx)
                      & (w.w_idx <= done.anchor_idx + within))
    pairs = pairs.select(person_id=pairs.person_id, month=pairs.month, w_idx=pairs.w_idx)
    person = engine.table(s.PERSON)
    person = person.select(p_id=person.id, district_code=person.district_code, township_code=person.township_code)

    def one_month(month: str):
        t = pairs.filter((pairs.month >= f"{month[:4]}-01") & (pairs.month <= month)
                         & (pairs.w_idx <= kpi._index(month)))
        t = t.select("person_id").distinct()
        t = t.join(person, t.person_id == person.p_id)
        return (t.group_by(["district_code", "township_code"]).aggregate(value=t.count())
                .mutate(month=ibis.literal(month)).select(*kpi.KEYS, "value"))

    return ibis.union(*[one_month(month) for month in month_range(first, last)])


def test_the_one_query_for_every_month_gives_the_rows_of_the_query_per_month(world):
    def rows(engine, query, **window):
        t = engine.execute(query(engine, **window))
        return sorted((r.month, r.district_code, r.township_code, int(r.value)) for r in t.itertuples())

    in_db = "postgres" if connection.vendor == "postgresql" else "sqlite"
    for engine in ("duckdb", in_db):
        with engine_session(engine) as session:
            for first, last in (("2023-06", "2025-03"), ("2024-09", "2024-09")):
                new = rows(session.engine, kpi.employed_after_by_month, first=first, last=last)
                assert new == rows(session.engine, employed_after_month_by_month, first=first, last=last)
            assert {r[0] for r in new} == {"2024-09"}
