"""Reasons and vetoes of the matching engine, rendered through gettext for the UI.

The msgids are the engine's Chinese templates (``bangfu.engine.matching.reasons``), repeated
here so ``makemessages`` finds them; a stored reason is ``{"code", "params", "text"}``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.engine.matching.reasons import REASON_TEMPLATES, VETO_TEMPLATES

TEMPLATES = {
    "occupation_exact": _("技能对口：{occupation}"),
    "occupation_past": _("曾从事{occupation}"),
    "occupation_minor": _("同类工种：{occupation}"),
    "occupation_medium": _("同为{group}工种"),
    "occupation_medium_generic": _("同属一类工种"),
    "occupation_entry": _("入门岗位，无需证书"),
    "occupation_newcomer": _("无需技能证书，适合新手"),
    "wage_above": _("月薪高于期望 {amount} 元"),
    "wage_meets": _("月薪达到期望"),
    "wage_reaches": _("月薪最高 {amount} 元，可达期望"),
    "wage_range": _("月薪 {low}–{high} 元"),
    "place_township": _("本乡镇"),
    "place_county": _("县内"),
    "place_zone": _("市内县外，同在{zone}"),
    "place_city": _("市内县外（{zone}）"),
    "place_cooperation": _("{region}劳务协作"),
    "place_outside": _("市外"),
    "place_abroad": _("境外"),
    "ability_weak": _("招聘对象含弱劳动力"),
    "accommodation": _("提供食宿"),
    "transport": _("提供交通"),
    "employer_good": _("用工单位信用良好"),
    "expired": _("岗位已过期或已关闭"),
    "full": _("岗位已招满"),
    "age": _("年龄 {age} 岁不在招聘范围 {low}–{high} 岁"),
    "wage": _("月薪最高 {high} 元，低于期望 {expected} 元"),
    "certificate": _("缺少证书：{names}"),
    "place": _("务工地点（{place}）不在本人可接受范围"),
    "ability": _("劳动技能不满足岗位要求（需{required}）"),
    "pushed": _("已推送过该岗位"),
    "not_candidate": _("工种不对口，且岗位需要证书或技能劳动力"),
}
PART_LABELS = {"occupation": _("工种匹配"), "wage": _("薪资"), "distance": _("距离"),
               "employer": _("用工单位信用"), "priority": _("优先帮扶")}

assert set(TEMPLATES) == set(REASON_TEMPLATES) | set(VETO_TEMPLATES), "keep in step with the engine"


def reason_text(reason: dict) -> str:
    """The text of a stored reason in the active language."""
    template = TEMPLATES.get(reason.get("code", ""))
    if template is None:
        return reason.get("text", "")
    try:
        return str(template).format(**(reason.get("params") or {}))
    except (KeyError, IndexError):
        return reason.get("text", "")


def reason_texts(reasons: list[dict]) -> list[str]:
    return [reason_text(r) for r in reasons or []]
