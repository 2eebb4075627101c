"""What the dashboard shows, as plain data: headline cards, chart series and the tables.

The page, its Excel exports and the API read the same ``Dashboard`` so a table on screen and
its download never disagree. Everything comes from the KPI tables through ``selectors``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE
from bangfu.monitoring import selectors
from bangfu.monitoring.briefing import label, month_label, percent
from bangfu.monitoring.choices import OUTSIDE_CITY
from bangfu.monitoring.completeness import MonthStatus
from bangfu.monitoring.figures import figure_cards, programme_groups
from bangfu.registry.choices import RegionGroup

ZONE_LABELS = dict(RegionGroup.choices) | {OUTSIDE_CITY: gettext_noop("重庆市外"), "unknown": gettext_noop("未知")}
TABLES = ("trend", "areas", "region_group", "place_class", "channel", "cooperation_region", "flow")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]  # values for Excel: numbers stay numbers
    links: list[str] = field(default_factory=list)  # drill-down area code per row ("" = none)
    _html: dict = field(default_factory=dict, repr=False, compare=False)

    def html(self, month: str | None) -> str:
        """The table as HTML, built once per table (a cached dashboard reuses it)."""
        if month not in self._html:
            self._html[month] = self._build_html(month)
        return self._html[month]

    def _build_html(self, month: str | None) -> str:
        """Built here: a template loop over every cell costs more than the rest of the page.
        Every text is escaped as a template would."""
        head = "".join(f'<th class="num">{escape(h)}</th>' if i else f"<th>{escape(h)}</th>"
                       for i, h in enumerate(self.headers))
        body = []
        for row in self.display_rows:
            first = escape(row["cells"][0])
            if row["link"]:
                code = escape(row["link"])
                first = (f'<a href="?month={escape(month or "")}&amp;area={code}" class="drill" '
                         f'data-area="{code}">{first}</a>')
            cells = "".join(f'<td class="num">{escape(v)}</td>' for v in row["cells"][1:])
            body.append(f"<tr><td>{first}</td>{cells}</tr>")
        if not body:
            body.append(f'<tr><td class="empty" colspan="{len(self.headers)}">{escape(_("暂无数据"))}</td></tr>')
        return mark_safe(  # noqa: S308 - every piece above is escaped
            f'<div class="table-wrap"><table class="grid kpi-table" data-table="{escape(self.key)}">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>")

    @property
    def display_rows(self) -> list[dict]:
        """Rows for the page: thousands separators, one decimal, a dash for no value."""
        out = []
        for index, row in enumerate(self.rows):
            cells = [_display(v) for v in row]
            link = self.links[index] if index < len(self.links) else ""
            out.append({"cells": cells, "link": link})
        return out


def _display(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass
class Dashboard:
    month: str | None
    area: str
    area_name: str
    level: str
    has_data: bool
    cards: list[dict]
    tables: dict[str, Table]
    charts: dict
    path: list[dict]
    months: list[str]
    stale_months: list[str]
    status: MonthStatus | None = None  # the month's reports (None: no month)

    @property
    def headline_cards(self) -> list[dict]:
        """The monitoring cards at the top (务工规模, 完成年度目标, 同比, 工资性收入占比)."""
        return [c for c in self.cards if not c.get("figure")]

    @property
    def programmes(self) -> list[dict]:
        """The programmes' cards, one titled group per app."""
        return programme_groups(self.cards)


def _fmt_ratio(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole * 100, 1) if whole else None


CACHE_SIZE = 256  # dashboards kept per process (a few tens of kB each)
_cache: OrderedDict[tuple, Dashboard] = OrderedDict()
_cache_lock = threading.Lock()  # gunicorn's threaded workers share the module


def dashboard_for(*, user, month: str | None, area: str) -> Dashboard:
    """``build_dashboard``, remembered in this process until the KPI tables change.

    Only the fill writes the KPI tables, and it rewrites the month's fill-state row each time
    (as does an import that makes a month stale), so those rows are the version in the key;
    the monthly reports and the day (a deadline passes at midnight) are in it too, since they
    decide the default month and which comparisons are shown.
    On the demo data a hit saves 9 of the page's 12 queries and most of its time. The result
    is shared: callers must not change it.
    """
    selectors.area_check(user=user, code=area)  # a refusal is never remembered
    key = (selectors.dashboard_version(), user.pk, user.area_code, user.role,
           area, month, get_language())
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    data = build_dashboard(user=user, month=month, area=area)
    with _cache_lock:
        _cache[key] = data
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return data


def dashboard_cache_clear() -> None:
    with _cache_lock:
        _cache.clear()


def dashboard_frame(*, user, area: str, month: str | None = None) -> Dashboard:
    """The page around the figures (area, path, months) without any figure."""
    selectors.area_check(user=user, code=area)
    path = [{"code": c, "name": area_name(c)} for c in selectors.visible_path(user=user, code=area)]
    return Dashboard(month=month, area=area, area_name=area_name(area), level=selectors.area_level(area),
                     has_data=False, cards=[], tables={}, charts={}, path=path,
                     months=selectors.kpi_months(user=user), stale_months=selectors.kpi_stale_months())


def build_dashboard(*, user, month: str | None, area: str) -> Dashboard:
    """The figures of ``area`` in ``month`` (default: the latest complete month of the area)."""
    month = month or selectors.kpi_default_month(user=user, code=area)
    empty = dashboard_frame(user=user, area=area, month=month)
    if month is None:
        return empty
    level, path, months = empty.level, empty.path, empty.months
    summary = selectors.kpi_summary(user=user, month=month, code=area)
    empty.status = summary.status
    trend = selectors.kpi_trend(user=user, code=area, last=month)
    if not summary.has_data:
        empty.charts = {"labels": chart_labels(), "trend": _trend_chart(trend)}
        return empty
    row, r = summary.row, summary.ratios
    b = summary.breakdowns
    book = summary.book
    scale = row.employment_scale

    if row.scale_last_month and r["mom"] is not None:
        diff = scale - row.scale_last_month
        mom = _("较上月{sign}{count}人").format(sign="+" if diff >= 0 else "−", count=f"{abs(diff):,}")
    else:
        mom = (row.scale_last_month and summary.why_not_compared(1)) or _("上月暂无数据")
    if r["yoy"] is not None:
        yoy_value = ("+" if r["yoy"] >= 0 else "") + percent(r["yoy"])
        yoy_foot = _("上年同月 {count}人").format(count=f"{row.scale_last_year:,}")
    elif row.scale_last_year and summary.why_not_compared(12):
        yoy_value, yoy_foot = "—", summary.why_not_compared(12)
    else:
        yoy_value = _("暂无数据")
        yoy_foot = _("上年同月暂无数据")
    cards = [
        {"key": "scale", "label": _("务工规模"), "value": f"{scale:,}", "unit": _("人"), "foot": mom},
        {"key": "target", "label": _("完成年度目标"),
         "value": percent(r["target_completion"]) if row.target else _("未设定"), "unit": "",
         "foot": _("{year}年目标 {count}人").format(year=month[:4], count=f"{row.target:,}")
         if row.target else _("本区域未设定年度目标")},
        {"key": "yoy", "label": _("同比"), "value": yoy_value, "unit": "", "foot": yoy_foot},
        {"key": "wage", "label": _("工资性收入占比"),
         "value": percent(r["wage_income_share"]) if r["wage_income_share"] is not None else _("暂无数据"),
         "unit": "", "foot": _("{year}年，{count}户").format(year=row.income_year,
                                                           count=f"{row.income_households:,}")},
    ]
    cards += figure_cards(summary.figures, month=month)  # the programmes' figures, from the KPI tables

    tables: dict[str, Table] = {}
    tables["trend"] = Table(
        "trend", _("近24个月务工规模"),
        [_("月份"), _("务工规模（人）"), _("脱贫劳动力（人）"), _("今年以来累计务工（人）"), _("同比（%）"),
         _("数据完整")],
        [[month_label(t["month"]), t["employment_scale"], t["workers"], t["employed_ytd"], _fmt_ratio(t["yoy"]),
          t["complete"]]
         for t in trend if t["employment_scale"] is not None])

    children = list(selectors.kpi_districts(user=user, month=month, code=area))
    child_title = {"city": _("各区县务工规模"), "region_group": _("各区县务工规模"),
                   "district": _("各乡镇（街道）务工规模"), "township": ""}[level]
    if children:
        rows, links = [], []
        districts = level in ("city", "region_group")  # the rows are districts: say who reported
        reported = summary.status.reported
        for c in children:
            cr = book.honest_ratios({f: getattr(c, f) for f in ("employment_scale", "workers", "target",
                                                                 "scale_last_year", "scale_last_month")},
                                    month=month, code=c.area_code)
            diff = (c.employment_scale - c.scale_last_month) if c.scale_last_month is not None else None
            rows.append([area_name(c.area_code), c.employment_scale, c.workers,
                         _share(c.employment_scale, c.workers), c.target,
                         _fmt_ratio(cr["target_completion"]), _fmt_ratio(cr["yoy"]),
                         diff if book.comparable(month, c.area_code, 1) else None]
                        + ([_("已报送") if c.area_code in reported else _("未报送")] if districts else []))
            links.append(c.area_code)
        tables["areas"] = Table("areas", child_title,
                                [_("区域"), _("务工规模（人）"), _("脱贫劳动力（人）"), _("务工率（%）"),
                                 _("年度目标（人）"), _("完成进度（%）"), _("同比（%）"), _("较上月（人）")]
                                + ([_("报送情况")] if districts else []),
                                rows, links)

    def breakdown(key: str, title: str, first: str, labels=None) -> None:
        values = b.get(key, {})
        if not values:
            return
        whole = sum(values.values())  # shares of the breakdown's own total (市外务工 for regions)
        tables[key] = Table(key, title, [first, _("务工人数（人）"), _("占比（%）")],
                            [[(labels or (lambda k: label(key, k)))(k), v, _share(v, whole)]
                             for k, v in values.items()],
                            [k if key == "region_group" else "" for k in values])

    if level in ("city",):
        breakdown("region_group", _("按一区两群"), _("区域"), _zone)
    breakdown("place_class", _("按务工地点"), _("务工地点"))
    breakdown("channel", _("按就业渠道"), _("就业渠道"))
    breakdown("cooperation_region", _("按劳务协作地区（市外务工）"), _("劳务协作地区"))
    flows = b.get("flow", {})
    if flows and level in ("city", "region_group"):
        rows = []
        for key, value in flows.items():
            home, _sep, work = key.partition(">")
            rows.append([_zone(home), _zone(work), value,
                         _("是") if home != work and work in RegionGroup.values else _("否")])
        tables["flow"] = Table("flow", _("跨区域务工流向"),
                               [_("户籍所在"), _("务工所在"), _("人数（人）"), _("跨区域")], rows)

    charts = {
        "labels": chart_labels(),
        "trend": _trend_chart(trend),
        "areas": {"names": [x[0] for x in tables["areas"].rows], "values": [x[1] for x in tables["areas"].rows],
                  "codes": tables["areas"].links} if "areas" in tables else None,
        "pies": {k: [{"name": x[0], "value": x[1]} for x in tables[k].rows]
                 for k in ("region_group", "place_class", "channel", "cooperation_region") if k in tables},
        "zone_codes": tables["region_group"].links if "region_group" in tables else [],
        "flow": _flow_chart(flows) if "flow" in tables else None,
    }
    return Dashboard(month=month, area=area, area_name=area_name(area), level=level,
                     has_data=True, cards=cards, tables=tables, charts=charts, path=path, months=months,
                     stale_months=selectors.kpi_stale_months(), status=summary.status)


def _trend_chart(trend: list[dict]) -> dict:
    while trend and trend[0]["employment_scale"] is None:  # no data yet: not a zero
        trend = trend[1:]
    return {"months": [t["month"] for t in trend], "scale": [t["employment_scale"] for t in trend],
            "workers": [t["workers"] for t in trend], "partial": [not t["complete"] for t in trend]}


def _flow_chart(flows: dict[str, int]) -> dict:
    """Sankey nodes: home zones on the left (户籍), work zones on the right (务工地)."""
    nodes, links = [], []
    names = set()
    for key, value in flows.items():
        home, _sep, work = key.partition(">")
        source = _("{zone}（户籍）").format(zone=_zone(home))
        target = _("{zone}（务工）").format(zone=_zone(work))
        for n in (source, target):
            if n not in names:
                names.add(n)
                nodes.append({"name": n})
        links.append({"source": source, "target": target, "value": value})
    return {"nodes": nodes, "links": links}


def _zone(code: str) -> str:
    return _(str(ZONE_LABELS.get(code, code)))


def chart_labels() -> dict[str, str]:
    """Words the chart script shows, translated like the rest of the page."""
    return {"scale": _("务工规模"), "workers": _("脱贫劳动力"), "people": _("人"), "wan": _("万")}


def default_area(user) -> str:
    return selectors.user_area(user) or CITY_CODE
