"""The programmes' figures in the KPI fill (``KPI_FIGURES``): each equals a count made here,
by hand, over the rows of a small world; the same on every engine; read back by ``kpi show``.

The engine reads the database through its own connection: the data is committed
(``transactional_db``).
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from bangfu.arrears.models import ArrearsCase, Office
from bangfu.core.actors import SYSTEM
from bangfu.core.pii import pii_hash
from bangfu.employers.tests.factories import EmployerFactory
from bangfu.jobs.models import Push, ServiceRecord
from bangfu.jobs.tests.factories import JobPostingFactory, PushFactory
from bangfu.monitoring.models import KpiFigure
from bangfu.monitoring.services import kpi_fill
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.registry.models import Division, Place
from bangfu.registry.reference import load_reference_data
from bangfu.registry.tests.factories import FENGDU, FENGDU_TOWNSHIP, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL = ZoneInfo("Asia/Shanghai")
YUZHONG, YUZHONG_TOWNSHIP = "500103", "500103001"
SEPTEMBER = "2024-09"
KEYS = ("jobs_pushed_ytd", "services_ytd", "policy_paid_yuan_ytd", "policy_person_times_ytd",
        "arrears_leads_ytd", "arrears_on_time_rate", "outpost_offices", "main_metro_jobs_for_other_zones")


def local(y, m, d, hour=12, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=LOCAL)


@pytest.fixture
def world():
    """Two 丰都 workers and one of 万州 (渝东北), one of 渝中 (主城), with pushes, services,
    payments, arrears cases and offices on both sides of the year and of September."""
    if not Division.objects.exists():  # the flush after an earlier transactional test emptied them
        load_reference_data(Division, Place)
    fengdu = [PersonFactory(), PersonFactory()]
    wanzhou = PersonFactory(district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP)
    yuzhong = PersonFactory(district_code=YUZHONG, township_code=YUZHONG_TOWNSHIP)
    people = [*fengdu, wanzhou, yuzhong]

    for person in people:  # employment, so the months have KPI rows; two work in the main metro
        EmploymentMonthFactory(person=person, month=SEPTEMBER, place_class="in_county", destination_code="",
                               channel="local")
    EmploymentMonth = EmploymentMonthFactory._meta.model
    EmploymentMonth.objects.filter(person__in=[fengdu[0], wanzhou], month=SEPTEMBER).update(
        place_class="in_city", destination_code=YUZHONG, channel="migrant")
    EmploymentMonthFactory(person=fengdu[0], month="2024-08", place_class="in_city", destination_code=YUZHONG)

    employer = EmployerFactory()
    for person, month in [(fengdu[0], "2024-01"), (fengdu[0], "2024-01"), (fengdu[1], SEPTEMBER),
                          (fengdu[1], "2023-12"), (fengdu[0], "2024-10"), (yuzhong, "2024-05"),
                          (wanzhou, "2024-07")]:
        PushFactory(person=person, posting=JobPostingFactory(employer=employer), month=month, week="2024-W01")
    for person, month in [(fengdu[1], "2024-03"), (fengdu[1], "2024-03"), (wanzhou, SEPTEMBER),
                          (yuzhong, "2023-11")]:
        ServiceRecord.objects.create(person=person, kind="guidance", served_on=dt.date(int(month[:4]), int(month[5:]), 1),
                                     month=month, district_code=person.district_code,
                                     township_code=person.township_code)

    batch = PaymentBatch.objects.create(number="PB1", claim_type="entitlement", scope="x/2024", purpose="test",
                                        area_code="50", status="settled")
    lines = [  # (person, employer, amount fen, status, settled at)
        (fengdu[0], None, 100_000, "paid", local(2024, 2, 10)),
        (wanzhou, None, 300_000, "paid", local(2024, 9, 30, 23, 30)),  # still September here
        (fengdu[0], None, 50_000, "paid", local(2024, 10, 1, 0, 30)),  # October here, September in UTC
        (fengdu[1], None, 70_000, "failed", local(2024, 3, 1)),
        (yuzhong, None, 90_000, "reversed", local(2024, 4, 1)),
        (None, employer, 500_000, "paid", local(2024, 6, 1)),  # an enterprise: money, not a person-time
        (fengdu[1], None, 20_000, "paid", local(2023, 12, 1)),  # last year
    ]
    for n, (person, firm, amount, status, settled) in enumerate(lines, start=1):
        Payment.objects.create(
            batch=batch, line_no=n, claim_type="entitlement", claim_id=n, payee_person=person, payee_employer=firm,
            payee_name="x", bank_name="银行", account="6210000000000000", account_hash=pii_hash(f"a{n}"),
            amount_fen=amount, status=status, settled_at=settled,
            district_code=(person.district_code if person else FENGDU),
            township_code=(person.township_code if person else ""))

    city, _ = Office.objects.get_or_create(code="CQ", defaults={"name": "市局", "kind": "city"})
    bureau, _ = Office.objects.get_or_create(code=f"D{FENGDU}", defaults={
        "name": "丰都县人力社保局", "kind": "district", "district_code": FENGDU})
    for n, code in enumerate(("TGD", "TSZ", "TSH")):  # one closed
        Office.objects.create(code=code, name=f"驻外{n}", kind="outpost", active=code != "TSH")
    cases = [  # (office, received, state, decided on time, closed on time)
        (bureau, dt.date(2024, 2, 1), "closed", True, True),
        (bureau, dt.date(2024, 3, 1), "closed", True, False),
        (bureau, dt.date(2024, 9, 20), "rejected", True, None),
        (bureau, dt.date(2024, 9, 21), "accepted", True, None),
        (bureau, dt.date(2024, 9, 22), "linked", None, None),  # a repeat: no lead
        (city, dt.date(2024, 5, 5), "rejected", False, None),
        (bureau, dt.date(2023, 12, 1), "closed", True, True),  # last year
        (bureau, dt.date(2024, 10, 2), "closed", True, True),  # after September
    ]
    for n, (office, received, state, decided, closed) in enumerate(cases, start=1):
        ArrearsCase.objects.create(
            number=f"QX{n:04d}", channel="public", state=state, worker_name="王", id_number=f"id{n}",
            id_number_hash=pii_hash(f"id{n}"), phone=f"139{n:08d}", phone_hash=pii_hash(f"p{n}"),
            employer_name="某公司", employer_key=f"k{n}", work_place_code="4403", work_place_label="深圳",
            period_start="2024-01", period_end="2024-02", amount_owed_fen=100_000, received_on=received,
            office=office, area_code=office.area_code, decided_on_time=decided, closed_on_time=closed)
    return {"fengdu": fengdu, "wanzhou": wanzhou, "yuzhong": yuzhong}


def figures(month: str = SEPTEMBER) -> dict[tuple[str, str], tuple[int, int | None]]:
    return {(f.area_code, f.key): (f.value, f.denominator) for f in KpiFigure.objects.filter(month=month)}


def ytd(month: str, value: str) -> bool:
    return f"{month[:4]}-01" <= value <= month


def local_month(moment: dt.datetime) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m")


def hand_counts(area: str, month: str = SEPTEMBER) -> dict[str, tuple[int, int | None]]:
    """Every figure of ``area`` (the city or a district) counted here over the model rows."""
    def inside(district: str) -> bool:
        return area == "50" or district == area

    pushes = sum(1 for p in Push.objects.all() if ytd(month, p.month) and inside(p.district_code))
    services = sum(1 for s in ServiceRecord.objects.all() if ytd(month, s.month) and inside(s.district_code))
    paid = [p for p in Payment.objects.all()
            if p.status == "paid" and ytd(month, local_month(p.settled_at)) and inside(p.district_code)]
    leads = [c for c in ArrearsCase.objects.all()
             if c.state != "linked" and ytd(month, c.received_on.strftime("%Y-%m"))
             and (area == "50" or c.area_code == area)]
    finished = [c for c in leads if c.state in ("rejected", "closed")]
    on_time = [c for c in finished if c.decided_on_time and (c.state == "rejected" or c.closed_on_time)]
    metro = sum(1 for e in EmploymentMonthFactory._meta.model.objects.select_related("person")
                if e.month == month and e.destination_code == YUZHONG and e.place_class == "in_city"
                and e.person.district_code in (FENGDU, WANZHOU) and inside(e.person.district_code))
    outposts = Office.objects.filter(kind="outpost", active=True).count() if area == "50" else 0
    return {
        "jobs_pushed_ytd": (pushes, None), "services_ytd": (services, None),
        "policy_paid_yuan_ytd": (sum(p.amount_fen for p in paid), None),
        "policy_person_times_ytd": (sum(1 for p in paid if p.payee_person_id), None),
        "arrears_leads_ytd": (len(leads), None), "arrears_on_time_rate": (len(on_time), len(finished)),
        "outpost_offices": (outposts, None), "main_metro_jobs_for_other_zones": (metro, None),
    }


def stored(area: str, month: str = SEPTEMBER) -> dict[str, tuple[int, int | None]]:
    rows = figures(month)
    return {key: rows.get((area, key), (0, 0 if key == "arrears_on_time_rate" else None)) for key in KEYS}


def test_each_contributed_figure_equals_the_count_made_by_hand(world):
    report = kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    assert report.figure_rows > 0
    for area in ("50", FENGDU, WANZHOU, YUZHONG):
        assert stored(area) == hand_counts(area), area
    # the hand counts are not trivially zero
    city = hand_counts("50")
    assert city["jobs_pushed_ytd"] == (5, None) and city["policy_paid_yuan_ytd"] == (900_000, None)
    assert city["arrears_on_time_rate"] == (2, 4) and city["outpost_offices"] == (2, None)
    assert city["main_metro_jobs_for_other_zones"] == (2, None)


def test_a_year_to_date_figure_grows_through_the_year_and_a_stock_does_not(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    for month in ("2024-08", SEPTEMBER):
        assert stored("50", month) == hand_counts("50", month), month
    assert figures("2024-08")[("50", "main_metro_jobs_for_other_zones")] == (1, None)


def test_the_figures_roll_up_to_the_townships_and_zones(world):
    kpi_fill(actor=SYSTEM, first=SEPTEMBER, last=SEPTEMBER)
    rows = figures()
    assert rows[(FENGDU_TOWNSHIP, "jobs_pushed_ytd")] == rows[(FENGDU, "jobs_pushed_ytd")] == (3, None)
    assert rows[("northeast", "jobs_pushed_ytd")] == (4, None)
    assert rows[("main_metro", "jobs_pushed_ytd")] == (1, None)


def test_the_in_database_engine_gives_the_same_figures_as_duckdb(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER, engine="duckdb")
    duckdb_rows = sorted(KpiFigure.objects.values_list("month", "area_code", "key", "value", "denominator"))
    in_db = "postgres" if connection.vendor == "postgresql" else "sqlite"
    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER, engine=in_db, force=True)
    assert sorted(KpiFigure.objects.values_list("month", "area_code", "key", "value", "denominator")) == duckdb_rows


@pytest.mark.postgres
def test_on_postgresql_duckdb_and_postgres_give_the_same_figures(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs Django on PostgreSQL (DATABASE_URL)")
    kpi_fill(actor=SYSTEM, first=SEPTEMBER, last=SEPTEMBER, engine="duckdb")
    duckdb_rows = sorted(KpiFigure.objects.values_list("month", "area_code", "key", "value", "denominator"))
    kpi_fill(actor=SYSTEM, first=SEPTEMBER, last=SEPTEMBER, engine="postgres", force=True)
    assert sorted(KpiFigure.objects.values_list("month", "area_code", "key", "value", "denominator")) == duckdb_rows
    assert stored("50") == hand_counts("50")


def test_kpi_show_json_has_every_programme_key(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    out = StringIO()
    call_command("kpi", "show", "--month", SEPTEMBER, "--json", stdout=out, stderr=StringIO())
    shown = json.loads(out.getvalue())
    city = hand_counts("50")
    assert shown["jobs_pushed_ytd"] == city["jobs_pushed_ytd"][0]
    assert shown["policy_paid_yuan_ytd"] == city["policy_paid_yuan_ytd"][0] / 100  # yuan
    assert shown["arrears_on_time_rate"] == 0.5
    assert set(KEYS) <= set(shown)


def test_the_dashboard_shows_the_figures_as_cards_from_the_tables_only(world, client, make_user):
    from django.urls import reverse

    from bangfu.monitoring.dashboard import build_dashboard

    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    user = make_user(role="city_admin", area_code="50")
    Push.objects.all().delete()  # the page must not count the app's rows: it reads the tables
    cards = {c["key"]: c for c in build_dashboard(user=user, month=SEPTEMBER, area="50").cards}
    assert cards["jobs_pushed_ytd"]["value"] == "5"
    assert cards["policy_paid_yuan_ytd"]["value"] == "9,000元"
    assert cards["arrears_on_time_rate"]["value"] == "50.0%"
    client.force_login(user)
    page = client.get(reverse("monitoring:dashboard"), {"month": SEPTEMBER, "area": "50"})
    assert 'data-card="jobs_pushed_ytd"' in page.content.decode()


def test_the_briefing_has_a_section_per_programme(world):
    from bangfu.monitoring.briefing import briefing_for
    from bangfu.monitoring.briefing_sections import briefing_document

    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    document = briefing_document(briefing_for(month=SEPTEMBER, code="50"))
    texts = {s.title: " ".join(s.paragraphs) for s in document.sections if s.title}
    assert "累计推送岗位5个，开展就业服务3人次" in texts["就业服务"]
    assert "兑现各类就业帮扶政策资金9,000元、惠及2人次" in texts["政策兑现"]
    assert "受理欠薪线索5条，已办结的按期办结率50.0%" in texts["根治欠薪"]
    assert "2个驻外劳务办事机构" in texts["根治欠薪"]


def test_the_metro_jobs_summed_from_the_fill_s_employment_cells_equal_those_counted_again(world):
    from bangfu.core.engine import engine_session
    from bangfu.core.months import month_range
    from bangfu.engine.kpi import KpiInputs, compute_kpis
    from bangfu.engine.kpi import expressions as x
    from bangfu.monitoring.kpi_figures import main_metro_jobs_for_other_zones as metro

    def rows(engine):
        t = engine.execute(metro(engine, first="2024-01", last=SEPTEMBER))
        return sorted((r.month, r.district_code, r.township_code, int(r.value)) for r in t.itertuples())

    with engine_session() as session:
        eng = session.engine
        counted = rows(eng)
        result = compute_kpis(KpiInputs.from_engine(eng), month_range("2024-01", SEPTEMBER), execute=eng.to_pyarrow)
        eng.memo[x.CELLS_MEMO] = (result.cells, result.cell_months)
        summed = rows(eng)
    assert summed == counted
    assert sum(r[3] for r in counted if r[0] == SEPTEMBER) == 2
