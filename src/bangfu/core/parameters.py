"""参数设置: the parameters an administrator may change on the page, and the one way code reads them.

``get(key, default)`` returns the value set on 参数设置 (``ParameterOverride``) or else
``settings.BANGFU[key]`` (or ``default``). The editable parameters are those the apps declare
(``PARAMETERS`` in their ``hooks.py``) and core's own list; each has a rule (``RULES``: an integer,
a decimal, an amount in 元, or an amount in 元 per district) with its range, checked before
anything is stored. Amounts are stored in fen, entered and shown in 元. Every change is audited
with its old and new value, in the same transaction.

The overrides are read once and kept for ``CACHE_SECONDS`` per process (a change reaches the other
processes within that time; the process that made it sees it at once).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.core.actors import Actor, Forbidden, actor_user, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.money import format_yuan
from bangfu.core.scoping import CITY_CODE

CACHE_SECONDS = 5
_cache: dict[str, Any] = {"at": 0.0, "values": None, "uncached_until": 0.0}
# After a change in an open transaction the overrides are read afresh, never cached, until the
# commit (or for this long, if it was rolled back): a rolled-back value is then never served.
PENDING_SECONDS = 60

INT, DECIMAL, YUAN, YUAN_BY_DISTRICT = "int", "decimal", "yuan", "yuan_by_district"


@dataclass(frozen=True)
class Rule:
    kind: str
    low: float
    high: float


CORE_PARAMETERS = {
    "PAGE_SIZE": gettext_lazy("列表每页条数"),
    "IMPORT_MAX_ROWS": gettext_lazy("单次导入最大行数"),
    "IMPORT_MAX_BYTES": gettext_lazy("导入文件大小上限（字节）"),
    "EXPORT_BACKGROUND_ROWS": gettext_lazy("导出超过此行数时在后台生成（后台任务）"),
    "ENGINE": gettext_lazy("批处理计算引擎"),
    "SPARK_MASTER": gettext_lazy("Spark 集群地址"),
}

# The ranges a value must keep (amounts in 元). A declared parameter without a rule here gets one
# from its type (``rule_for``); one that is neither a number nor an amount is shown, not edited.
RULES = {
    "PAGE_SIZE": Rule(INT, 10, 500),
    "IMPORT_MAX_ROWS": Rule(INT, 100, 1_000_000),
    "EXPORT_BACKGROUND_ROWS": Rule(INT, 100, 1_000_000),
    "PUSH_PER_WORKER_PER_WEEK": Rule(INT, 0, 20),
    "PUSH_BUDGET_FACTOR": Rule(DECIMAL, 0, 50),
    "MONTH_CLOSE_DEADLINE_DAY": Rule(INT, 1, 28),
    "POSTS_MIN_MONTHLY_WAGE_FEN": Rule(YUAN_BY_DISTRICT, 500, 20_000),
    "POSTS_MIN_HOURLY_WAGE_FEN": Rule(YUAN_BY_DISTRICT, 5, 200),
    "POSTS_MIN_DAYS_PRESENT": Rule(INT, 0, 31),
    "POSTS_MIN_AGE": Rule(INT, 16, 65),
    "POSTS_MAX_AGE": Rule(INT, 16, 70),
    "POSTS_MONTHS_OUTSIDE_COUNTY": Rule(INT, 1, 24),
    "POSTS_NOTICE_WORKING_DAYS": Rule(INT, 1, 30),
    "POSTS_MAX_CONTRACT_MONTHS": Rule(INT, 1, 120),
    "POSTS_RETIREMENT_AGE": Rule(INT, 50, 70),
    "POSTS_RETIREMENT_WITHIN_YEARS": Rule(INT, 0, 15),
}
# Operations settings (engine, file sizes): shown, changed by the operators in the environment.
READ_ONLY = {"ENGINE", "SPARK_MASTER", "IMPORT_MAX_BYTES", "MAX_BODY_BYTES"}


_pinned = threading.local()  # this thread's overrides while an engine session holds the file


def _overrides() -> dict[str, Any]:
    from bangfu.core.models import ParameterOverride

    pinned = getattr(_pinned, "values", None)
    if pinned is not None:
        return pinned
    now = time.monotonic()
    if now < _cache["uncached_until"]:
        return dict(ParameterOverride.objects.values_list("key", "value"))
    if _cache["values"] is None or now - _cache["at"] > CACHE_SECONDS:
        _cache["values"] = dict(ParameterOverride.objects.values_list("key", "value"))
        _cache["at"] = now
    return _cache["values"]


@contextmanager
def pinned() -> Iterator[None]:
    """The overrides as read now, served without a query until the block ends (this thread).
    An engine session on SQLite pins them: inside it no Django query may run (``core.engine``),
    and a KPI figure reading a parameter after the cache expired would reopen the connection."""
    previous = getattr(_pinned, "values", None)
    _pinned.values = dict(_overrides())
    try:
        yield
    finally:
        _pinned.values = previous


def forget() -> None:
    """Read the overrides again on the next ``get`` (after a change, and in tests)."""
    _cache["values"] = None
    _cache["uncached_until"] = 0.0


def _changing() -> None:
    """A change not yet committed: read the overrides afresh (not cached) until ``forget``."""
    _cache["values"] = None
    _cache["uncached_until"] = time.monotonic() + PENDING_SECONDS


def get(key: str, default: Any = None) -> Any:
    """The value of parameter ``key``: set on 参数设置, else ``settings.BANGFU``, else ``default``."""
    overrides = _overrides()
    if key in overrides:
        return overrides[key]
    return getattr(settings, "BANGFU", {}).get(key, default)


def declared() -> dict[str, Any]:
    """Every parameter with its label: core's and the apps' (``PARAMETERS`` hooks)."""
    from bangfu.core.hooks import PARAMETERS

    return {**CORE_PARAMETERS, **PARAMETERS.mapping()}


def rule_for(key: str) -> Rule | None:
    """How ``key`` is edited, or None when it is not editable on the page."""
    if key in READ_ONLY or key not in declared():
        return None
    if key in RULES:
        return RULES[key]
    value = getattr(settings, "BANGFU", {}).get(key)
    if key.endswith("_FEN"):
        if isinstance(value, dict) and "default" in value:
            return Rule(YUAN_BY_DISTRICT, 0, 1_000_000)
        if isinstance(value, int) and not isinstance(value, bool):
            return Rule(YUAN, 0, 1_000_000)
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Rule(INT, 0, 1_000_000)
    if isinstance(value, float):
        return Rule(DECIMAL, 0, 1_000)
    return None


# ---- reading a value typed on the page


def _number(text: str, rule: Rule, *, money: bool) -> Decimal:
    cleaned = (text or "").replace(",", "").replace("，", "").replace("元", "").strip()
    if not cleaned:
        raise ValidationError(_("请填写数值"))
    if "e" in cleaned.lower():
        raise ValidationError(_("“%(value)s”请直接填写数字，不要使用科学计数法") % {"value": text})
    try:
        number = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValidationError(_("“%(value)s”不是有效的数值") % {"value": text}) from exc
    if not number.is_finite():
        raise ValidationError(_("“%(value)s”不是有效的数值") % {"value": text})
    if number < Decimal(str(rule.low)) or number > Decimal(str(rule.high)):
        unit = _("元") if money else ""
        raise ValidationError(_("数值应在 %(low)s 到 %(high)s%(unit)s 之间") % {
            "low": f"{rule.low:,}", "high": f"{rule.high:,}", "unit": unit})
    return number


def _fen(text: str, rule: Rule) -> int:
    amount = _number(text, rule, money=True)
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValidationError(_("金额“%(value)s”最多保留两位小数（精确到分）") % {"value": text})
    return int(fen)


def parse(key: str, text: str) -> Any:
    """The value to store for what was typed on the page (amounts: fen), or a ValidationError."""
    rule = rule_for(key)
    if rule is None:
        raise ValidationError(_("此参数不能在页面上修改"))
    if rule.kind == INT:
        number = _number(text, rule, money=False)
        if number != number.to_integral_value():
            raise ValidationError(_("请填写整数"))
        return int(number)
    if rule.kind == DECIMAL:
        return float(_number(text, rule, money=False))
    if rule.kind == YUAN:
        return _fen(text, rule)
    return _parse_by_district(text, rule)


def _parse_by_district(text: str, rule: Rule) -> dict[str, int]:
    """Lines ``default = 2000`` and ``500230 = 2100`` (a district code or 区县名称 = 元)."""
    from bangfu.core.reference import area_code_for, divisions

    table: dict[str, int] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, amount = line.replace("＝", "=").partition("=")
        name = name.strip()
        if not sep:
            raise ValidationError(_("第 %(line)d 行应为“区县代码 = 金额”") % {"line": number})
        if name in ("default", _("其余区县")):
            code = "default"
        else:
            code = name if name in divisions() else (area_code_for(name) or "")
            if len(code) != 6:
                raise ValidationError(_("第 %(line)d 行：“%(name)s”不是区县") % {"line": number, "name": name})
        try:
            table[code] = _fen(amount, rule)
        except ValidationError as exc:
            raise ValidationError(_("第 %(line)d 行：%(reason)s") % {"line": number, "reason": exc.messages[0]}) from exc
    if "default" not in table:
        raise ValidationError(_("须包含“default = 金额”一行（未单列的区县按此执行）"))
    return table


def as_text(key: str, value: Any) -> str:
    """A stored value as the page shows it and the form offers it (amounts in 元)."""
    rule = rule_for(key)
    if rule is not None and rule.kind == YUAN and isinstance(value, int):
        return format_yuan(value).replace(",", "")
    if rule is not None and rule.kind == YUAN_BY_DISTRICT and isinstance(value, dict):
        return "\n".join(f"{code} = {format_yuan(int(fen)).replace(',', '')}" for code, fen in value.items())
    return "" if value is None else str(value)


def _for_audit(key: str, value: Any) -> Any:
    rule = rule_for(key)
    if rule is not None and rule.kind in (YUAN, YUAN_BY_DISTRICT) and value is not None:
        return as_text(key, value).replace("\n", "；") + " " + _("元")
    return value


# ---- the writes


def require_editor(actor: Actor) -> None:
    """Parameters are the city's: changed by its administrators only."""
    require(actor, Capability.MANAGE_USERS)
    if actor.area_code != CITY_CODE:
        raise Forbidden(_("只有市级管理员可以修改参数"))


@transaction.atomic
def parameter_set(*, key: str, text: str, actor: Actor) -> Any:
    """Set ``key`` from what was typed (validated by its rule); audited with the old and new value."""
    from bangfu.core.models import ParameterOverride

    require_editor(actor)
    value = parse(key, text)
    old = ParameterOverride.objects.select_for_update().filter(key=key).first()
    before = old.value if old else getattr(settings, "BANGFU", {}).get(key)
    ParameterOverride.objects.update_or_create(key=key, defaults={"value": value, "updated_by": actor_user(actor)})
    audit_record(actor=actor, action="parameter.update", area_code=CITY_CODE,
                 detail={"key": key, "old": _for_audit(key, before), "new": _for_audit(key, value)})
    _changing()
    transaction.on_commit(forget)
    return value


@transaction.atomic
def parameter_reset(*, key: str, actor: Actor) -> None:
    """Back to the configured value (``settings.BANGFU``); audited."""
    from bangfu.core.models import ParameterOverride

    require_editor(actor)
    old = ParameterOverride.objects.select_for_update().filter(key=key).first()
    if old is None:
        return
    default = getattr(settings, "BANGFU", {}).get(key)
    old.delete()
    audit_record(actor=actor, action="parameter.reset", area_code=CITY_CODE,
                 detail={"key": key, "old": _for_audit(key, old.value), "new": _for_audit(key, default)})
    _changing()
    transaction.on_commit(forget)
