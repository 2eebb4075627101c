"""What a feature is: the beneficiary kinds, the tables read, periods, parameters and calls.

Django-free. Labels are Chinese; ``gettext_noop`` only marks them for the translators' catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from bangfu import codes
from bangfu.engine import schema


def gettext_noop(text: str) -> str:
    """Marks a label for translation without importing Django (xgettext knows the name)."""
    return text


# ---- tables the policy engine reads besides the registry (database names of the models) ------
EMPLOYER = "employers_employer"
WORKSHOP = "network_workshop"
WORKSHOP_MEMBER = "network_workshopmember"
WORKSHOP_RATING = "network_workshopratingrecord"
HELPER = "network_helper"
OUTFLOW_BATCH = "network_outflowbatch"
OUTFLOW_MEMBER = "network_outflowmember"
CONTRIBUTION = "insurance_socialinsurancecontribution"
POLICY = "policies_policy"
ENTITLEMENT = "policies_entitlement"
VULNERABLE_GROUP = "insurance_vulnerablegroupmember"
UI_CONTRIBUTION = "insurance_unemploymentcontribution"

# Every table the policy engine may read (the Spark path exports exactly these to Parquet).
POLICY_INPUT_TABLES = (
    schema.PERSON, schema.DIVISION, schema.EMPLOYMENT, EMPLOYER, WORKSHOP, WORKSHOP_MEMBER,
    WORKSHOP_RATING, CONTRIBUTION, POLICY, ENTITLEMENT, VULNERABLE_GROUP, UI_CONTRIBUTION,
    HELPER, OUTFLOW_BATCH, OUTFLOW_MEMBER,
    # skills training (bangfu.engine.features.training) and unemployment-benefit months
    "training_course", "training_enrolment", "training_certificate", "insurance_unemploymentbenefitmonth",
)

KINDS = codes.BENEFICIARY_KIND.values
KIND_LABELS = codes.BENEFICIARY_KIND.labels
TYPES = ("int", "double", "bool", "string")
TYPE_LABELS = {
    "int": gettext_noop("整数"),
    "double": gettext_noop("小数"),
    "bool": gettext_noop("是/否"),
    "string": gettext_noop("文字代码"),
}


POLICY_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,49}$")
PERIOD_RE = re.compile(r"^(\d{4})$")


class TableSource(Protocol):
    """Anything that gives Ibis tables by database name (``bangfu.engine.backends.Engine``)."""

    def table(self, name: str) -> Any: ...


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """A policy period. Only years for now (``2024``): every example policy is yearly."""

    code: str

    @classmethod
    def parse(cls, code: str) -> Period:
        if not PERIOD_RE.match(str(code or "")):
            raise PeriodError(f"期间“{code}”无效，应为四位年份，例如 2024")
        year = int(code)
        if not 2000 <= year <= 2100:
            raise PeriodError(f"期间“{code}”超出范围（2000-2100）")
        return cls(str(code))

    @property
    def year(self) -> int:
        return int(self.code)

    @property
    def first_month(self) -> str:
        return f"{self.code}-01"

    @property
    def last_month(self) -> str:
        return f"{self.code}-12"

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{self.code}年"


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # "string" or "int"
    label: str
    choices: Mapping[str, str] | None = None  # allowed values -> Chinese label
    minimum: int | None = None
    maximum: int | None = None
    pattern: re.Pattern | None = None

    def check(self, value: Any) -> str | None:
        """A Chinese reason why ``value`` is not acceptable, or None."""
        if self.type == "string":
            if not isinstance(value, str):
                return f"参数“{self.label}”应为文字（用双引号括起来）"
            if self.choices is not None and value not in self.choices:
                allowed = "、".join(f"\"{k}\"（{v}）" for k, v in self.choices.items())
                return f"参数“{self.label}”不能是“{value}”，可选：{allowed}"
            if self.pattern is not None and not self.pattern.match(value):
                return f"参数“{self.label}”的写法不对：“{value}”"
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            return f"参数“{self.label}”应为整数"
        if self.minimum is not None and value < self.minimum:
            return f"参数“{self.label}”不能小于 {self.minimum}"
        if self.maximum is not None and value > self.maximum:
            return f"参数“{self.label}”不能大于 {self.maximum}"
        return None


@dataclass(frozen=True)
class Feature:
    """One feature of one beneficiary kind.

    ``source`` is ``"base"`` (a column expression over the beneficiary's own row: ``compute(ctx,
    base)``) or the name of a source in ``SOURCES`` (an aggregate over that source's rows of one
    beneficiary: ``compute(ctx, rows, *args)``; ``default`` fills beneficiaries without rows and
    ``finish`` turns the filled aggregate into the value, e.g. a count into a yes/no).
    """

    name: str
    kind: str
    type: str
    label: str
    description: str
    compute: Callable[..., Any]
    source: str = "base"
    params: tuple[Param, ...] = ()
    default: Any = 0
    finish: Callable[[Any], Any] | None = None
    value_labels: Mapping[str, str] | None = None
    example: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.kind, self.name, len(self.params))

    @property
    def signature(self) -> str:
        if not self.params:
            return self.name
        return f"{self.name}({', '.join(p.name for p in self.params)})"

    def display_value(self, value: Any) -> str:
        """A feature value as an officer reads it (是/否, labels for codes, yuan with two decimals)."""
        if value is None:
            return "（无）"
        if self.type == "bool":
            return "是" if value else "否"
        if self.type == "string" and self.value_labels and value in self.value_labels:
            return f"{self.value_labels[value]}（{value}）"
        if self.type == "double":
            return f"{float(value):,.2f}"
        return str(value)


@dataclass(frozen=True)
class FeatureCall:
    """A use of a feature in a policy: the feature and its literal arguments."""

    feature: Feature
    args: tuple[Any, ...] = ()

    @property
    def column(self) -> str:
        """Column of the feature table holding this call's value (``months_worked__out_of_city``)."""
        if not self.args:
            return self.feature.name
        return self.feature.name + "__" + "__".join(_slug(a) for a in self.args)

    @property
    def text(self) -> str:
        if not self.feature.params:
            return self.feature.name
        return f"{self.feature.name}({', '.join(_cel_literal(a) for a in self.args)})"

    @property
    def label(self) -> str:
        if not self.args:
            return self.feature.label
        shown = []
        for param, arg in zip(self.feature.params, self.args):
            if param.choices and arg in param.choices:
                shown.append(param.choices[arg])
            else:
                shown.append(str(arg))
        return f"{self.feature.label}（{'，'.join(shown)}）"


def _slug(value: Any) -> str:
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9_]+", text):
        return text.lower()
    return "x" + text.encode().hex()


def _cel_literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


@dataclass
class FeatureContext:
    tables: TableSource
    period: Period
    kind: str
    _cache: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str):
        if name not in self._cache:
            self._cache[name] = self.tables.table(name)
        return self._cache[name]
