"""公益性岗位's figures in the KPI fill: each equals a count made here, by hand, over the rows of
a small world (placements on both sides of September's last day, posts approved before and
after it, pay paid and not paid); the same on DuckDB and in the database; on the dashboard
and in the briefing. The engine reads through its own connection: ``transactional_db``."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from bangfu.core.months import last_day
from bangfu.core.pii import pii_hash
from bangfu.monitoring.models import KpiFigure
from bangfu.monitoring.services import kpi_fill
from bangfu.monitoring.tests.factories import EmploymentMonthFactory
from bangfu.payments.models import Payment, PaymentBatch
from bangfu.posts.models import Placement, WelfarePost
from bangfu.posts.tests.factories import PlacementFactory, WelfarePostFactory
from bangfu.registry.models import Division, Place
from bangfu.registry.reference import load_reference_data
from bangfu.registry.tests.factories import FENGDU, WANZHOU, WANZHOU_TOWNSHIP, PersonFactory
from bangfu.core.actors import SYSTEM

pytestmark = pytest.mark.django_db(transaction=True)

LOCAL = ZoneInfo("Asia/Shanghai")
SEPTEMBER = "2024-09"
KEYS = ("welfare_posts_placed", "welfare_posts_vacant", "welfare_post_paid_yuan_ytd",
        "welfare_posts_placed_assist_management", "welfare_posts_placed_public_service")


def local(y, m, d, hour=12, minute=0) -> dt.datetime:
    return dt.datetime(y, m, d, hour, minute, tzinfo=LOCAL)


def post(**kwargs) -> WelfarePost:
    kwargs.setdefault("approved_at", local(2024, 1, 5))
    return WelfarePostFactory(**kwargs)


@pytest.fixture
def world():
    if not Division.objects.exists():  # the flush after an earlier transactional test emptied them
        load_reference_data(Division, Place)
    fengdu = post(headcount=4)
    late = post(headcount=2, approved_at=local(2024, 10, 1, 0, 30))  # October here, September in UTC
    requested = post(headcount=2, status="requested", approved_at=None)
    wanzhou = post(headcount=1, district_code=WANZHOU, township_code=WANZHOU_TOWNSHIP,
                   post_type="assist_management")
    rows = [  # (post, status, category, contract start, exit date)
        (fengdu, "active", "alleviated", dt.date(2024, 1, 15), None),
        (fengdu, "exited", "alleviated", dt.date(2024, 2, 1), dt.date(2024, 10, 8)),   # gone after September
        (fengdu, "exited", "alleviated", dt.date(2024, 2, 1), dt.date(2024, 9, 30)),   # gone on the last day
        (fengdu, "active", "monitored", dt.date(2024, 3, 1), None),                    # holds a seat, not counted
        (fengdu, "notice", "alleviated", None, None),                                  # 公示 only
        (fengdu, "active", "alleviated", dt.date(2024, 10, 1), None),                  # starts after September
        (wanzhou, "active", "alleviated", dt.date(2023, 6, 1), None),
        (late, "withdrawn", "alleviated", None, None),
    ]
    for target, status, category, start, exit_date in rows:
        person = PersonFactory(district_code=target.district_code, township_code=target.township_code,
                               category=category)
        PlacementFactory(post=target, person=person, status=status, contract_start=start, exit_date=exit_date,
                         planned_end=dt.date(2026, 12, 31) if start else None)
        # employment, so the months have KPI rows
        EmploymentMonthFactory(person=person, month=SEPTEMBER, place_class="in_county", channel="welfare_post")
    persons = list(Placement.objects.values_list("person", flat=True))
    batch = PaymentBatch.objects.create(number="PB1", claim_type="welfare_post_pay", scope=SEPTEMBER,
                                        purpose="test", area_code="50", status="settled")
    lines = [  # (claim type, amount fen, status, settled at, district)
        ("welfare_post_pay", 210_000, "paid", local(2024, 2, 10), FENGDU),
        ("welfare_post_pay", 210_000, "paid", local(2024, 9, 30, 23, 30), WANZHOU),  # still September here
        ("welfare_post_pay", 210_000, "paid", local(2024, 10, 1, 0, 30), FENGDU),    # October here
        ("welfare_post_pay", 210_000, "failed", local(2024, 3, 1), FENGDU),
        ("welfare_post_pay", 210_000, "paid", local(2023, 12, 1), FENGDU),           # last year
        ("entitlement", 90_000, "paid", local(2024, 4, 1), FENGDU),                  # another programme
    ]
    for n, (claim_type, amount, status, settled, district) in enumerate(lines, start=1):
        Payment.objects.create(
            batch=batch, line_no=n, claim_type=claim_type, claim_id=n, payee_person_id=persons[n % len(persons)],
            payee_name="x", bank_name="银行", account="6210000000000000", account_hash=pii_hash(f"a{n}"),
            amount_fen=amount, status=status, settled_at=settled, district_code=district, township_code="")
    return {"fengdu": fengdu, "late": late, "requested": requested, "wanzhou": wanzhou}


def in_post_on(p: Placement, day: dt.date) -> bool:
    return (p.status in ("active", "exited") and p.contract_start is not None and p.contract_start <= day
            and (p.exit_date is None or p.exit_date > day))


def hand_counts(area: str, month: str = SEPTEMBER) -> dict[str, int]:
    def inside(district: str) -> bool:
        return area == "50" or district == area

    end = last_day(month)
    next_month_local = dt.datetime(end.year, end.month, end.day, tzinfo=LOCAL) + dt.timedelta(days=1)
    placements = list(Placement.objects.select_related("person"))
    held = [p for p in placements if in_post_on(p, end) and p.person.category == "alleviated"
            and inside(p.district_code)]
    placed = len(held)
    post_types = dict(WelfarePost.objects.values_list("pk", "post_type"))
    by_type = {t: sum(1 for p in held if post_types[p.post_id] == t) for t in ("assist_management", "public_service")}
    vacant = 0
    for w in WelfarePost.objects.all():
        if w.status == "approved" and w.approved_at and w.approved_at < next_month_local and inside(w.district_code):
            vacant += max(w.headcount - sum(1 for p in placements if p.post_id == w.pk and in_post_on(p, end)), 0)
    paid = sum(p.amount_fen for p in Payment.objects.all()
               if p.claim_type == "welfare_post_pay" and p.status == "paid" and inside(p.district_code)
               and f"{month[:4]}-01" <= p.settled_at.astimezone(LOCAL).strftime("%Y-%m") <= month)
    return {"welfare_posts_placed": placed, "welfare_posts_vacant": vacant, "welfare_post_paid_yuan_ytd": paid,
            "welfare_posts_placed_assist_management": by_type["assist_management"],
            "welfare_posts_placed_public_service": by_type["public_service"]}


def stored(area: str, month: str = SEPTEMBER) -> dict[str, int]:
    rows = {(f.area_code, f.key): f.value for f in KpiFigure.objects.filter(month=month)}
    return {key: rows.get((area, key), 0) for key in KEYS}


def test_each_posts_figure_equals_the_count_made_by_hand(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    for area in ("50", FENGDU, WANZHOU):
        assert stored(area) == hand_counts(area), area
    # not trivially zero: 3 alleviated in post (丰都 2, 万州 1); 丰都's post has 4 seats and
    # 3 held (one by a 监测对象), the post approved in October local time is not yet counted
    assert hand_counts("50") == {"welfare_posts_placed": 3, "welfare_posts_vacant": 1,
                                 "welfare_post_paid_yuan_ytd": 420_000,
                                 "welfare_posts_placed_assist_management": 1,  # 万州's post
                                 "welfare_posts_placed_public_service": 2}
    assert stored(FENGDU)["welfare_posts_placed"] == 2
    # 政策兑现资金 counts the entitlement paid in April, not the posts' monthly pay (its own figure)
    policy = {f.area_code: f.value for f in KpiFigure.objects.filter(month=SEPTEMBER, key="policy_paid_yuan_ytd")}
    assert policy["50"] == 90_000


def test_the_stocks_move_with_the_month_and_the_paid_money_adds_up(world):
    kpi_fill(actor=SYSTEM, first="2024-08", last="2024-10")
    for month in ("2024-08", SEPTEMBER, "2024-10"):
        assert stored("50", month) == hand_counts("50", month), month
    # October: the late post is approved (2 seats, no one in it) and two alleviated left or
    # started; the money of October's return is added
    assert stored("50", "2024-10")["welfare_posts_vacant"] == 3
    assert stored("50", "2024-10")["welfare_post_paid_yuan_ytd"] == 630_000


def test_the_in_database_engine_gives_the_same_posts_figures_as_duckdb(world):
    kpi_fill(actor=SYSTEM, first=SEPTEMBER, last=SEPTEMBER, engine="duckdb")
    duckdb_rows = sorted(KpiFigure.objects.filter(key__in=KEYS).values_list("month", "area_code", "key", "value"))
    in_db = "postgres" if connection.vendor == "postgresql" else "sqlite"
    kpi_fill(actor=SYSTEM, first=SEPTEMBER, last=SEPTEMBER, engine=in_db, force=True)
    assert sorted(KpiFigure.objects.filter(key__in=KEYS).values_list("month", "area_code", "key", "value")) \
        == duckdb_rows
    assert duckdb_rows


def test_the_dashboard_cards_and_the_briefing_show_the_posts_figures(world, make_user):
    from bangfu.monitoring.briefing import briefing_for
    from bangfu.monitoring.briefing_sections import briefing_document
    from bangfu.monitoring.dashboard import build_dashboard

    kpi_fill(actor=SYSTEM, first="2024-08", last=SEPTEMBER)
    user = make_user(role="city_admin", area_code="50")
    Placement.objects.all().delete()  # the page and the briefing read the KPI tables only
    cards = {c["key"]: c for c in build_dashboard(user=user, month=SEPTEMBER, area="50").cards}
    assert cards["welfare_posts_placed"]["value"] == "3"
    assert cards["welfare_post_paid_yuan_ytd"]["value"] == "4,200元"
    document = briefing_document(briefing_for(month=SEPTEMBER, code="50"))
    texts = {s.title: " ".join(s.paragraphs) for s in document.sections if s.title}
    assert ("2024年9月末，公益性岗位安置脱贫人口3人（协助管理类1人、公共服务类2人），尚有空岗1个；"
            "2024年以来按月考勤发放岗位补贴4,200元。") in texts["公益性岗位"]
    # the breakdown is no card; the programme's cards are grouped under its name
    assert "welfare_posts_placed_public_service" not in cards
    groups = {g["app"]: g for g in build_dashboard(user=user, month=SEPTEMBER, area="50").programmes}
    assert groups["posts"]["title"] == "公益性岗位"
    assert [c["key"] for c in groups["posts"]["cards"]] == ["welfare_posts_placed", "welfare_posts_vacant",
                                                            "welfare_post_paid_yuan_ytd"]
