"""The monthly briefing (工作简报): a paragraph in a bureau's style, every figure from the KPI tables.

    今年以来，全市脱贫人口务工规模稳定在81.2万人以上，完成年度目标的109%，同比增长4.6%。…

``briefing_for`` collects the figures (one ``Briefing``); ``paragraphs`` writes the Chinese
text; ``briefing_sections`` makes of them the official document (Word and PDF) that the city
administrator forwards unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core import months
from bangfu.core.months import month_range, parse_month
from bangfu.core.reference import area_name
from bangfu.core.scoping import CITY_CODE
from bangfu.monitoring import selectors
from bangfu.monitoring.choices import OTHER_REGION
from bangfu.monitoring.models import KpiArea
from bangfu.registry.choices import Channel, CooperationRegion, PlaceClass, RegionGroup

NO_DATA = gettext_noop("{month}{area}暂无务工监测数据。")
PARTIAL = gettext_noop("{month}务工监测数据尚未报送完毕：{area}{total}个区县中已有{reported}个报送，{missing}尚未报送，"
                       "以下数字尚不完整，暂不计算同比、环比。")
PARTIAL_NONE = gettext_noop("{month}务工监测数据尚未报送：{area}{total}个区县均未报送，以下数字尚不完整，暂不计算同比、环比。")
PARTIAL_DISTRICT = gettext_noop("{district}尚未报送{month}务工监测数据，以下数字尚不完整，暂不计算同比、环比。")
LATE = gettext_noop("说明：{missing}未在报送截止日（{deadline}）前报送{month}数据，以上数字按已有记录统计。")
NAMED_AT_MOST = 10  # districts named in a sentence; more read "…等N个区县"


def month_label(month: str) -> str:
    """``2024-09`` -> ``2024年9月`` in the active language."""
    return months.month_label(month, _(months.MONTH_LABEL))


def people(count: int | None) -> str:
    """81.2万人 for large counts, 1,234人 below ten thousand."""
    if count is None:
        return "—"
    if count >= 10_000:
        return _("{count}万人").format(count=f"{count / 10_000:.1f}")
    return _("{count}人").format(count=f"{count:,}")


def people_floor(count: int) -> str:
    """A lower bound for "稳定在…以上": rounded down, never up."""
    if count >= 10_000:
        return _("{count}万人").format(count=f"{math.floor(count / 1_000) / 10:.1f}")
    return _("{count}人").format(count=f"{count:,}")


def percent(fraction: float | None, digits: int = 1) -> str:
    if fraction is None:
        return "—"
    return f"{fraction * 100:.{digits}f}%"


def whole_percent(fraction: float) -> str:
    """Target completion reads as a whole percent (109%) like the bureau's reports."""
    return f"{round(fraction * 100)}%"


def change(fraction: float | None) -> str:
    if fraction is None:
        return ""
    if abs(fraction) < 0.0005:
        return _("与上年同期基本持平")
    if fraction > 0:
        return _("同比增长{percent}").format(percent=f"{fraction * 100:.1f}%")
    return _("同比下降{percent}").format(percent=f"{-fraction * 100:.1f}%")


LABELS = {
    "place_class": dict(PlaceClass.choices),
    "channel": dict(Channel.choices),
    "cooperation_region": dict(CooperationRegion.choices) | {OTHER_REGION: gettext_noop("其他省市")},
    "region_group": dict(RegionGroup.choices),
}

LABELS_TITLE = {
    "place_class": gettext_noop("按务工地点"), "channel": gettext_noop("按就业渠道"), "region_group": gettext_noop("按一区两群"),
    "cooperation_region": gettext_noop("按劳务协作地区"), "flow": gettext_noop("跨区域流向"),
}


def label(dimension: str, key: str) -> str:
    return _(str(LABELS.get(dimension, {}).get(key, key)))


def _exact(count: int) -> str:
    return _("{count}人").format(count=f"{count:,}")


@dataclass
class Briefing:
    month: str
    area: str
    summary: selectors.KpiSummary
    stable_floor: int | None = None  # lowest scale since March of the year (after the Spring Festival)
    stable_since: str | None = None
    children: list[KpiArea] = field(default_factory=list)  # the next level down that has a target
    child_level: str = ""
    trend: list[dict] = field(default_factory=list)  # selectors.kpi_trend: 24 months to ``month``
    areas: list[KpiArea] = field(default_factory=list)  # every area of the next level, largest first

    @property
    def has_data(self) -> bool:
        return self.summary.has_data

    @property
    def row(self) -> KpiArea:
        return self.summary.row

    @property
    def area_name(self) -> str:
        return area_name(self.area)

    @property
    def subject(self) -> str:
        """The subject of the briefing's sentences: the bureau writes 全市 for its own city."""
        return _("全市") if self.area == CITY_CODE else self.area_name

    @property
    def status(self):
        return self.summary.status


def _named(names: list[str]) -> str:
    """万州区、涪陵区 ... or 万州区、…、綦江区等38个区县"""
    pause = _("、")
    if len(names) <= NAMED_AT_MOST:
        return pause.join(names)
    return _("{names}等{count}个区县").format(names=pause.join(names[:NAMED_AT_MOST]), count=len(names))


def partial_note(brief: Briefing) -> str:
    """The sentence that opens the briefing of a partial month ("" for a complete month)."""
    status = brief.status
    if status.complete:
        return ""
    month = month_label(brief.month)
    if status.districts_total == 1:
        return _(PARTIAL_DISTRICT).format(district=area_name(status.districts[0]), month=month)
    if status.districts_reported == 0:
        return _(PARTIAL_NONE).format(month=month, area=brief.subject, total=status.districts_total)
    return _(PARTIAL).format(month=month, area=brief.subject, total=status.districts_total,
                             reported=status.districts_reported, missing=_named(status.missing_names))


def late_note(brief: Briefing) -> str:
    """The closing remark of a month completed by its deadline with districts missing."""
    status = brief.status
    if not status.complete or status.all_reported:
        return ""
    return _(LATE).format(missing=_named(status.missing_names), deadline=status.deadline_label,
                          month=month_label(brief.month))


def briefing_for(*, month: str, code: str = CITY_CODE, user=None) -> Briefing:
    """The figures of the briefing; ``user=None`` only from the command line."""
    if user is not None:
        summary = selectors.kpi_summary(user=user, month=month, code=code)
    else:
        summary = selectors.kpi_summary_unrestricted(month=month, code=code)
    brief = Briefing(month=month, area=code, summary=summary)
    if not summary.has_data:
        return brief
    # The area was checked above (or there is no user): the rest reads within it.
    brief.trend = selectors.kpi_trend_unrestricted(code=code, last=month)
    brief.areas = list(selectors.kpi_districts_unrestricted(month=month, code=code))
    year, mon = parse_month(month)
    book = summary.book
    # "stable since the start of the year" is read after the Spring Festival dip, and only over
    # complete months (a partial month is not a low).
    if mon >= 3 and all(book.complete(m, code) for m in month_range(f"{year}-03", month)):
        since = f"{year}-03"
        window = month_range(since, month)
        scales = list(KpiArea.objects.filter(area_code=code, month__in=window)
                      .values_list("employment_scale", flat=True))
        if len(scales) == len(window) and all(scales):  # every month since March has data
            brief.stable_floor, brief.stable_since = min(scales), since
    qs = KpiArea.objects.filter(month=month, target__isnull=False, target__gt=0)
    level = selectors.area_level(code)
    if level == "city":
        qs, brief.child_level = qs.filter(area_level="district"), "district"
    elif level == "region_group":
        qs, brief.child_level = qs.filter(area_level="district", parent_code=code), "district"
    elif level == "district":
        qs, brief.child_level = qs.filter(parent_code=code), "township"
    else:
        qs = qs.none()
    brief.children = list(qs)
    return brief


def paragraphs(brief: Briefing) -> list[str]:
    """The briefing text: a headline paragraph, then where and how people work, then income."""
    comma, pause, semi, stop = _("，"), _("、"), _("；"), _("。")
    month = month_label(brief.month)
    if not brief.has_data:
        return [_(NO_DATA).format(month=month, area=brief.subject)]
    row, r = brief.row, brief.summary.ratios
    b = brief.summary.breakdowns
    area = brief.subject
    year = brief.month[:4]

    head = []
    if brief.stable_floor is not None:
        head.append(_("今年以来，{area}脱贫人口务工规模稳定在{count}以上").format(
            area=area, count=people_floor(brief.stable_floor)))
    else:
        head.append(_("{month}，{area}脱贫人口务工规模{count}").format(
            month=month, area=area, count=people(row.employment_scale)))
    if r["target_completion"] is not None:
        head.append(_("完成年度目标的{percent}").format(percent=whole_percent(r["target_completion"])))
    if r["yoy"] is not None:
        head.append(change(r["yoy"]))
    first = partial_note(brief) + comma.join(head) + stop
    detail = [_("截至{month}末，{area}务工{count}").format(month=month, area=area,
                                                        count=people(row.employment_scale))]
    if row.workers:
        detail.append(_("占脱贫劳动力{workers}的{percent}").format(
            workers=people(row.workers), percent=percent(row.employment_scale / row.workers)))
    if row.scale_last_month and r["mom"] is not None:
        diff = row.employment_scale - row.scale_last_month
        if diff > 0:
            detail.append(_("较上月增加{count}人").format(count=f"{diff:,}"))
        elif diff < 0:
            detail.append(_("较上月减少{count}人").format(count=f"{-diff:,}"))
        else:
            detail.append(_("与上月持平"))
    if row.employed_ytd:
        detail.append(_("{year}年以来累计务工{count}").format(year=year, count=people(row.employed_ytd)))
    texts = [first + comma.join(detail) + stop]

    places = b.get("place_class", {})
    if places:
        parts = [_("{place}务工{count}（{percent}）").format(
                     place=label("place_class", k), count=people(places[k]),
                     percent=percent(places[k] / row.employment_scale))
                 for k in PlaceClass.values if places.get(k)]
        text = _("从务工地点看，") + pause.join(parts)
        regions = b.get("cooperation_region", {})
        named = sorted(((k, v) for k, v in regions.items() if k != OTHER_REGION), key=lambda kv: -kv[1])
        if named:
            text += semi + _("市外务工主要流向") + pause.join(
                _("{region}{count}").format(region=label("cooperation_region", k), count=people(v))
                for k, v in named[:4])
        texts.append(text + stop)

    flows = b.get("flow", {})
    into_metro = sum(v for k, v in flows.items()
                     if k.endswith(">main_metro") and not k.startswith("main_metro>"))
    channels = b.get("channel", {})
    middle = []
    if brief.area == CITY_CODE and into_metro:
        middle.append(_("主城都市区为渝东北、渝东南脱贫劳动力提供就业岗位{count}").format(count=people(into_metro)))
    for key, phrase in (("welfare_post", _("公益性岗位安置{count}")), ("workshop", _("帮扶车间吸纳{count}")),
                        ("gig", _("零工市场等灵活就业渠道帮助就业{count}"))):
        if channels.get(key):
            middle.append(phrase.format(count=people(channels[key])))
    if middle:
        texts.append(semi.join(middle) + stop)

    if brief.children:
        ranked = sorted(brief.children, key=lambda c: -(c.employment_scale / c.target))
        done = [c for c in ranked if c.employment_scale >= c.target]

        def progress(items) -> str:
            return pause.join(_("{area}（{percent}）").format(
                area=area_name(c.area_code), percent=whole_percent(c.employment_scale / c.target))
                for c in items)

        unit = _("区县") if brief.child_level == "district" else _("乡镇（街道）")
        text = _("分{unit}看，{done}个{unit}已完成年度目标，完成进度居前的是{top}").format(
            unit=unit, done=len(done), top=progress(ranked[:3]))
        behind = [c for c in ranked[::-1][:3] if c.employment_scale < c.target]
        if behind:
            text += semi + _("进度相对滞后的是{areas}").format(areas=progress(behind))
        texts.append(text + stop)

    if r["wage_income_share"] is not None:
        text = _("{year}年{area}脱贫家庭工资性收入占家庭纯收入的{percent}").format(
            year=row.income_year, area=area, percent=percent(r["wage_income_share"]))
        if r["wage_income_share"] >= 0.5:
            text += comma + _("务工就业已成为脱贫群众增收的主要来源")
        texts.append(text + stop)
    if late_note(brief):
        texts.append(late_note(brief))
    return texts


def briefing_text(brief: Briefing) -> str:
    return "\n".join(paragraphs(brief))


def figure_rows(brief: Briefing) -> list[tuple[str, str]]:
    """The headline table of the report."""
    if not brief.has_data:
        return []
    row, r = brief.row, brief.summary.ratios
    return [
        (_("脱贫劳动力"), _exact(row.workers)),
        (_("务工规模"), _exact(row.employment_scale)),
        (_("今年以来累计务工"), _exact(row.employed_ytd)),
        (_("年度目标"), _exact(row.target) if row.target else _("未设定")),
        (_("完成年度目标"), percent(r["target_completion"])),
        (_("上年同月务工规模"), _exact(row.scale_last_year) if row.scale_last_year else _("暂无数据")),
        (_("同比"), percent(r["yoy"])),
        (_("工资性收入占比（{year}年）").format(year=row.income_year), percent(r["wage_income_share"])),
    ]
