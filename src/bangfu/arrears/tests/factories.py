"""Building complaints and cases for the arrears tests (through the intake service, like real ones)."""

from __future__ import annotations

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from bangfu.arrears.services import case_intake
from bangfu.arrears.validation import Complaint
from bangfu.core.actors import PUBLIC, Actor
from bangfu.core.identifiers import make_id_number

SHANGHAI = ZoneInfo("Asia/Shanghai")
_sequence = itertools.count(1)


def id_number(district: str = "500230", birth: dt.date = dt.date(1980, 5, 1)) -> str:
    return make_id_number(district, birth, next(_sequence), "M")


def phone() -> str:
    return f"139{next(_sequence):08d}"


def complaint(**overrides) -> Complaint:
    values = dict(
        worker_name="王小二", id_number=id_number(), phone=phone(), employer_name="深圳某某建筑劳务有限公司",
        work_place_code="4403", period_start="2026-03", period_end="2026-06", amount_owed_fen=1_200_000,
        is_construction=True, workers_affected=1, description="工地做钢筋工，工资一直拖欠。",
    )
    values.update(overrides)
    return Complaint(**values)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """A moment on ``day`` in Chongqing's time zone."""
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def file_case(*, received: dt.date | None = None, channel: str = "public", actor: Actor = PUBLIC, **overrides):
    """File a complaint through the intake service; returns the IntakeResult."""
    now = at(received) if received else None
    return case_intake(complaint=complaint(**overrides), channel=channel, actor=actor, now=now)
