"""公益性岗位's figures for the KPI tables (``KPI_FIGURES`` in ``posts/hooks.py``), as engine queries.

Django-free (they run on every engine; see ``jobs/kpi.py``). The stocks are taken on the last
day of each month, with the rule of the posts pages (``selectors.placed_count``): a placement is
in its post on that day when it was signed (``active`` or since ``exited``), its contract
started by then and it has not exited by then (an exit dated the last day counts as gone).
Placements count in the person's area (copied onto the placement), posts in the post's area.
"""

from __future__ import annotations

import ibis

from bangfu.core.months import last_day, month_range, shift_month
from bangfu.engine import schema as s
from bangfu.payments import kpi as payments_kpi

PLACEMENT = "posts_placement"
POST = "posts_welfarepost"
SIGNED = ("active", "exited")  # a placement in 公示 or withdrawn never held the post
APPROVED = "approved"
ALLEVIATED = "alleviated"  # 脱贫人口 (not 防返贫监测对象)
CLAIM_TYPE = "welfare_post_pay"  # posts.payables.CLAIM_TYPE (that module needs Django)
KEYS = ["month", "district_code", "township_code"]


def _signed(engine):
    p = engine.table(PLACEMENT)
    return p.filter(p.status.isin(SIGNED) & p.contract_start.notnull())


def _in_post_on(p, day):
    return (p.contract_start <= day) & (p.exit_date.isnull() | (p.exit_date > day))


def _each_month(first: str, last: str, one_month):
    """One small query per month, stacked: the same SQL on every engine (no generated month
    table to join against); a fill covers at most a few dozen months."""
    return ibis.union(*[one_month(month) for month in month_range(first, last)])


def placed_by_month(engine, *, first: str, last: str, post_type: str | None = None):
    """Poverty-alleviated persons in a public-welfare post on the month's last day (在岗安置脱贫人口);
    with ``post_type``, only those in posts of that type (协助管理类 / 公共服务类)."""
    person = engine.table(s.PERSON)
    person = person.filter(person.category == ALLEVIATED).select(alleviated_id="id")
    p = _signed(engine)
    p = p.join(person, p.person_id == person.alleviated_id)
    if post_type is not None:
        posts = engine.table(POST)
        posts = posts.filter(posts.post_type == post_type).select(typed_post_id="id")
        p = p.join(posts, p.post_id == posts.typed_post_id)

    def one_month(month: str):
        t = p.filter(_in_post_on(p, last_day(month)))
        return (t.group_by(["district_code", "township_code"]).aggregate(value=t.count())
                .mutate(month=ibis.literal(month)).select(*KEYS, "value"))

    return _each_month(first, last, one_month)


def vacant_by_month(engine, *, first: str, last: str, utc_offset_hours: int = 8):
    """Vacant seats of approved posts on the month's last day (空岗): a post approved by then
    whose headcount is more than the placements in it that day (of anyone, 脱贫 or 监测)."""
    posts = engine.table(POST)
    posts = posts.filter(posts.status == APPROVED).select("id", "headcount", "approved_at", "district_code",
                                                          "township_code")
    placements = _signed(engine)
    kind = posts.approved_at.type()

    def one_month(month: str):
        end = last_day(month)
        approved_by = ibis.literal(payments_kpi.utc_month_start(shift_month(month, 1), utc_offset_hours,
                                                                kind.timezone), type=kind)
        held = placements.filter(_in_post_on(placements, end))
        held = held.group_by(held.post_id.name("held_post")).aggregate(held=held.count())
        t = posts.filter(posts.approved_at.notnull() & (posts.approved_at < approved_by))
        t = t.left_join(held, t.id == held.held_post)
        free = t.headcount - t.held.fill_null(0)
        t = t.mutate(free=ibis.cases((free > 0, free), else_=0))
        return (t.group_by(["district_code", "township_code"]).aggregate(value=t.free.sum())
                .mutate(month=ibis.literal(month)).select(*KEYS, "value"))

    return _each_month(first, last, one_month)


def paid_fen_by_month(engine, *, first: str, last: str, utc_offset_hours: int = 8):
    """Post pay paid through ``payments`` (岗位补贴), in fen, in the month of the bank's return."""
    return payments_kpi.paid_fen_by_month(engine, first=first, last=last, utc_offset_hours=utc_offset_hours,
                                          claim_type=CLAIM_TYPE)
