"""``bangfu import social_insurance FILE``: what employers paid for registry workers, one row
per person, employer, month and insurance type (a second import of the same key corrects it).

Same guarantees as every bangfu import (``bangfu.core.imports``). Persons are found by the keyed
hash of their ID number inside the importing user's area only; the employer must be registered.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bangfu.core import facts as fact_store
from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import pii_hash
from bangfu.employers.models import Employer
from bangfu.insurance import choices as c
from bangfu.insurance.models import SocialInsuranceContribution
from bangfu.registry.selectors import persons_by_id_hash

ERR_PERSON_UNKNOWN = gettext_noop("该证件号码未在本辖区花名册中登记")
ERR_ENTERPRISE_UNKNOWN = gettext_noop("该统一社会信用代码的企业尚未登记，请先导入企业信息")
ERR_INSURANCE = gettext_noop("险种应为：养老保险、医疗保险、失业保险、工伤保险")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")
_YUAN = parsers.yuan_to_fen()

INSURANCE = {str(label): value for value, label in c.InsuranceType.choices} | {
    v: v for v in c.InsuranceType.values} | {"养老": "pension", "医疗": "medical", "失业": "unemployment",
                                              "工伤": "injury", "职工基本养老保险": "pension",
                                              "基本医疗保险": "medical"}


def _insurance(text: str) -> str:
    value = INSURANCE.get(text.strip()) or INSURANCE.get(text.strip().lower())
    if value is None:
        raise CellError(ERR_INSURANCE)
    return value


def _fen(text: str) -> int:
    """Yuan as written (``800.64``) to fen; blank is 0."""
    return _YUAN(text) or 0


class ContributionImporter(Importer):
    kind = "social_insurance"
    title = gettext_noop("社保缴费明细")
    capability = Capability.IMPORT_REGISTRY
    description = gettext_noop("每人每月每个险种一行：缴费单位、单位缴费和个人缴费（元）；同一人同一单位同一月份同一险种再次导入即为更正。")
    columns = (
        Column("id_number", "证件号码", ("id_number", "身份证号", "身份证号码"), required=True, parse=parsers.id_number(),
               help="18位居民身份证号码，须已在花名册中登记", example="500230198506010018"),
        Column("name", "姓名", ("name",), help="仅供核对，不导入", example="张三"),
        Column("uscc", "缴费单位统一社会信用代码", ("uscc", "统一社会信用代码", "单位信用代码"), required=True,
               parse=parsers.uscc(), help="企业须已登记", example="91500230MA5U8XXXXX"),
        Column("month", "费款所属期", ("month", "年月", "所属期"), required=True, parse=parsers.month(not_future=True, earliest_year=2000),
               help="如 2024-09", example="2024-09"),
        Column("insurance_type", "险种", ("insurance_type", "险种类型"), required=True, parse=_insurance,
               help="养老保险、医疗保险、失业保险、工伤保险", example="养老保险",
               choices=tuple(str(label) for _, label in c.InsuranceType.choices)),
        Column("employer_fen", "单位缴费（元）", ("employer", "单位缴费", "单位缴纳"), required=True, parse=_fen,
               help="单位缴纳部分，元", example="800.64"),
        Column("worker_fen", "个人缴费（元）", ("worker", "个人缴费", "个人缴纳"), parse=_fen,
               help="个人缴纳部分，元（不在补贴范围内）", example="320.26"),
    )

    def check(self, rows, *, actor: Actor):
        errors: list[RowError] = []
        persons = persons_by_id_hash(actor=actor, hashes={pii_hash(r.values["id_number"]) for r in rows},
                                 only=("district_code", "township_code"))
        firms = dict(Employer.objects.filter(uscc__in={r.values["uscc"] for r in rows}).values_list("uscc", "pk"))
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            person = persons.get(pii_hash(v["id_number"]))
            if person is None:
                errors.append(RowError(row.number, "证件号码", ERR_PERSON_UNKNOWN))
                continue
            if v["uscc"] not in firms:
                errors.append(RowError(row.number, "缴费单位统一社会信用代码", ERR_ENTERPRISE_UNKNOWN))
                continue
            key = (person.pk, firms[v["uscc"]], v["month"], v["insurance_type"])
            if key in seen:
                errors.append(RowError(row.number, "险种", ERR_DUPLICATE.format(row=seen[key])))
                continue
            seen[key] = row.number
            row.meta["key"] = key
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        keys = [r.meta["key"] for r in rows]
        existing = {}
        for start in range(0, len(keys), 2000):
            chunk = keys[start:start + 2000]
            for x in SocialInsuranceContribution.objects.filter(
                    person_id__in={k[0] for k in chunk}, month__in={k[2] for k in chunk}):
                existing[(x.person_id, x.employer_id, x.month, x.insurance_type)] = x
        new = []
        for row in rows:
            key = row.meta["key"]
            employer, worker = row.values["employer_fen"], row.values["worker_fen"]
            current = existing.get(key)
            if current is None:
                new.append(SocialInsuranceContribution(person_id=key[0], employer_id=key[1], month=key[2],
                                                       insurance_type=key[3], employer_fen=employer, worker_fen=worker))
            elif (current.employer_fen, current.worker_fen) != (employer, worker):
                current.employer_fen, current.worker_fen = employer, worker
                current.save(update_fields=["employer_fen", "worker_fen"])
                result.updated += 1
            else:
                result.unchanged += 1
        SocialInsuranceContribution.objects.bulk_create(new, batch_size=2000)
        result.created += len(new)
        if new or result.updated:
            fact_store.touch(SocialInsuranceContribution._meta.db_table, {r.meta["key"][2] for r in rows})
