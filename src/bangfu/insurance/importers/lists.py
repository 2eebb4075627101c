"""Lists from the social-insurance system naming registry persons by ID number: the insured list
(参保名单, which refreshes the coverage gaps of its years) and the unemployment-benefit list
(失业保险金领取名单). Persons not in the importer's registry area are not the registry's: they
are left out with a warning, not refused (the system's lists cover everyone insured)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import Column, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import pii_hash
from bangfu.insurance import choices as c
from bangfu.insurance.models import InsuredRecord, UnemploymentBenefitMonth
from bangfu.insurance.services import coverage_refresh
from bangfu.registry.selectors import persons_by_id_hash

ERR_DUPLICATE = gettext_noop("与第{row}行重复")
WARN_NOT_IN_REGISTRY = gettext_noop("{n}行人员不在本辖区花名册中，未导入")
SCHEME_ALIASES = {"城乡居民基本养老保险": "resident_pension", "居民养老": "resident_pension",
                  "职工基本养老保险": "employee_pension", "职工养老": "employee_pension",
                  "医疗": "medical", "城乡居民基本医疗保险": "medical", "职工基本医疗保险": "medical"}
_ID = Column("id_number", "证件号码", ("id_number", "身份证号", "身份证号码"), required=True, parse=parsers.id_number(),
             help="18位居民身份证号码", example="500230198506010018")
_NAME = Column("name", "姓名", ("name",), help="仅供核对，不导入", example="张三")


def _match(rows, actor: Actor, key) -> list[RowError]:
    """Attach the registry person to each row (``meta["person"]``); duplicates are errors."""
    persons = persons_by_id_hash(actor=actor, hashes={pii_hash(r.values["id_number"]) for r in rows},
                                 only=("district_code", "township_code"))
    errors, seen = [], {}
    for row in rows:
        person = persons.get(pii_hash(row.values["id_number"]))
        row.meta["person"] = person
        if person is None:
            continue
        k = key(person, row.values)
        if k in seen:
            errors.append(RowError(row.number, "证件号码", _(ERR_DUPLICATE).format(row=seen[k])))
        seen.setdefault(k, row.number)
    return errors


def _warn_unknown(rows, result: ImportResult) -> list:
    known = [r for r in rows if r.meta["person"] is not None]
    if len(known) < len(rows):
        result.warnings.append(_(WARN_NOT_IN_REGISTRY).format(n=len(rows) - len(known)))
    return known


class InsuredListImporter(Importer):
    kind = "insured_list"
    title = gettext_noop("参保名单")
    capability = Capability.IMPORT_REGISTRY
    description = gettext_noop("社保系统导出的参保名单，每人每年每个险种一行；导入后按新名单重新计算应保未保人员，"
                               "已参保的人员从缺口名单中消除。")
    columns = (
        _ID, _NAME,
        Column("scheme", "险种", ("scheme", "参保险种"), required=True,
               parse=parsers.choice(c.InsuredScheme, aliases=SCHEME_ALIASES),
               help="城乡居民养老保险、城镇职工养老保险、基本医疗保险", example="城乡居民养老保险",
               choices=tuple(str(label) for _, label in c.InsuredScheme.choices)),
        Column("year", "参保年度", ("year", "年度"), required=True, parse=parsers.year(), example="2024"),
        Column("grade_fen", "缴费档次（元）", ("grade", "缴费档次", "缴费金额"), parse=parsers.yuan_to_fen(),
               help="城乡居民养老保险的缴费档次，元", example="100"),
        Column("on_behalf", "是否政府代缴", ("on_behalf", "代缴"), parse=parsers.boolean(), help="是/否", example="是"),
    )

    def check(self, rows, *, actor: Actor):
        return _match(rows, actor, lambda p, v: (p.pk, v["scheme"], v["year"]))

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        known = _warn_unknown(rows, result)
        today = timezone.localdate()
        existing = {(r.person_id, r.scheme, r.year): r for r in InsuredRecord.objects.filter(
            person_id__in={r.meta["person"].pk for r in known}, year__in={r.values["year"] for r in known})}
        new = []
        for row in known:
            v, pid = row.values, row.meta["person"].pk
            grade, on_behalf = v["grade_fen"] or 0, bool(v["on_behalf"])
            current = existing.get((pid, v["scheme"], v["year"]))
            if current is None:
                new.append(InsuredRecord(person_id=pid, scheme=v["scheme"], year=v["year"], grade_fen=grade,
                                         on_behalf=on_behalf, list_date=today))
            elif (current.grade_fen, current.on_behalf) != (grade, on_behalf):
                current.grade_fen, current.on_behalf, current.list_date = grade, on_behalf, today
                current.save(update_fields=["grade_fen", "on_behalf", "list_date", "updated_at"])
                result.updated += 1
            else:
                result.unchanged += 1
        InsuredRecord.objects.bulk_create(new, batch_size=2000)
        result.created += len(new)
        for year in sorted({r.values["year"] for r in known}):
            coverage_refresh(actor=actor, year=year, today=today)  # the gap list follows the new list


class BenefitMonthImporter(Importer):
    kind = "unemployment_benefit"
    title = gettext_noop("失业保险金领取名单")
    capability = Capability.IMPORT_REGISTRY
    description = gettext_noop("失业保险系统的领取名单，每人每个领取月份一行；领取失业保险金的月份不再享受培训生活费补贴。")
    columns = (
        _ID, _NAME,
        Column("month", "领取月份", ("month", "年月"), required=True, parse=parsers.month(not_future=True, earliest_year=2000),
               example="2024-09"),
        Column("amount_fen", "失业保险金（元）", ("amount", "金额"), parse=parsers.yuan_to_fen(), example="1800"),
    )

    def check(self, rows, *, actor: Actor):
        return _match(rows, actor, lambda p, v: (p.pk, v["month"]))

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        known = _warn_unknown(rows, result)
        existing = {(b.person_id, b.month): b for b in UnemploymentBenefitMonth.objects.filter(
            person_id__in={r.meta["person"].pk for r in known}, month__in={r.values["month"] for r in known})}
        new = []
        for row in known:
            pid, month, fen = row.meta["person"].pk, row.values["month"], row.values["amount_fen"] or 0
            current = existing.get((pid, month))
            if current is None:
                new.append(UnemploymentBenefitMonth(person_id=pid, month=month, amount_fen=fen))
            elif current.amount_fen != fen:
                current.amount_fen = fen
                current.save(update_fields=["amount_fen"])
                result.updated += 1
            else:
                result.unchanged += 1
        UnemploymentBenefitMonth.objects.bulk_create(new, batch_size=2000)
        result.created += len(new)
