"""The code lists (字典) that the batch engine and the Django apps share, with their Chinese labels.

Django-free: the engine (``bangfu.engine``) reads codes and labels from here, the apps'
``choices`` modules turn each list into a ``TextChoices`` class (``bangfu.core.choices``), and
the API's ``Literal`` types are built from ``.values``. A list is written here and nowhere else;
``core/tests/test_codes.py`` fails when a copy appears.

Labels are the msgids of the translation catalogue (``gettext_noop`` marks them); order is the
order of drop-down lists and reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType

from bangfu.core.months import years_before


def gettext_noop(text: str) -> str:
    """Marks a label for the translators' catalogue without importing Django (xgettext knows the name)."""
    return text


@dataclass(frozen=True)
class Code:
    value: str  # what is stored: "ordinary"
    label: str  # the Chinese label (a msgid): "普通劳动力"
    name: str  # the member name of the TextChoices class: "ORDINARY"


class CodeList:
    """An ordered list of codes with their labels; ``name`` is the TextChoices class it becomes."""

    def __init__(self, name: str, *entries: tuple[str, str] | tuple[str, str, str]) -> None:
        self.name = name
        self.codes = tuple(Code(e[0], e[1], e[2] if len(e) > 2 else e[0].upper()) for e in entries)
        self.values = tuple(c.value for c in self.codes)
        self.labels = MappingProxyType({c.value: c.label for c in self.codes})
        if len(set(self.values)) != len(self.values):
            raise ValueError(f"{name}: a code appears twice")

    def label(self, value: str, default: str | None = None) -> str:
        """The Chinese label of ``value`` (``default``, or the value itself, when unknown)."""
        return self.labels.get(value, value if default is None else default)

    def index(self, value: str) -> int:
        return self.values.index(value)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, value: object) -> bool:
        return value in self.labels

    def __repr__(self) -> str:
        return f"CodeList({self.name}: {', '.join(self.values)})"


# ---- areas ---------------------------------------------------------------------------------------
CITY_CODE = "50"  # Chongqing; districts are 50xxxx, townships 50xxxxxxx
CITY_NAME = gettext_noop("重庆市")  # the one name of area 50, wherever it is shown

DIVISION_LEVEL = CodeList(
    "DivisionLevel",
    ("district", gettext_noop("区")),
    ("county", gettext_noop("县")),
    ("autonomous_county", gettext_noop("自治县")),
    ("subdistrict", gettext_noop("街道")),
    ("town", gettext_noop("镇")),
    ("township", gettext_noop("乡")),
)
DISTRICT_LEVELS = ("district", "county", "autonomous_county")
TOWNSHIP_LEVELS = ("subdistrict", "town", "township")

# 一区两群: the zone of every district.
REGION_GROUP = CodeList(
    "RegionGroup",
    ("main_metro", gettext_noop("主城都市区")),
    ("northeast", gettext_noop("渝东北")),
    ("southeast", gettext_noop("渝东南")),
)

# 劳务协作: where provinces and cities outside Chongqing belong.
COOPERATION_REGION = CodeList(
    "CooperationRegion",
    ("yangtze_delta", gettext_noop("长三角")),
    ("pearl_delta", gettext_noop("珠三角")),
    ("sichuan", gettext_noop("四川")),
    ("east_west_pairing", gettext_noop("鲁渝协作")),
)

# Levels of the KPI tables' areas (the drill-down path city -> zone -> district -> township).
AREA_LEVEL = CodeList(
    "AreaLevel",
    ("city", gettext_noop("全市")),
    ("region_group", gettext_noop("一区两群")),
    ("district", gettext_noop("区县")),
    ("township", gettext_noop("乡镇（街道）")),
)

# ---- persons -------------------------------------------------------------------------------------
SEX = CodeList("Sex", ("M", gettext_noop("男"), "MALE"), ("F", gettext_noop("女"), "FEMALE"))

CATEGORY = CodeList(
    "Category",
    ("alleviated", gettext_noop("脱贫人口")),
    ("monitored", gettext_noop("防返贫监测对象")),
)

LABOUR_ABILITY = CodeList(
    "LabourAbility",
    ("ordinary", gettext_noop("普通劳动力")),
    ("skilled", gettext_noop("技能劳动力")),
    ("weak", gettext_noop("弱劳动力或半劳动力")),
    ("lost", gettext_noop("丧失劳动力")),
    ("none", gettext_noop("无劳动力")),
)

EDUCATION = CodeList(
    "Education",
    ("illiterate", gettext_noop("文盲或半文盲")),
    ("primary", gettext_noop("小学")),
    ("junior", gettext_noop("初中")),
    ("senior", gettext_noop("高中或中专")),
    ("college", gettext_noop("大专及以上")),
)

HEALTH = CodeList(
    "Health",
    ("healthy", gettext_noop("健康")),
    ("chronic", gettext_noop("长期慢性病")),
    ("serious", gettext_noop("患有大病")),
    ("disabled", gettext_noop("残疾")),
)

RELATION = CodeList(
    "Relation",
    ("head", gettext_noop("户主")),
    ("spouse", gettext_noop("配偶")),
    ("son", gettext_noop("之子")),
    ("daughter", gettext_noop("之女")),
    ("daughter_in_law", gettext_noop("之儿媳")),
    ("son_in_law", gettext_noop("之女婿")),
    ("grandson", gettext_noop("之孙子")),
    ("granddaughter", gettext_noop("之孙女")),
    ("father", gettext_noop("之父")),
    ("mother", gettext_noop("之母")),
    ("other", gettext_noop("其他")),
)

# Workers (DESIGN.md section 5): aged 16 to 65 inclusive, with one of these labour abilities.
WORKING_ABILITIES = ("ordinary", "skilled", "weak")
WORKER_MIN_AGE = 16
WORKER_MAX_AGE = 65


def worker_birth_window(day: dt.date) -> tuple[dt.date, dt.date]:
    """(oldest, youngest) birth dates, inclusive, of a person aged 16 to 65 on ``day``."""
    youngest = years_before(day, WORKER_MIN_AGE)
    oldest = years_before(day, WORKER_MAX_AGE + 1) + dt.timedelta(days=1)
    return oldest, youngest


# The weakest labour ability a job posting accepts (招聘对象), weakest first: the matching
# engine's ability levels 1, 2, 3 are positions in this list.
MIN_ABILITY = CodeList(
    "MinAbility",
    ("weak", gettext_noop("含弱劳动力或半劳动力")),
    ("ordinary", gettext_noop("普通劳动力及以上")),
    ("skilled", gettext_noop("技能劳动力")),
)

# ---- employment ----------------------------------------------------------------------------------
# 务工地点: the order is the bit order of the matching engine's accepted-places mask.
PLACE_CLASS = CodeList(
    "PlaceClass",
    ("in_county", gettext_noop("县内")),
    ("in_city", gettext_noop("市内县外")),
    ("out_of_city", gettext_noop("市外")),
    ("abroad", gettext_noop("境外")),
)
OUTSIDE_COUNTY = ("in_city", "out_of_city", "abroad")
OUTSIDE_CITY = ("out_of_city", "abroad")

# 就业渠道
CHANNEL = CodeList(
    "Channel",
    ("migrant", gettext_noop("外出务工")),
    ("local", gettext_noop("就近就业")),
    ("welfare_post", gettext_noop("公益性岗位")),
    ("workshop", gettext_noop("帮扶车间")),
    ("gig", gettext_noop("零工")),
    ("self_employed", gettext_noop("自主创业")),
    ("flexible", gettext_noop("灵活就业")),
)

# Breakdowns of the employment scale in the KPI tables, and the keys that are not codes above.
DIMENSION = CodeList(
    "Dimension",
    ("place_class", gettext_noop("务工地点")),
    ("channel", gettext_noop("就业渠道")),
    ("region_group", gettext_noop("一区两群")),
    ("cooperation_region", gettext_noop("劳务协作地区")),
    ("flow", gettext_noop("跨区域流向")),
)
OTHER_REGION = "other"  # out of the city, not in a cooperation region
OUTSIDE_ZONE = "outside"  # work zone of a job outside Chongqing

# Short labels of the occupation medium groups (中类) of the shipped occupation list, for
# reasons such as "同为建筑工种"; a group missing here is described as "同类工种".
OCCUPATION_GROUP = CodeList(
    "OccupationGroup",
    ("4-01", "批发零售"), ("4-02", "物流运输"), ("5-01", "农业"), ("5-02", "林业"), ("5-03", "畜牧"),
    ("5-04", "渔业"), ("5-05", "农业辅助"), ("6-06", "木材家具"), ("6-07", "造纸"), ("6-16", "采矿"),
    ("6-17", "冶炼"), ("6-22", "汽车制造"), ("6-25", "电子制造"), ("6-28", "电力燃气水务"),
    ("6-29", "建筑"), ("6-30", "机械操作"),
)

# ---- subsidies -----------------------------------------------------------------------------------
BENEFICIARY_KIND = CodeList(
    "BeneficiaryKind",
    ("person", gettext_noop("个人")),
    ("enterprise", gettext_noop("企业")),
    ("workshop", gettext_noop("帮扶车间")),
    ("helper", gettext_noop("帮扶人员")),
)

INSURANCE_TYPE = CodeList(
    "InsuranceType",
    ("pension", gettext_noop("养老保险")),
    ("medical", gettext_noop("医疗保险")),
    ("unemployment", gettext_noop("失业保险")),
    ("injury", gettext_noop("工伤保险")),
)
# Employer shares the employer-insurance subsidy pays back (not the worker's own share).
SUBSIDISED_INSURANCE_TYPES = INSURANCE_TYPE.values

ENTITLEMENT_STATUS = CodeList(
    "EntitlementStatus",
    ("pending", gettext_noop("待审核")),
    ("approved", gettext_noop("已审核")),
    ("rejected", gettext_noop("已驳回")),
    ("paying", gettext_noop("支付中")),
    ("paid", gettext_noop("已发放")),
    ("failed", gettext_noop("发放失败")),
)
# A payable claim of another programme (a welfare-post month, a training allowance) as it
# moves through payments: the entitlement's states after approval.
CLAIM_PAY_STATUS = CodeList(
    "ClaimPayStatus",
    ("approved", gettext_noop("待发放")),
    ("paying", gettext_noop("发放中")),
    ("paid", gettext_noop("已发放")),
    ("failed", gettext_noop("发放失败")),
)
# Entitlements that count as "received" (a rejected one was never granted).
RECEIVED_STATUSES = tuple(v for v in ENTITLEMENT_STATUS.values if v != "rejected")

# Batch engines (bangfu.engine.backends); the first is the default.
ENGINE = CodeList(
    "Engine",
    ("duckdb", gettext_noop("DuckDB（默认）")),
    ("sqlite", gettext_noop("SQLite")),
    ("postgres", gettext_noop("PostgreSQL")),
    ("spark", gettext_noop("Spark")),
)
DEFAULT_ENGINE = ENGINE.values[0]


# ---- the programmes' lists (training, social insurance, the service network) live in
# bangfu.programme_codes by subject; they are importable from here like every other list.
from bangfu.programme_codes import *  # noqa: E402,F401,F403
