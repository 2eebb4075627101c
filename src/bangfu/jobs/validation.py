"""Checks of employers and postings, one place for the form, the import and the API.

Every message is Chinese and a module constant, so tests assert on the constant.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError

from bangfu.codes import WORKER_MAX_AGE, WORKER_MIN_AGE
from bangfu.core import reference
from bangfu.core.places import place_facts
from bangfu.jobs import choices as c

ERR_OCCUPATION = "未知的职业代码：{code}（请使用随系统提供的职业分类代码，如 6-29-01-01）"
ERR_PLACE = "未知的工作地点代码：{code}（重庆填区县或乡镇代码，外省填省或市代码）"
ERR_PLACE_REQUIRED = "请填写工作地点代码，或勾选“境外岗位”"
ERR_HEADCOUNT = "招聘人数必须大于 0"
ERR_FILLED = "已招人数不能大于招聘人数"
ERR_WAGE_POSITIVE = "月薪必须大于 0"
ERR_WAGE_ORDER = "月薪下限不能高于上限"
ERR_AGE_BOUNDS = "年龄限制须在 {low}–{high} 岁之间"
ERR_AGE_ORDER = "最低年龄不能高于最高年龄"
ERR_VALID_ORDER = "有效期起不能晚于有效期止"
ERR_EXPIRED = "有效期止已过（{date}），过期岗位不能发布"
ERR_ABILITY = "未知的招聘对象：{value}"
ERR_SOURCE = "未知的岗位来源：{value}"


def posting_check(data: dict, *, today: dt.date, new: bool = True) -> dict[str, str]:
    """Field -> Chinese message for every problem of a posting's values (empty when valid).

    ``data`` holds model field values (fen, dates, ints). A posting being edited may keep a
    past expiry; a new one may not (``new``).
    """
    errors: dict[str, str] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, message)

    if (data.get("occupation_code") or "") not in reference.occupations():
        fail("occupation_code", ERR_OCCUPATION.format(code=data.get("occupation_code") or "（空）"))
    if not data.get("abroad"):
        code = (data.get("work_place_code") or "").strip()
        if not code:
            fail("work_place_code", ERR_PLACE_REQUIRED)
        elif place_facts(code) is None:
            fail("work_place_code", ERR_PLACE.format(code=code))
    headcount = data.get("headcount")
    if headcount is None or headcount <= 0:
        fail("headcount", ERR_HEADCOUNT)
    elif (data.get("filled_count") or 0) > headcount:
        fail("filled_count", ERR_FILLED)
    low, high = data.get("wage_min_fen"), data.get("wage_max_fen")
    if low is None or low <= 0:
        fail("wage_min_fen", ERR_WAGE_POSITIVE)
    if high is None or high <= 0:
        fail("wage_max_fen", ERR_WAGE_POSITIVE)
    if low and high and low > 0 and high > 0 and low > high:
        fail("wage_max_fen", ERR_WAGE_ORDER)
    age_min, age_max = data.get("age_min"), data.get("age_max")
    bounds = ERR_AGE_BOUNDS.format(low=WORKER_MIN_AGE, high=WORKER_MAX_AGE)
    for field, value in (("age_min", age_min), ("age_max", age_max)):
        if value is None or not WORKER_MIN_AGE <= value <= WORKER_MAX_AGE:
            fail(field, bounds)
    if "age_min" not in errors and "age_max" not in errors and age_min > age_max:
        fail("age_max", ERR_AGE_ORDER)
    start, until = data.get("valid_from"), data.get("valid_until")
    if new and until and until < today:
        fail("valid_until", ERR_EXPIRED.format(date=f"{until.year}年{until.month}月{until.day}日"))
    if start and until and start > until:
        fail("valid_until", ERR_VALID_ORDER)
    ability = data.get("min_labour_ability")
    if ability not in c.MinAbility.values:
        fail("min_labour_ability", ERR_ABILITY.format(value=ability))
    source = data.get("source")
    if source not in c.PostingSource.values:
        fail("source", ERR_SOURCE.format(value=source))
    return errors


def posting_derived(data: dict) -> dict:
    """The columns derived from the place code (district, township, zone, region, name)."""
    facts = place_facts(data.get("work_place_code", ""), abroad=bool(data.get("abroad")))
    if facts is None:  # pragma: no cover - checked before
        raise ValueError("unknown place")
    return {
        "work_place_code": "" if facts.abroad else facts.code,
        "work_district_code": facts.district_code,
        "work_township_code": facts.township_code,
        "work_region_group": facts.region_group,
        "cooperation_region": facts.cooperation_region,
        "place_name": facts.name,
    }


def certificates_text(value) -> str:
    """Certificates as the stored comma-separated text (accepts a list or 、，, separated text)."""
    if isinstance(value, (list, tuple)):
        items = value
    else:
        text = str(value or "")
        for sep in ("、", "，", ";", "；", " "):
            text = text.replace(sep, ",")
        items = text.split(",")
    seen: list[str] = []
    for item in items:
        item = str(item).strip()
        if item and item not in seen:
            seen.append(item)
    return ",".join(seen)
