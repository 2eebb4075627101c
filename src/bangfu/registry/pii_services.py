"""Services that expose personal data: a full view, a search by full value or an export, each
with its audit row.

(registry/services.py holds the registry writes and imports; this module only the PII exposure.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, require
from bangfu.core.audit import audit_record
from bangfu.core.capabilities import Capability
from bangfu.core.exports import workbook_bytes
from bangfu.core.models import AuditLog
from bangfu.core.money import format_yuan
from bangfu.registry import choices as c
from bangfu.registry.filters import PersonFilter, division_name
from bangfu.registry.models import Person
from bangfu.registry.selectors import person_list

ERR_NO_PII_CAPABILITY = gettext_noop("您没有查看完整证件号码的权限")
ERR_EXPORT_TOO_LARGE = gettext_noop("导出条数超过上限 {limit}，请缩小筛选范围")
ERR_PII_SEARCH_LIMIT = gettext_noop("今天按证件号码或手机号码查询已达 {limit} 次上限，请明天再试")
CAPABILITY_VIEW_FULL_PII = Capability.VIEW_FULL_PII
ACTION_PII_SEARCH = "person.search_pii"


@dataclass(frozen=True)
class FullPii:
    id_number: str
    phone: str
    birth_date: dt.date


@transaction.atomic
def person_pii_reveal(*, person: Person, actor: Actor, ip_address: str | None = None) -> FullPii:
    """The full ID and phone of ``person`` for an officer allowed to see them; audited."""
    require(actor, CAPABILITY_VIEW_FULL_PII, _(ERR_NO_PII_CAPABILITY))
    # The audit row names the person, never the values shown.
    audit_record(actor=actor, action="person.view_full_pii", obj=person,
                 detail={"fields": ["id_number", "phone"]}, ip_address=ip_address)
    return FullPii(id_number=person.id_number, phone=person.phone, birth_date=person.birth_date)


class PiiSearchLimitReached(Exception):
    pass


def pii_search_limit() -> int:
    return int(settings.BANGFU.get("PII_SEARCH_DAILY_LIMIT", 200))


@transaction.atomic
def person_pii_search(*, actor: Actor, filters: PersonFilter, ip_address: str | None = None) -> PersonFilter:
    """``filters`` with a full ID number or phone in ``q`` turned into its lookup hash.

    A search by full value is the one way to confirm a guessed ID number (the masks leave
    about 182,500 of them, core/pii.py): each one writes an audit row (the kind of value and
    how many persons matched, never the value) and a user may make at most
    ``PII_SEARCH_DAILY_LIMIT`` a day. Filters without such a value come back unchanged.
    """
    kind = filters.pii_kind()
    if not kind:
        return filters
    limit = pii_search_limit()
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    done = AuditLog.objects.filter(actor=actor, action=ACTION_PII_SEARCH, at__gte=midnight).count()
    if done >= limit:
        raise PiiSearchLimitReached(_(ERR_PII_SEARCH_LIMIT).format(limit=limit))
    hashed = filters.hashed()
    found = person_list(user=actor, filters=hashed).count()
    audit_record(actor=actor, action=ACTION_PII_SEARCH, area_code=actor.area_code,
                 detail={"kind": kind, "found": found}, ip_address=ip_address)
    return hashed


class ExportTooLarge(ValueError):
    pass


def export_limit() -> int:
    return int(settings.BANGFU.get("EXPORT_MAX_ROWS", 100_000))


# gettext_noop (not an alias: xgettext knows only the full name) so makemessages collects
# the headers; they are translated when the file is written.
PERSON_EXPORT_HEADERS = [
    gettext_noop("户编号"), gettext_noop("姓名"), gettext_noop("性别"), gettext_noop("年龄"), gettext_noop("证件号码"), gettext_noop("联系电话"), gettext_noop("区县"),
    gettext_noop("乡镇（街道）"), gettext_noop("村"), gettext_noop("与户主关系"),
    gettext_noop("人口类型"), gettext_noop("劳动技能"), gettext_noop("是否劳动力"),
    gettext_noop("文化程度"), gettext_noop("健康状况"), gettext_noop("是否在校生"),
    gettext_noop("技能证书"), gettext_noop("期望月薪（元）"),
]
PERSON_EXPORT_WIDTHS = [14, 10, 6, 6, 22, 14, 12, 16, 12, 10, 16, 18, 10, 14, 12, 10, 20, 14]


def _labels(choices) -> dict[str, str]:
    return {value: str(label) for value, label in choices}


def _person_export_rows(persons, today):
    """Rows of the export; choice labels resolved once (get_FOO_display costs a gettext per call)."""
    sex, relation = _labels(c.Sex.choices), _labels(c.Relation.choices)
    category, ability = _labels(c.Category.choices), _labels(c.LabourAbility.choices)
    education, health = _labels(c.Education.choices), _labels(c.Health.choices)
    yes, no = _("是"), _("否")
    for p in persons:
        yield [
            # no birth date: with the sex and the district it leaves 500 ID numbers (core/pii.py)
            p.household.number, p.name, sex.get(p.sex, p.sex), p.display_age(today), p.id_number_masked,
            p.phone_masked, division_name(p.district_code),
            division_name(p.township_code), p.village, relation.get(p.relation, p.relation),
            category.get(p.category, p.category), ability.get(p.labour_ability, p.labour_ability),
            yes if p.is_worker_on(today) else no, education.get(p.education, p.education),
            health.get(p.health, p.health), yes if p.in_school else no,
            "、".join(p.certificate_list),
            format_yuan(p.expected_wage_fen) if p.expected_wage_fen is not None else "",
        ]


def person_list_export(*, actor: Actor, filters: PersonFilter, ip_address: str | None = None) -> bytes:
    """The filtered person list as xlsx with masked ID and phone and no birth date; one audit
    row per export.

    The file is built before the audit transaction opens: on SQLite a transaction holds the
    write lock, and a large export must not block imports for its whole duration.
    """
    qs = person_list(user=actor, filters=filters)
    total = qs.count()
    limit = export_limit()
    if total > limit:
        raise ExportTooLarge(_(ERR_EXPORT_TOO_LARGE).format(limit=f"{limit:,}"))
    today = timezone.localdate()
    rows = _person_export_rows(qs.iterator(chunk_size=2000), today)
    content = workbook_bytes(
        title=_("人员花名册"), headers=[_(h) for h in PERSON_EXPORT_HEADERS], rows=rows,
        widths=PERSON_EXPORT_WIDTHS,
    )
    with transaction.atomic():
        audit_record(actor=actor, action="person.export", area_code=actor.area_code,
                     detail={"rows": total, "filters": filters.audit_detail()},
                     ip_address=ip_address)
    return content

