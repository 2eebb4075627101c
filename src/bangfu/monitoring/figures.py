"""Reads of the programmes' figures (``KpiFigure``): the dashboard cards, the briefing
sections and ``kpi show --json`` read them here, never the programmes' own tables.

The callers check the area first (``selectors.area_check``), as for every KPI read.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from bangfu.core.figures import FigureValue
from bangfu.core import months
from bangfu.core.hooks import BRIEFING, KPI_FIGURES, KpiContribution, KpiRollup
from bangfu.monitoring.models import KpiFigure


def month_label(month: str) -> str:
    return months.month_label(month, _(months.MONTH_LABEL))


def contributions() -> list[KpiContribution]:
    return KPI_FIGURES.items()


def figures_of(*, month: str, code: str) -> dict[str, FigureValue]:
    """{key: FigureValue} of every contributed figure of one area and month. A figure without
    a row is 0 (nothing pushed, nothing paid); a rate without one has no value."""
    stored = {key: (value, denominator) for key, value, denominator in KpiFigure.objects.filter(
        month=month, area_code=code).values_list("key", "value", "denominator")}
    out: dict[str, FigureValue] = {}
    for figure in contributions():
        ratio = figure.rollup == KpiRollup.RATIO_YTD
        value, denominator = stored.get(figure.key, (0, 0 if ratio else None))
        out[figure.key] = FigureValue(key=figure.key, value=value, denominator=denominator if ratio else None,
                                      money=figure.money)
    return out


def figures_json(figures: dict[str, FigureValue]) -> dict:
    """The figures as ``kpi show --json`` prints them: yuan for money, fractions for rates."""
    return {key: figure.number for key, figure in figures.items()}


def figure_cards(figures: dict[str, FigureValue], *, month: str) -> list[dict]:
    """The dashboard's cards of the programmes' figures (read from the table, like the rest)."""
    feet = {KpiRollup.YTD: _("{year}年1月至{month}").format(year=month[:4], month=month_label(month)),
            KpiRollup.RATIO_YTD: _("{year}年以来已办结的线索").format(year=month[:4]),
            KpiRollup.SUM: month_label(month)}
    cards = []
    for figure in contributions():
        value = figures.get(figure.key)
        if value is None or not figure.card:
            continue
        if value.denominator is not None or value.money:
            shown, unit = value.text(), ""
        else:
            shown, unit = f"{value.value:,}", str(figure.unit)
        cards.append({"key": figure.key, "label": str(figure.label), "value": shown, "unit": unit,
                      "foot": feet[figure.rollup], "figure": True, "app": figure.app})
    return cards


def programme_groups(cards: list[dict]) -> list[dict]:
    """The programmes' cards grouped by app, in the order of their first figure, each group
    titled as the app's briefing section is (政策兑现, 就业服务 …), else with the app's name
    (``AppConfig.verbose_name``): one row of cards per programme instead of one wall of them."""
    from django.apps import apps

    titles = dict(BRIEFING.contributions())
    groups: dict[str, dict] = {}
    for card in cards:
        if not card.get("figure"):
            continue
        app = card["app"]
        if app not in groups:
            if titles.get(app):
                title = str(titles[app][0].title)
            else:
                try:
                    title = str(apps.get_app_config(app).verbose_name)
                except LookupError:
                    title = app
            groups[app] = {"app": app, "title": title, "cards": []}
        groups[app]["cards"].append(card)
    return list(groups.values())


def programme_paragraphs(*, month: str, code: str, figures: dict[str, FigureValue]) -> list[tuple[str, str]]:
    """(title, paragraph) of every programme's briefing section (``core.hooks.BRIEFING``) that
    has something to say, written from the figures already read from the KPI tables."""
    out = []
    for section in BRIEFING.items():
        text = section.render(month=month, area_code=code, figures=figures)
        if text:
            out.append((str(section.title), text))
    return out
