"""The feature catalogue: named, documented values per beneficiary, computed set-based.

A feature is what a policy author writes in CEL (``age >= 16``, ``months_worked("out_of_city")``).
Each one is an Ibis expression over the facts tables, evaluated for every beneficiary of one kind
(``person``, ``enterprise`` or ``workshop``) in one period at once: ``feature_table`` builds one
row per beneficiary with exactly the features a policy uses, so the database does the work.

Features that aggregate a facts table (employment months, contributions, entitlements,
workshop memberships) are grouped by their *source*: all features of one source are computed in
a single GROUP BY and joined once, so a policy reading three employment features scans the
12 million employment rows once. A beneficiary with no row in a source gets the feature's
default (0, false): features are never null, so CEL sees total values.

Django-free: table names come from ``bangfu.engine.schema`` and the constants below (the
database names of bangfu's models), code lists and their labels from ``bangfu.codes``. Labels
are Chinese; ``gettext_noop`` only marks them for the translators' catalogue.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import ibis

from bangfu import codes
from bangfu.engine import schema


def gettext_noop(text: str) -> str:
    """Marks a label for translation without importing Django (xgettext knows the name)."""
    return text


# ---- tables the policy engine reads besides the registry (database names of the models) ------
EMPLOYER = "employers_employer"
WORKSHOP = "network_workshop"
WORKSHOP_MEMBER = "network_workshopmember"
CONTRIBUTION = "insurance_socialinsurancecontribution"
POLICY = "policies_policy"
ENTITLEMENT = "policies_entitlement"

# Every table the policy engine may read (the Spark path exports exactly these to Parquet).
POLICY_INPUT_TABLES = (
    schema.PERSON, schema.DIVISION, schema.EMPLOYMENT, EMPLOYER, WORKSHOP, WORKSHOP_MEMBER,
    CONTRIBUTION, POLICY, ENTITLEMENT,
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


# --------------------------------------------------------------------------------------------
# Sources: the facts of one period, keyed by beneficiary id (column ``bid``)
# --------------------------------------------------------------------------------------------
def _in_period(col, period: Period):
    return (col >= period.first_month) & (col <= period.last_month)


def _month_index(col):
    """'YYYY-MM' -> year * 12 + month - 1 (so consecutive months differ by one)."""
    return col.substr(0, 4).cast("int64") * 12 + col.substr(5, 2).cast("int64") - 1


def _src_employment(ctx: FeatureContext):
    t = ctx.table(schema.EMPLOYMENT)
    t = t.filter(_in_period(t.month, ctx.period))
    return t.mutate(bid=t.person_id)


def _src_person_contributions(ctx: FeatureContext):
    """One row per person and month with any contribution, flagging pension months."""
    t = ctx.table(CONTRIBUTION)
    t = t.filter(_in_period(t.month, ctx.period))
    return t.group_by(bid=t.person_id, month=t.month).aggregate(
        pension=(t.insurance_type == "pension").ifelse(1, 0).max(),
    )


def _src_enterprise_contributions(ctx: FeatureContext):
    """One row per enterprise, worker and month of the period with the employer share paid (fen)
    and ``nth``: the how-manieth month this enterprise paid for this worker, counted over all
    time (the subsidy covers at most N months per worker)."""
    t = ctx.table(CONTRIBUTION)
    t = t.filter(t.insurance_type.isin(codes.SUBSIDISED_INSURANCE_TYPES))
    monthly = t.group_by(employer_id=t.employer_id, person_id=t.person_id, month=t.month).aggregate(
        employer_fen=t.employer_fen.sum(),
    )
    ranked = monthly.mutate(
        nth=ibis.row_number().over(
            group_by=[monthly.employer_id, monthly.person_id], order_by=monthly.month
        ) + 1
    )
    ranked = ranked.filter(_in_period(ranked.month, ctx.period))
    return ranked.mutate(bid=ranked.employer_id)


def _src_workshop_members(ctx: FeatureContext):
    """One row per workshop and member with the months of the period the member worked there."""
    t = ctx.table(WORKSHOP_MEMBER)
    first = ctx.period.year * 12
    last = ctx.period.year * 12 + 11
    start = _month_index(t.start_month)
    end = ibis.ifelse(t.end_month == "", last, _month_index(t.end_month.fill_null(ctx.period.last_month)))
    lo = ibis.ifelse(start > first, start, first)
    hi = ibis.ifelse(end < last, end, last)
    overlap = ibis.ifelse(hi >= lo, hi - lo + 1, 0)
    rows = t.mutate(months=overlap)
    return rows.group_by(bid=rows.workshop_id, person_id=rows.person_id).aggregate(
        months=rows.months.sum()
    )


def _src_entitlements(ctx: FeatureContext):
    t = ctx.table(ENTITLEMENT)
    p = ctx.table(POLICY)
    t = t.filter((t.beneficiary_kind == ctx.kind) & t.status.isin(codes.RECEIVED_STATUSES))
    j = t.join(p, t.policy_id == p.id)
    return j.select(bid=j.beneficiary_id, period=j.period, policy_code=j.code)


def _src_home_division(ctx: FeatureContext):
    base = _base_table(ctx)
    d = ctx.table(schema.DIVISION)
    j = base.join(d, base.district_code == d.code)
    return j.select(bid=j.bid, region_group=j.region_group)


SOURCES: dict[str, Callable[[FeatureContext], Any]] = {
    "employment": _src_employment,
    "person_contributions": _src_person_contributions,
    "enterprise_contributions": _src_enterprise_contributions,
    "workshop_members": _src_workshop_members,
    "entitlements": _src_entitlements,
    "home_division": _src_home_division,
}
SOURCE_TABLES: dict[str, tuple[str, ...]] = {
    "employment": (schema.EMPLOYMENT,),
    "person_contributions": (CONTRIBUTION,),
    "enterprise_contributions": (CONTRIBUTION,),
    "workshop_members": (WORKSHOP_MEMBER,),
    "entitlements": (ENTITLEMENT, POLICY),
    "home_division": (schema.DIVISION,),
}
BASE_TABLES = {"person": schema.PERSON, "enterprise": EMPLOYER, "workshop": WORKSHOP}


def _base_table(ctx: FeatureContext):
    t = ctx.table(BASE_TABLES[ctx.kind])
    return t.mutate(bid=t.id)


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------
_PLACE = Param("place", "string", gettext_noop("务工地点"), choices=codes.PLACE_CLASS.labels)
_CHANNEL = Param("channel", "string", gettext_noop("就业渠道"), choices=codes.CHANNEL.labels)
_POLICY = Param("policy", "string", gettext_noop("政策代码"), pattern=POLICY_CODE_RE)
_MONTHS = Param("months", "int", gettext_noop("月数"), minimum=1, maximum=240)


def _age(ctx: FeatureContext, t):
    end = ctx.period.last_day
    born = t.birth_date
    before_birthday = (born.month() > end.month) | ((born.month() == end.month) & (born.day() > end.day))
    return ibis.literal(end.year) - born.year() - before_birthday.ifelse(1, 0)


def _count(ctx, rows, *args):
    return rows.count()


def _received_this_year(ctx, rows, code):
    return ((rows.policy_code == code) & (rows.period == ctx.period.code)).ifelse(1, 0).sum()


def _received_times(ctx, rows, code):
    return (rows.policy_code == code).ifelse(1, 0).sum()


def _at_least_one(value):
    return value >= 1


def _fen_to_yuan(value):
    return value.cast("float64") / 100.0


def _features() -> list[Feature]:
    working = codes.WORKING_ABILITIES
    person = [
        Feature("age", "person", "int", gettext_noop("年龄"),
                gettext_noop("期末（所选年度的12月31日）的周岁年龄"), _age, example="age >= 16"),
        Feature("sex", "person", "string", gettext_noop("性别"), gettext_noop("M 男，F 女"),
                lambda ctx, t: t.sex, value_labels=codes.SEX.labels, example='sex == "F"'),
        Feature("category", "person", "string", gettext_noop("人口类型"),
                gettext_noop("alleviated 脱贫人口，monitored 防返贫监测对象"),
                lambda ctx, t: t.category, value_labels=codes.CATEGORY.labels,
                example='category in ["alleviated", "monitored"]'),
        Feature("labour_ability", "person", "string", gettext_noop("劳动技能"),
                gettext_noop("ordinary 普通劳动力，skilled 技能劳动力，weak 弱劳动力或半劳动力，lost 丧失劳动力，none 无劳动力"),
                lambda ctx, t: t.labour_ability, value_labels=codes.LABOUR_ABILITY.labels,
                example='labour_ability != "none"'),
        Feature("has_labour_ability", "person", "bool", gettext_noop("有劳动能力"),
                gettext_noop("劳动技能为普通劳动力、技能劳动力或弱劳动力（半劳动力）"),
                lambda ctx, t: t.labour_ability.isin(working), example="has_labour_ability"),
        Feature("is_worker", "person", "bool", gettext_noop("脱贫劳动力"),
                gettext_noop("期末年满16周岁、不超过65周岁且有劳动能力"),
                lambda ctx, t: t.labour_ability.isin(working)
                & (_age(ctx, t) >= codes.WORKER_MIN_AGE) & (_age(ctx, t) <= codes.WORKER_MAX_AGE),
                example="is_worker"),
        Feature("in_school", "person", "bool", gettext_noop("在校生"), gettext_noop("花名册中标记为在校生"),
                lambda ctx, t: t.in_school.fill_null(False), example="!in_school"),
        Feature("health", "person", "string", gettext_noop("健康状况"),
                gettext_noop("healthy 健康，chronic 长期慢性病，serious 患有大病，disabled 残疾"),
                lambda ctx, t: t.health.fill_null(""), value_labels=codes.HEALTH.labels,
                example='health == "disabled"'),
        Feature("is_disabled", "person", "bool", gettext_noop("残疾人"), gettext_noop("健康状况为残疾"),
                lambda ctx, t: t.health == "disabled", example="is_disabled"),
        Feature("district_code", "person", "string", gettext_noop("所在区县代码"),
                gettext_noop("花名册登记的区县（6位代码）"), lambda ctx, t: t.district_code,
                example='district_code == "500230"'),
        Feature("township_code", "person", "string", gettext_noop("所在乡镇代码"),
                gettext_noop("花名册登记的乡镇（街道）（9位代码）"), lambda ctx, t: t.township_code,
                example='township_code == "500230101"'),
        Feature("region_group", "person", "string", gettext_noop("一区两群"),
                gettext_noop("户籍区县所在片区：main_metro 主城都市区，northeast 渝东北，southeast 渝东南"),
                lambda ctx, rows: rows.region_group.max(), source="home_division", default="",
                value_labels=codes.REGION_GROUP.labels, example='region_group == "northeast"'),
        Feature("months_worked", "person", "int", gettext_noop("务工月数"),
                gettext_noop("本期有务工记录的月数（任何地点、任何渠道）"), _count, source="employment",
                example="months_worked >= 6"),
        Feature("months_worked", "person", "int", gettext_noop("在指定地点务工月数"),
                gettext_noop("本期在指定务工地点类型的月数：in_county 县内，in_city 市内县外，out_of_city 市外，abroad 境外"),
                lambda ctx, rows, place: (rows.place_class == place).ifelse(1, 0).sum(),
                source="employment", params=(_PLACE,), example='months_worked("out_of_city") >= 1'),
        Feature("months_worked_outside_county", "person", "int", gettext_noop("县外务工月数"),
                gettext_noop("本期在户籍区县以外务工的月数（市内县外、市外、境外）"),
                lambda ctx, rows: rows.place_class.isin(codes.OUTSIDE_COUNTY).ifelse(1, 0).sum(),
                source="employment", example="months_worked_outside_county >= 3"),
        Feature("worked_outside_county", "person", "bool", gettext_noop("跨区县务工"),
                gettext_noop("本期至少有一个月在户籍区县以外务工"),
                lambda ctx, rows: rows.place_class.isin(codes.OUTSIDE_COUNTY).ifelse(1, 0).sum(),
                source="employment", finish=_at_least_one, example="worked_outside_county"),
        Feature("worked_outside_city", "person", "bool", gettext_noop("市外务工"),
                gettext_noop("本期至少有一个月在重庆市以外（含境外）务工"),
                lambda ctx, rows: rows.place_class.isin(codes.OUTSIDE_CITY).ifelse(1, 0).sum(),
                source="employment", finish=_at_least_one, example="worked_outside_city"),
        Feature("months_in_channel", "person", "int", gettext_noop("指定渠道务工月数"),
                gettext_noop("本期通过指定就业渠道务工的月数"),
                lambda ctx, rows, channel: (rows.channel == channel).ifelse(1, 0).sum(),
                source="employment", params=(_CHANNEL,), example='months_in_channel("workshop") >= 6'),
        Feature("employment_income", "person", "double", gettext_noop("务工收入（元）"),
                gettext_noop("本期各月填报的务工收入之和，单位元"),
                lambda ctx, rows: rows.income_fen.sum(), source="employment",
                finish=_fen_to_yuan, example="employment_income >= 10000.0"),
        Feature("employer_contribution_months", "person", "int", gettext_noop("单位参保月数"),
                gettext_noop("本期有用人单位为其缴纳社会保险的月数"), _count, source="person_contributions",
                example="employer_contribution_months >= 6"),
        Feature("employee_pension_months", "person", "int", gettext_noop("职工养老保险月数"),
                gettext_noop("本期用人单位为其缴纳职工基本养老保险的月数"),
                lambda ctx, rows: rows.pension.sum(), source="person_contributions",
                example="employee_pension_months == 0"),
        Feature("received_this_year", "person", "bool", gettext_noop("本期已享受"),
                gettext_noop("本期已获得（未被驳回的）指定政策补贴"), _received_this_year,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_this_year("transport_subsidy")'),
        Feature("received_times", "person", "int", gettext_noop("累计享受次数"),
                gettext_noop("历年获得（未被驳回的）指定政策补贴的次数"), _received_times,
                source="entitlements", params=(_POLICY,), example='received_times("pension_premium_on_behalf") < 3'),
    ]
    enterprise = [
        Feature("district_code", "enterprise", "string", gettext_noop("所在区县代码"),
                gettext_noop("企业登记所在区县（6位代码）"), lambda ctx, t: t.district_code,
                example='district_code == "500230"'),
        Feature("poverty_workers_employed", "enterprise", "int", gettext_noop("吸纳脱贫人口人数"),
                gettext_noop("本期企业为其缴纳社会保险的脱贫人口（含监测对象）人数"),
                lambda ctx, rows: rows.person_id.nunique(), source="enterprise_contributions",
                example="poverty_workers_employed >= 1"),
        Feature("poverty_worker_months", "enterprise", "int", gettext_noop("吸纳脱贫人口人月数"),
                gettext_noop("本期企业为脱贫人口缴纳社会保险的人月数"), _count,
                source="enterprise_contributions", example="poverty_worker_months >= 12"),
        Feature("employer_share_paid", "enterprise", "double", gettext_noop("单位缴纳社保费（元）"),
                gettext_noop("本期企业为脱贫人口实际缴纳的单位部分社会保险费（养老、医疗、失业、工伤，不含个人缴纳部分），"
                             "每名职工自首次缴费起最多计算指定月数，单位元"),
                lambda ctx, rows, months: (rows.nth <= months).ifelse(rows.employer_fen, 0).sum(),
                source="enterprise_contributions", params=(_MONTHS,), finish=_fen_to_yuan,
                example="employer_share_paid(36)"),
        Feature("received_this_year", "enterprise", "bool", gettext_noop("本期已享受"),
                gettext_noop("本期已获得（未被驳回的）指定政策补贴"), _received_this_year,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_this_year("employer_insurance_subsidy")'),
    ]
    workshop = [
        Feature("district_code", "workshop", "string", gettext_noop("所在区县代码"),
                gettext_noop("帮扶车间所在区县（6位代码）"), lambda ctx, t: t.district_code,
                example='district_code == "500230"'),
        Feature("is_active", "workshop", "bool", gettext_noop("认定有效"),
                gettext_noop("帮扶车间认定有效、未被撤销"), lambda ctx, t: t.active.fill_null(False),
                example="is_active"),
        Feature("poverty_workers_employed", "workshop", "int", gettext_noop("吸纳脱贫人口人数"),
                gettext_noop("本期在车间务工的脱贫人口（含监测对象）人数"),
                lambda ctx, rows: (rows.months >= 1).ifelse(1, 0).sum(), source="workshop_members",
                example="poverty_workers_employed >= 10"),
        Feature("poverty_workers_employed", "workshop", "int", gettext_noop("稳定吸纳脱贫人口人数"),
                gettext_noop("本期在车间务工满指定月数的脱贫人口（含监测对象）人数"),
                lambda ctx, rows, months: (rows.months >= months).ifelse(1, 0).sum(),
                source="workshop_members", params=(_MONTHS,), example="poverty_workers_employed(6) >= 5"),
        Feature("received_this_year", "workshop", "bool", gettext_noop("本期已享受"),
                gettext_noop("本期已获得（未被驳回的）指定政策补贴"), _received_this_year,
                source="entitlements", params=(_POLICY,), finish=_at_least_one,
                example='!received_this_year("workshop_award")'),
    ]
    return person + enterprise + workshop


CATALOGUE: tuple[Feature, ...] = tuple(_features())
_BY_KEY: dict[tuple[str, str, int], Feature] = {f.key: f for f in CATALOGUE}
assert len(_BY_KEY) == len(CATALOGUE), "duplicate feature"


def features_for(kind: str) -> list[Feature]:
    """The catalogue of one beneficiary kind, in catalogue order."""
    return [f for f in CATALOGUE if f.kind == kind]


def feature_lookup(kind: str, name: str, arity: int) -> Feature | None:
    return _BY_KEY.get((kind, name, arity))


def feature_names(kind: str) -> set[str]:
    return {f.name for f in CATALOGUE if f.kind == kind}


def feature_arities(kind: str, name: str) -> list[int]:
    return sorted(f.key[2] for f in CATALOGUE if f.kind == kind and f.name == name)


# --------------------------------------------------------------------------------------------
# Building the feature table
# --------------------------------------------------------------------------------------------
def restrict_to_area(table, area_code: str | None):
    """Keep the beneficiaries inside ``area_code`` (city ``50``: all; a district or a township)."""
    if not area_code or area_code == codes.CITY_CODE:
        return table
    if len(area_code) == 6:
        return table.filter(table.district_code == area_code)
    return table.filter(table.township_code == area_code)


def feature_table(
    tables: TableSource,
    *,
    kind: str,
    period: Period | str,
    calls: Iterable[FeatureCall],
    area_code: str | None = None,
    only_ids: Sequence[int] | None = None,
):
    """One row per beneficiary of ``kind``: ``bid``, ``district_code``, ``township_code`` and one
    column per feature call (named ``call.column``), never null."""
    if kind not in KINDS:
        raise ValueError(f"unknown beneficiary kind {kind!r}")
    period = period if isinstance(period, Period) else Period.parse(period)
    ctx = FeatureContext(tables=tables, period=period, kind=kind)
    base = _base_table(ctx)
    base = restrict_to_area(base, area_code)
    if only_ids is not None:
        base = base.filter(base.bid.isin(list(only_ids)))
    unique: dict[str, FeatureCall] = {}
    for call in calls:
        if call.feature.kind != kind:
            raise ValueError(f"feature {call.feature.name} is not a {kind} feature")
        unique.setdefault(call.column, call)

    columns: dict[str, Any] = {}
    by_source: dict[str, list[FeatureCall]] = {}
    for column, call in unique.items():
        if call.feature.source == "base":
            columns[column] = call.feature.compute(ctx, base, *call.args)
        else:
            by_source.setdefault(call.feature.source, []).append(call)

    result = base.select(
        bid=base.bid,
        district_code=base.district_code,
        township_code=base.township_code.fill_null("") if "township_code" in base.columns else ibis.literal(""),
        **columns,
    )
    for source_name, source_calls in sorted(by_source.items()):
        rows = SOURCES[source_name](ctx)
        if only_ids is not None:  # explaining a few: aggregate their rows only, on any engine
            rows = rows.filter(rows.bid.isin(list(only_ids)))
        metrics = {f"m_{i}": call.feature.compute(ctx, rows, *call.args) for i, call in enumerate(source_calls)}
        agg = rows.group_by(sbid=rows.bid).aggregate(**metrics)
        joined = result.left_join(agg, result.bid == agg.sbid)
        keep = {c: joined[c] for c in result.columns}
        for i, call in enumerate(source_calls):
            value = joined[f"m_{i}"].fill_null(call.feature.default)
            if call.feature.finish is not None:
                value = call.feature.finish(value)
            keep[call.column] = value
        result = joined.select(**keep)
    return result


def source_tables(kind: str, calls: Iterable[FeatureCall]) -> set[str]:
    """Facts tables that ``calls`` read (used to say "no data for this period")."""
    names = {BASE_TABLES[kind]}
    for call in calls:
        if call.feature.source != "base":
            names.update(SOURCE_TABLES[call.feature.source])
    return names
