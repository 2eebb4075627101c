"""Who may be placed in a public-welfare post, and in which order, with the reasons.

One query over the registry persons of an area (a district at once, or a village) carries every
fact the rules need, as annotations: the ``Exists`` subqueries over employment months and live
placements run in the database for all the persons together (no query per person). The rules
then read those values row by row and keep, for each, whether it passed and the value that
decided it, which the person's explanation page shows in Chinese.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.months import month_of, months_ending, shift_month
from bangfu.monitoring.models import EmploymentMonth
from bangfu.posts import choices as c
from bangfu.posts.models import Placement
from bangfu.posts.params import param
from bangfu.registry import choices as rc
from bangfu.registry.models import Person, age_on

RULE_AGE_MIN = gettext_noop("年满{limit}周岁")
RULE_AGE_MAX = gettext_noop("新安置不超过{limit}周岁")
RULE_ABILITY = gettext_noop("有劳动能力")
RULE_NOT_OUTSIDE = gettext_noop("近{months}个月无县外务工记录（未稳定就业）")
RULE_NOT_PLACED = gettext_noop("本人未在其他公益性岗位（一岗一人）")
RULE_HOUSEHOLD = gettext_noop("本户无人在公益性岗位（一户一岗）")
VALUE_AGE = gettext_noop("{age}周岁")
VALUE_MONTHS_OUTSIDE = gettext_noop("县外务工月份：{months}")
VALUE_NONE = gettext_noop("无")
VALUE_PLACED = gettext_noop("已在岗或公示中")
VALUE_NOT_PLACED = gettext_noop("未安置")
PRIORITY_WEAK = gettext_noop("弱劳动力或半劳动力")
PRIORITY_MONITORED = gettext_noop("监测户")
PRIORITY_NO_WORK = gettext_noop("本户无人务工")
OUTSIDE_COUNTY = ("in_city", "out_of_city", "abroad")


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    passed: bool
    value: str


@dataclass
class Eligibility:
    person_id: int
    name: str
    household_id: int
    township_code: str
    village: str
    rules: list[RuleResult] = field(default_factory=list)
    priority_reasons: list[str] = field(default_factory=list)
    priority_score: int = 0
    rank: int | None = None  # among the eligible persons of the query, 1 first

    @property
    def eligible(self) -> bool:
        return all(rule.passed for rule in self.rules)

    @property
    def failed_rules(self) -> list[RuleResult]:
        return [rule for rule in self.rules if not rule.passed]


def _live_placements() -> QuerySet:
    return Placement.objects.filter(status__in=c.LIVE_PLACEMENT_STATUSES)


def eligibility_rows(persons: QuerySet[Person], *, on: dt.date) -> QuerySet:
    """``persons`` annotated with the facts of the rules, as values (one query)."""
    months_outside = param("POSTS_MONTHS_OUTSIDE_COUNTY")
    # The last complete months before ``on``: a person working outside the county in any of
    # them is in stable work elsewhere.
    recent = months_ending(shift_month(month_of(on), -1), months_outside)
    last_month = recent[-1]
    outside = EmploymentMonth.objects.filter(person=OuterRef("pk"), month__in=recent,
                                             place_class__in=OUTSIDE_COUNTY)
    household_working = EmploymentMonth.objects.filter(person__household=OuterRef("household_id"),
                                                       month=last_month)
    return (persons.annotate(
        worked_outside=Exists(outside),
        placed=Exists(_live_placements().filter(person=OuterRef("pk"))),
        household_placed=Exists(_live_placements().filter(household=OuterRef("household_id"))),
        household_working=Exists(household_working),
    ).values("id", "name", "household_id", "township_code", "village", "birth_date", "labour_ability",
             "category", "worked_outside", "placed", "household_placed", "household_working")
        .order_by("township_code", "village", "household_id", "id"))


def _outside_months(person_id: int, on: dt.date) -> list[str]:
    recent = months_ending(shift_month(month_of(on), -1), param("POSTS_MONTHS_OUTSIDE_COUNTY"))
    return list(EmploymentMonth.objects.filter(person_id=person_id, month__in=recent,
                                               place_class__in=OUTSIDE_COUNTY)
                .order_by("month").values_list("month", flat=True))


def evaluate(row: dict, *, on: dt.date, detail: bool = False) -> Eligibility:
    """The rules and priority of one annotated row. ``detail`` names the months outside the
    county (one more query, for the explanation page only)."""
    min_age, max_age = param("POSTS_MIN_AGE"), param("POSTS_MAX_AGE")
    age = age_on(row["birth_date"], on)
    ability = row["labour_ability"]
    result = Eligibility(person_id=row["id"], name=row["name"], household_id=row["household_id"],
                         township_code=row["township_code"], village=row["village"])
    months_outside = param("POSTS_MONTHS_OUTSIDE_COUNTY")
    if row["worked_outside"]:
        months = _outside_months(row["id"], on) if detail else []
        outside_value = _(VALUE_MONTHS_OUTSIDE).format(months="、".join(months) or "…")
    else:
        outside_value = _(VALUE_NONE)
    result.rules = [
        RuleResult("age_min", _(RULE_AGE_MIN).format(limit=min_age), age >= min_age, _(VALUE_AGE).format(age=age)),
        RuleResult("age_max", _(RULE_AGE_MAX).format(limit=max_age), age <= max_age, _(VALUE_AGE).format(age=age)),
        RuleResult("labour_ability", _(RULE_ABILITY), ability in rc.WORKING_ABILITIES,
                   str(rc.LabourAbility(ability).label) if ability in rc.LabourAbility.values else ability),
        RuleResult("not_outside", _(RULE_NOT_OUTSIDE).format(months=months_outside), not row["worked_outside"],
                   outside_value),
        RuleResult("not_placed", _(RULE_NOT_PLACED), not row["placed"],
                   _(VALUE_PLACED) if row["placed"] else _(VALUE_NOT_PLACED)),
        RuleResult("household_not_placed", _(RULE_HOUSEHOLD), not row["household_placed"],
                   _(VALUE_PLACED) if row["household_placed"] else _(VALUE_NOT_PLACED)),
    ]
    # Priority (优先安置): weak labour ability, a monitored household, nobody of the household
    # in work last month. Each counts once; ties go to the older person, then registry order.
    if ability == "weak":
        result.priority_reasons.append(_(PRIORITY_WEAK))
    if row["category"] == "monitored":
        result.priority_reasons.append(_(PRIORITY_MONITORED))
    if not row["household_working"]:
        result.priority_reasons.append(_(PRIORITY_NO_WORK))
    result.priority_score = len(result.priority_reasons)
    result._sort_key = (-result.priority_score, row["birth_date"], row["id"])  # type: ignore[attr-defined]
    return result


def rank(results: list[Eligibility]) -> list[Eligibility]:
    """The eligible first, by priority, ranked 1..n; the ineligible after them, unranked."""
    eligible = sorted((r for r in results if r.eligible), key=lambda r: r._sort_key)  # type: ignore[attr-defined]
    for position, result in enumerate(eligible, start=1):
        result.rank = position
    return eligible + [r for r in results if not r.eligible]


def eligibility_for_area(persons: QuerySet[Person], *, on: dt.date) -> list[Eligibility]:
    """Every person of ``persons`` (e.g. a whole district) with rules, priority and rank."""
    return rank([evaluate(row, on=on) for row in eligibility_rows(persons, on=on).iterator(chunk_size=5000)])


def pool_of(post) -> Q:
    """The persons a post draws from: its village, or for an employer unit's post its township."""
    q = Q(township_code=post.township_code)
    if post.village and not post.employer_id:
        q &= Q(village=post.village)
    return q
