"""Chinese texts of reasons and vetoes.

The engine names each reason by a code with parameters; these templates give the Chinese
text (SMS, JSON output). The jobs app renders the same templates through gettext for the UI
(``bangfu.jobs.reasons`` repeats them as msgids), so a translation covers both.
"""

from __future__ import annotations

from bangfu import codes

REASON_TEMPLATES = {
    "occupation_exact": "技能对口：{occupation}",
    "occupation_past": "曾从事{occupation}",
    "occupation_minor": "同类工种：{occupation}",
    "occupation_medium": "同为{group}工种",
    "occupation_medium_generic": "同属一类工种",
    "occupation_entry": "入门岗位，无需证书",
    "occupation_newcomer": "无需技能证书，适合新手",
    "wage_above": "月薪高于期望 {amount} 元",
    "wage_meets": "月薪达到期望",
    "wage_reaches": "月薪最高 {amount} 元，可达期望",
    "wage_range": "月薪 {low}–{high} 元",
    "place_township": "本乡镇",
    "place_county": "县内",
    "place_zone": "市内县外，同在{zone}",
    "place_city": "市内县外（{zone}）",
    "place_cooperation": "{region}劳务协作",
    "place_outside": "市外",
    "place_abroad": "境外",
    "ability_weak": "招聘对象含弱劳动力",
    "accommodation": "提供食宿",
    "transport": "提供交通",
    "employer_good": "用工单位信用良好",
}

VETO_TEMPLATES = {
    "expired": "岗位已过期或已关闭",
    "full": "岗位已招满",
    "age": "年龄 {age} 岁不在招聘范围 {low}–{high} 岁",
    "wage": "月薪最高 {high} 元，低于期望 {expected} 元",
    "certificate": "缺少证书：{names}",
    "place": "务工地点（{place}）不在本人可接受范围",
    "ability": "劳动技能不满足岗位要求（需{required}）",
    "pushed": "已推送过该岗位",
    "not_candidate": "工种不对口，且岗位需要证书或技能劳动力",
}

PART_LABELS = {
    "occupation": "工种匹配",
    "wage": "薪资",
    "distance": "距离",
    "employer": "用工单位信用",
    "priority": "优先帮扶",
}

# The labour ability each level of bangfu.codes.MIN_ABILITY requires, by its label.
ABILITY_LABELS = {level: codes.LABOUR_ABILITY.label(value)
                  for level, value in enumerate(codes.MIN_ABILITY.values, start=1)}


def yuan(fen: int) -> str:
    """Whole yuan with thousands separators (fen kept only when present): ``1,234`` / ``1,234.5``."""
    fen = int(fen)
    if fen % 100 == 0:
        return f"{fen // 100:,}"
    return f"{fen / 100:,.2f}".rstrip("0")


def render(code: str, params: dict | None = None, templates: dict[str, str] | None = None) -> str:
    template = (templates or REASON_TEMPLATES).get(code) or VETO_TEMPLATES.get(code, code)
    return template.format(**(params or {}))
