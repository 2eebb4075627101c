"""What the worker is told at each step, queued in the shared outbox in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import override

from bangfu.arrears import choices as c
from bangfu.arrears.models import ArrearsCase, Office
from bangfu.core.money import format_yuan

SIGNATURE = "【重庆根治欠薪】"


def _send(*, case: ArrearsCase, text: str, event: str) -> None:
    # The shared outbox: queued in this transaction, sent by `bangfu outbox send`.
    from bangfu.outbox.services import outbox_enqueue

    # One message per step of the case: the history's length tells the steps apart, and a
    # retried transaction queues the same key again, which the outbox ignores.
    position = case.events.count()
    outbox_enqueue(kind=f"arrears.{event}", body=text, phone=case.phone, area_code=case.area_code,
                   dedup_key=f"arrears:{case.number}:{position}:{event}")


def _date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _office(office: Office) -> str:
    if office.contact_phone:
        return _("%(name)s（电话 %(phone)s）") % {"name": office.name, "phone": office.contact_phone}
    return office.name


def notify_worker(case: ArrearsCase, event: str, **extra) -> None:
    """Tell the complainant about ``event`` on ``case`` (a state, or transfer/extension/...)."""
    with override("zh-hans"):  # workers read Chinese whatever the officer's UI language
        values = {"number": case.number, "office": _office(case.office),
                  "state": c.State(case.state).label, **extra}
        if event == "intake":
            text = _("您的欠薪投诉已登记，案件号 %(number)s，由%(office)s办理。请凭案件号和手机号查询进度。")
        elif event == c.State.ACCEPTED:
            values["due"] = _date(case.finish_due)
            text = _("案件 %(number)s 已受理，将于%(due)s前办结。承办：%(office)s。")
        elif event == c.State.REJECTED:
            text = _("案件 %(number)s 不予受理，理由：%(reason)s。如有疑问请联系%(office)s。")
        elif event == "transfer":
            text = _("案件 %(number)s 已转由%(office)s办理。")
        elif event == "extension":
            values["due"] = _date(case.finish_due)
            text = _("案件 %(number)s 办结期限延长至%(due)s。")
        elif event == "payment":
            values["amount"] = format_yuan(extra.get("amount_fen", 0))
            text = _("案件 %(number)s 已登记支付工资 %(amount)s 元。")
        elif event == c.State.PAID:
            values["amount"] = format_yuan(case.amount_recovered_fen)
            text = _("案件 %(number)s 已登记支付工资，累计 %(amount)s 元。")
        elif event == c.State.CLOSED:
            text = _("案件 %(number)s 已办结。感谢您的信任，如仍有欠薪请联系%(office)s。")
        else:
            text = _("案件 %(number)s 当前状态：%(state)s。")
        _send(case=case, text=SIGNATURE + text % values, event=str(event))
