"""What the dashboard shows, as plain data: headline cards, chart series and the tables.

The page, its Excel exports and the API read the same ``Dashboard`` so a table on screen and
its download never disagree. Everything comes from the KPI tables through ``selectors``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bangfu.core.scoping import CITY_CODE
from bangfu.engine.kpi import ratios
from bangfu.monitoring import selectors
from bangfu.monitoring.briefing import label, month_label, percent
from bangfu.registry.choices import RegionGroup

ZONE_LABELS = dict(RegionGroup.choices) | {"outside": "重庆市外", "unknown": "未知"}
TABLES = ("trend", "areas", "region_group", "place_class", "channel", "cooperation_region", "flow")


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list]  # values for Excel: numbers stay numbers
    links: list[str] = field(default_factory=list)  # drill-down area code per row ("" = none)

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
        return "是" if value else "否"
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


def _fmt_ratio(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def _share(part: int, whole: int) -> float | None:
    return round(part / whole * 100, 1) if whole else None


def build_dashboard(*, user, month: str | None, area: str) -> Dashboard:
    selectors.area_check(user=user, code=area)
    months = selectors.kpi_months(user=user)
    month = month or (months[0] if months else None)
    path = [{"code": c, "name": selectors.area_name(c)} for c in selectors.visible_path(user=user, code=area)]
    level = selectors.area_level(area)
    empty = Dashboard(month=month, area=area, area_name=selectors.area_name(area), level=level,
                      has_data=False, cards=[], tables={}, charts={}, path=path, months=months,
                      stale_months=selectors.kpi_stale_months())
    if month is None:
        return empty
    summary = selectors.kpi_summary(user=user, month=month, code=area)
    trend = selectors.kpi_trend(user=user, code=area, last=month)
    if not summary.has_data:
        empty.charts = {"trend": _trend_chart(trend)}
        return empty
    row, r = summary.row, summary.ratios
    b = summary.breakdowns
    scale = row.employment_scale

    cards = [
        {"key": "scale", "label": "务工规模", "value": f"{scale:,}", "unit": "人",
         "foot": (f"较上月{'+' if scale >= row.scale_last_month else '−'}{abs(scale - row.scale_last_month):,}人"
                  if row.scale_last_month else "上月暂无数据")},
        {"key": "target", "label": "完成年度目标", "value": percent(r["target_completion"]) if row.target else "未设定",
         "unit": "", "foot": f"{month[:4]}年目标 {row.target:,}人" if row.target else "本区域未设定年度目标"},
        {"key": "yoy", "label": "同比", "value": (("+" if r["yoy"] >= 0 else "") + percent(r["yoy"]))
         if r["yoy"] is not None else "暂无数据", "unit": "",
         "foot": f"上年同月 {row.scale_last_year:,}人" if row.scale_last_year else "上年同月暂无数据"},
        {"key": "wage", "label": "工资性收入占比", "value": percent(r["wage_income_share"])
         if r["wage_income_share"] is not None else "暂无数据", "unit": "",
         "foot": f"{row.income_year}年，{row.income_households:,}户"},
    ]

    tables: dict[str, Table] = {}
    tables["trend"] = Table(
        "trend", "近24个月务工规模", ["月份", "务工规模（人）", "脱贫劳动力（人）", "今年以来累计务工（人）", "同比（%）"],
        [[month_label(t["month"]), t["employment_scale"], t["workers"], t["employed_ytd"], _fmt_ratio(t["yoy"])]
         for t in trend if t["employment_scale"] is not None])

    children = list(selectors.kpi_districts(user=user, month=month, code=area))
    child_title = {"city": "各区县务工规模", "region_group": "各区县务工规模",
                   "district": "各乡镇（街道）务工规模", "township": ""}[level]
    if children:
        rows, links = [], []
        for c in children:
            cr = ratios({f: getattr(c, f) for f in ("employment_scale", "workers", "target",
                                                     "scale_last_year", "scale_last_month")})
            rows.append([selectors.area_name(c.area_code), c.employment_scale, c.workers,
                         _share(c.employment_scale, c.workers), c.target,
                         _fmt_ratio(cr["target_completion"]), _fmt_ratio(cr["yoy"]),
                         (c.employment_scale - c.scale_last_month) if c.scale_last_month is not None else None])
            links.append(c.area_code)
        tables["areas"] = Table("areas", child_title,
                                ["区域", "务工规模（人）", "脱贫劳动力（人）", "务工率（%）", "年度目标（人）",
                                 "完成进度（%）", "同比（%）", "较上月（人）"], rows, links)

    def breakdown(key: str, title: str, first: str, labels=None) -> None:
        values = b.get(key, {})
        if not values:
            return
        whole = sum(values.values())  # shares of the breakdown's own total (市外务工 for regions)
        tables[key] = Table(key, title, [first, "务工人数（人）", "占比（%）"],
                            [[(labels or (lambda k: label(key, k)))(k), v, _share(v, whole)]
                             for k, v in values.items()],
                            [k if key == "region_group" else "" for k in values])

    if level in ("city",):
        breakdown("region_group", "按一区两群", "区域", lambda k: str(ZONE_LABELS.get(k, k)))
    breakdown("place_class", "按务工地点", "务工地点")
    breakdown("channel", "按就业渠道", "就业渠道")
    breakdown("cooperation_region", "按劳务协作地区（市外务工）", "劳务协作地区")
    flows = b.get("flow", {})
    if flows and level in ("city", "region_group"):
        rows = []
        for key, value in flows.items():
            home, _, work = key.partition(">")
            rows.append([str(ZONE_LABELS.get(home, home)), str(ZONE_LABELS.get(work, work)), value,
                         "是" if home != work and work in RegionGroup.values else "否"])
        tables["flow"] = Table("flow", "跨区域务工流向", ["户籍所在", "务工所在", "人数（人）", "跨区域"], rows)

    charts = {
        "trend": _trend_chart(trend),
        "areas": {"names": [x[0] for x in tables["areas"].rows], "values": [x[1] for x in tables["areas"].rows],
                  "codes": tables["areas"].links} if "areas" in tables else None,
        "pies": {k: [{"name": x[0], "value": x[1]} for x in tables[k].rows]
                 for k in ("region_group", "place_class", "channel", "cooperation_region") if k in tables},
        "zone_codes": tables["region_group"].links if "region_group" in tables else [],
        "flow": _flow_chart(flows) if "flow" in tables else None,
    }
    return Dashboard(month=month, area=area, area_name=selectors.area_name(area), level=level,
                     has_data=True, cards=cards, tables=tables, charts=charts, path=path, months=months,
                     stale_months=selectors.kpi_stale_months())


def _trend_chart(trend: list[dict]) -> dict:
    while trend and trend[0]["employment_scale"] is None:  # no data yet: not a zero
        trend = trend[1:]
    return {"months": [t["month"] for t in trend], "scale": [t["employment_scale"] for t in trend],
            "workers": [t["workers"] for t in trend]}


def _flow_chart(flows: dict[str, int]) -> dict:
    """Sankey nodes: home zones on the left (户籍), work zones on the right (务工地)."""
    nodes, links = [], []
    names = set()
    for key, value in flows.items():
        home, _, work = key.partition(">")
        source = f"{ZONE_LABELS.get(home, home)}（户籍）"
        target = f"{ZONE_LABELS.get(work, work)}（务工）"
        for n in (source, target):
            if n not in names:
                names.add(n)
                nodes.append({"name": n})
        links.append({"source": source, "target": target, "value": value})
    return {"nodes": nodes, "links": links}


def default_area(user) -> str:
    return selectors.user_area(user) or CITY_CODE
