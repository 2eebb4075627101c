"""A policy as data: its fields, their validation, and YAML in and out (Django-free)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any

import yaml

from bangfu.engine import features as ft
from bangfu.engine.policy import cel

CODE_RE = ft.POLICY_CODE_RE
PERIOD_KINDS = {"year": "按年度"}
FREQUENCIES = {"once_per_period": "每个受益对象每期一次"}
YAML_FIELDS = (
    "code", "name", "legal_basis", "beneficiary", "period", "frequency", "condition", "amount",
    "budget_yuan", "description", "note",
)


class DefinitionError(ValueError):
    """Fields that are wrong; ``errors`` is a list of (field, message) or CelError."""

    def __init__(self, errors: list):
        self.errors = errors
        super().__init__("；".join(_error_text(e) for e in errors))


def _error_text(error) -> str:
    if isinstance(error, cel.CelError):
        return f"{error.field_name}：{error}"
    field_name, message = error
    return f"{field_name}：{message}"


@dataclass(frozen=True)
class PolicyDefinition:
    code: str
    name: str
    legal_basis: str
    beneficiary: str  # person | enterprise | workshop | helper
    condition: str
    amount: str
    period: str = "year"
    frequency: str = "once_per_period"
    budget_yuan: float | None = None
    description: str = ""
    note: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    @cached_property
    def checked(self) -> tuple[cel.Checked, cel.Checked]:
        """(condition, amount) parsed and checked; raises DefinitionError."""
        return validate(self)

    @property
    def calls(self) -> list[ft.FeatureCall]:
        seen: dict[str, ft.FeatureCall] = {}
        for checked in self.checked:
            for call in checked.calls:
                seen.setdefault(call.column, call)
        return list(seen.values())

    def to_yaml(self) -> str:
        data = {k: v for k, v in asdict(self).items() if k in YAML_FIELDS}
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def validate(d: PolicyDefinition) -> tuple[cel.Checked, cel.Checked]:
    """Check every field; all problems at once in a DefinitionError."""
    errors: list = []
    if not CODE_RE.match(d.code or ""):
        errors.append(("code", "政策代码应为小写英文字母开头，由小写字母、数字和下划线组成（2-50位）"))
    if not (d.name or "").strip():
        errors.append(("name", "政策名称不能为空"))
    if not (d.legal_basis or "").strip():
        errors.append(("legal_basis", "请填写政策依据（文件号）"))
    if d.beneficiary not in ft.KINDS:
        errors.append(("beneficiary", f"受益对象应为：{'、'.join(f'{k}（{v}）' for k, v in ft.KIND_LABELS.items())}"))
    if d.period not in PERIOD_KINDS:
        errors.append(("period", "期间类型目前只支持 year（按年度）"))
    if d.frequency not in FREQUENCIES:
        errors.append(("frequency", "发放频次目前只支持 once_per_period（每期一次）"))
    if d.budget_yuan is not None:
        try:
            if float(d.budget_yuan) <= 0:
                errors.append(("budget_yuan", "预算应大于 0，或留空表示不限"))
        except (TypeError, ValueError):
            errors.append(("budget_yuan", "预算应为数字（元）"))
    condition = amount = None
    if d.beneficiary in ft.KINDS:
        try:
            condition = cel.check(d.condition, kind=d.beneficiary, expect=(cel.BOOL,), field_name="condition")
        except cel.CelError as exc:
            errors.append(exc)
        try:
            amount = cel.check(d.amount, kind=d.beneficiary, expect=(cel.INT, cel.DOUBLE), field_name="amount")
        except cel.CelError as exc:
            errors.append(exc)
    if errors:
        raise DefinitionError(errors)
    return condition, amount


def from_mapping(data: dict[str, Any]) -> PolicyDefinition:
    """A definition from a YAML mapping; unknown keys are refused (a typo must not pass)."""
    if not isinstance(data, dict):
        raise DefinitionError([("yaml", "YAML 内容应为键值对")])
    unknown = sorted(set(data) - set(YAML_FIELDS))
    if unknown:
        raise DefinitionError([("yaml", f"未知的字段：{'、'.join(unknown)}")])
    missing = [k for k in ("code", "name", "legal_basis", "beneficiary", "condition", "amount") if not data.get(k)]
    if missing:
        raise DefinitionError([(k, "必填") for k in missing])
    budget = data.get("budget_yuan")
    return PolicyDefinition(
        code=str(data["code"]).strip(),
        name=str(data["name"]).strip(),
        legal_basis=str(data["legal_basis"]).strip(),
        beneficiary=str(data["beneficiary"]).strip(),
        condition=_text(data["condition"]),
        amount=_text(data["amount"]),
        period=str(data.get("period") or "year").strip(),
        frequency=str(data.get("frequency") or "once_per_period").strip(),
        budget_yuan=float(budget) if budget not in (None, "") else None,
        description=_text(data.get("description") or ""),
        note=_text(data.get("note") or ""),
    )


def _text(value: Any) -> str:
    return re.sub(r"[ \t]+\n", "\n", str(value)).strip()


def from_yaml(text: str) -> PolicyDefinition:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第{mark.line + 1}行第{mark.column + 1}列：" if mark else ""
        raise DefinitionError([("yaml", f"{where}YAML 格式错误")]) from None
    return from_mapping(data)
