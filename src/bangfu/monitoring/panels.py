"""What monitoring shows on other pages (see bangfu.core.panels): the home page's employment
figure and the person page's employment months."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.core.reference import place_name
from bangfu.engine.kpi import ratios
from bangfu.monitoring import selectors
from bangfu.monitoring.briefing import label, month_label
from bangfu.monitoring.dashboard import default_area

PERSON_MONTHS = 12


def home_stats(*, request) -> list[dict]:
    user = request.user
    area = default_area(user)
    month = selectors.kpi_default_month(user=user, code=area)  # the latest complete month
    if month is None:
        return []
    row = selectors.kpi_area_get(user=user, month=month, code=area)
    if row is None or not row.employment_scale:
        return []
    completion = ratios({"employment_scale": row.employment_scale, "target": row.target})["target_completion"]
    foot = month_label(month)
    status = selectors.month_status(user=user, month=month, code=area)
    if not status.complete:  # no month is complete yet: say how far the reports are
        foot += _("（{reported}）").format(reported=status.progress_label)
    if completion is not None:
        foot += _("，完成年度目标{percent}").format(percent=f"{completion * 100:.0f}%")
    return [{"label": _("务工规模"), "value": row.employment_scale, "unit": pgettext("unit", "人"),
             "foot": foot, "url": reverse("monitoring:dashboard"), "order": 20, "accent": "purple"}]


def person_panel(*, request, person) -> dict | None:
    months = list(selectors.person_employment(user=request.user, person=person)[:PERSON_MONTHS])
    rows = [{"month": month_label(m.month), "place": label("place_class", m.place_class),
             "destination": _destination(m.destination_code), "channel": label("channel", m.channel),
             "employer": m.employer_name, "job": m.job_title,
             "income": f"{m.income_fen / 100:,.0f}" if m.income_fen is not None else "—"} for m in months]
    return {"title": _("务工情况（最近{n}个月）").format(n=PERSON_MONTHS), "order": 40,
            "template": "monitoring/_person_panel.html", "context": {"rows": rows}}


def _destination(code: str) -> str:
    return place_name(code) if code else ""
