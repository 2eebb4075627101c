"""Imports of the subsidies app: ``bangfu import enterprises|social_insurance|payee_accounts|bank_return FILE``
(the bank's return is in ``bank_return``).

Same guarantees as every bangfu import (``bangfu.core.imports``): Chinese headers with English
aliases, each error with row, column and a Chinese reason, all-or-nothing by default, and a
re-import of the same file changes nothing. Persons are found by the keyed hash of their ID
number inside the importing user's area only.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError
from bangfu.core.imports.spec import ParsedRow
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import CITY_CODE, area_contains
from bangfu.monitoring.importers import parse_id, parse_month_cell, parse_uscc
from bangfu.policies import choices as c
from bangfu.policies.importers.bank_return import BankReturnImporter
from bangfu.policies.importers.cells import parse_fen
from bangfu.policies.models import Enterprise, PayeeAccount, SocialInsuranceContribution
from bangfu.policies.services.payments import ACCOUNT_RE, normalise_account
from bangfu.registry import reference
from bangfu.registry.models import Person

ERR_DISTRICT = gettext_noop("无法识别的区县：{value}（请填写6位代码或区县全称）")
ERR_TOWNSHIP = gettext_noop("无法识别的乡镇（街道）：{value}，或它不属于所填区县")
ERR_OUTSIDE = gettext_noop("{value} 不在您的管辖范围内")
ERR_ACCOUNT = gettext_noop("银行账号应为 8 到 32 位数字")
ERR_PERSON_UNKNOWN = gettext_noop("该证件号码未在本辖区花名册中登记")
ERR_ENTERPRISE_UNKNOWN = gettext_noop("该统一社会信用代码的企业尚未登记，请先导入企业信息")
ERR_INSURANCE = gettext_noop("险种应为：养老保险、医疗保险、失业保险、工伤保险")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")


def _district(text: str) -> str:
    text = text.strip()
    divisions = reference.divisions()
    if text in divisions and len(text) == 6:
        return text
    for code, row in divisions.items():
        if len(code) == 6 and row["name"] == text:
            return code
    raise CellError(ERR_DISTRICT.format(value=text))


def _township_or_blank(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    divisions = reference.divisions()
    if text in divisions and len(text) == 9:
        return text
    matches = [code for code, row in divisions.items() if len(code) == 9 and row["name"] == text]
    if len(matches) == 1:
        return matches[0]
    raise CellError(ERR_TOWNSHIP.format(value=text))


def _account_or_blank(text: str) -> str:
    value = normalise_account(text)
    if value and not ACCOUNT_RE.match(value):
        raise CellError(ERR_ACCOUNT)
    return value


INSURANCE = {str(label): value for value, label in c.InsuranceType.choices} | {
    v: v for v in c.InsuranceType.values} | {"养老": "pension", "医疗": "medical", "失业": "unemployment",
                                              "工伤": "injury", "职工基本养老保险": "pension",
                                              "基本医疗保险": "medical"}


def _insurance(text: str) -> str:
    value = INSURANCE.get(text.strip()) or INSURANCE.get(text.strip().lower())
    if value is None:
        raise CellError(ERR_INSURANCE)
    return value


def _area(actor) -> str:
    return getattr(actor, "area_code", None) or CITY_CODE


def _persons(rows: list[ParsedRow], actor) -> dict[str, Person]:
    hashes = {pii_hash(r.values["id_number"]) for r in rows}
    found: dict[str, Person] = {}
    hash_list = sorted(hashes)
    for start in range(0, len(hash_list), 5000):
        qs = Person.objects.in_area(_area(actor)).filter(id_number_hash__in=hash_list[start:start + 5000])
        found.update({p.id_number_hash: p for p in qs.only("id", "id_number_hash", "district_code", "township_code")})
    return found


# ---- enterprises ---------------------------------------------------------------------------
class EnterpriseImporter(Importer):
    kind = "enterprises"
    title = gettext_noop("企业信息")
    capability = "registry.import"
    description = gettext_noop("每个企业一行：名称、统一社会信用代码、所在区县及对公账户；按信用代码更新。")
    columns = (
        Column("name", "企业名称", ("name", "单位名称"), required=True, example="丰都县某某农业开发有限公司"),
        Column("uscc", "统一社会信用代码", ("uscc", "信用代码"), required=True, parse=parse_uscc,
               help="18位，填写时校验", example="91500230MA5U8XXXXX"),
        Column("district_code", "所在区县", ("district", "district_code", "区县"), required=True,
               parse=_district, help="6位代码或区县全称", example="丰都县"),
        Column("township_code", "所在乡镇", ("township", "township_code", "乡镇"), parse=_township_or_blank,
               help="9位代码或乡镇（街道）全称，可不填", example=""),
        Column("bank_name", "开户银行", ("bank_name", "开户行"), example="重庆农村商业银行丰都支行"),
        Column("bank_account", "银行账号", ("bank_account", "账号", "对公账号"), parse=_account_or_blank,
               help="对公账户，用于发放补贴", example="0101010120010001234"),
    )

    def check(self, rows, *, actor):
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        area = _area(actor)
        for row in rows:
            v = row.values
            if v["township_code"] and not v["township_code"].startswith(v["district_code"]):
                errors.append(RowError(row.number, "所在乡镇", ERR_TOWNSHIP.format(value=v["township_code"])))
            where = v["township_code"] or v["district_code"]
            if area != CITY_CODE and not area_contains(area, where):
                errors.append(RowError(row.number, "所在区县", ERR_OUTSIDE.format(value=where)))
            if v["uscc"] in seen:
                errors.append(RowError(row.number, "统一社会信用代码", ERR_DUPLICATE.format(row=seen[v["uscc"]])))
            seen.setdefault(v["uscc"], row.number)
        return errors

    def commit(self, rows, *, actor, result: ImportResult, progress=None) -> None:
        existing = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=[r.values["uscc"] for r in rows])}
        for row in rows:
            v = row.values
            e = existing.get(v["uscc"])
            fields = {"name": v["name"][:200], "district_code": v["district_code"], "township_code": v["township_code"],
                      "bank_name": v["bank_name"][:100]}
            account_hash = pii_hash(v["bank_account"]) if v["bank_account"] else ""
            if e is None:
                Enterprise.objects.create(uscc=v["uscc"], bank_account=v["bank_account"],
                                          bank_account_hash=account_hash, **fields)
                result.created += 1
                continue
            changed = [k for k, val in fields.items() if getattr(e, k) != val]
            if v["bank_account"] and e.bank_account_hash != account_hash:
                e.bank_account, e.bank_account_hash = v["bank_account"], account_hash
                changed += ["bank_account", "bank_account_hash"]
            if changed:
                for k in fields:
                    setattr(e, k, fields[k])
                e.save()
                result.updated += 1
            else:
                result.unchanged += 1


# ---- social insurance contributions ----------------------------------------------------------
class ContributionImporter(Importer):
    kind = "social_insurance"
    title = gettext_noop("社保缴费明细")
    capability = "registry.import"
    description = gettext_noop("每人每月每个险种一行：缴费单位、单位缴费和个人缴费（元）；同一人同一单位同一月份同一险种再次导入即为更正。")
    columns = (
        Column("id_number", "证件号码", ("id_number", "身份证号", "身份证号码"), required=True, parse=parse_id,
               help="18位居民身份证号码，须已在花名册中登记", example="500230198506010018"),
        Column("name", "姓名", ("name",), help="仅供核对，不导入", example="张三"),
        Column("uscc", "缴费单位统一社会信用代码", ("uscc", "统一社会信用代码", "单位信用代码"), required=True,
               parse=parse_uscc, help="企业须已登记", example="91500230MA5U8XXXXX"),
        Column("month", "费款所属期", ("month", "年月", "所属期"), required=True, parse=parse_month_cell,
               help="如 2024-09", example="2024-09"),
        Column("insurance_type", "险种", ("insurance_type", "险种类型"), required=True, parse=_insurance,
               help="养老保险、医疗保险、失业保险、工伤保险", example="养老保险",
               choices=tuple(str(label) for _, label in c.InsuranceType.choices)),
        Column("employer_fen", "单位缴费（元）", ("employer", "单位缴费", "单位缴纳"), required=True, parse=parse_fen,
               help="单位缴纳部分，元", example="800.64"),
        Column("worker_fen", "个人缴费（元）", ("worker", "个人缴费", "个人缴纳"), parse=parse_fen,
               help="个人缴纳部分，元（不在补贴范围内）", example="320.26"),
    )

    def check(self, rows, *, actor):
        errors: list[RowError] = []
        persons = _persons(rows, actor)
        firms = {e.uscc: e.pk for e in Enterprise.objects.filter(uscc__in={r.values["uscc"] for r in rows})}
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

    def commit(self, rows, *, actor, result: ImportResult, progress=None) -> None:
        keys = [r.meta["key"] for r in rows]
        existing = {}
        for start in range(0, len(keys), 2000):
            chunk = keys[start:start + 2000]
            for x in SocialInsuranceContribution.objects.filter(
                    person_id__in={k[0] for k in chunk}, month__in={k[2] for k in chunk}):
                existing[(x.person_id, x.enterprise_id, x.month, x.insurance_type)] = x
        new = []
        for row in rows:
            key = row.meta["key"]
            employer, worker = row.values["employer_fen"], row.values["worker_fen"]
            current = existing.get(key)
            if current is None:
                new.append(SocialInsuranceContribution(person_id=key[0], enterprise_id=key[1], month=key[2],
                                                       insurance_type=key[3], employer_fen=employer, worker_fen=worker))
            elif (current.employer_fen, current.worker_fen) != (employer, worker):
                current.employer_fen, current.worker_fen = employer, worker
                current.save(update_fields=["employer_fen", "worker_fen"])
                result.updated += 1
            else:
                result.unchanged += 1
        SocialInsuranceContribution.objects.bulk_create(new, batch_size=2000)
        result.created += len(new)


# ---- payee accounts ----------------------------------------------------------------------------
class PayeeAccountImporter(Importer):
    kind = "payee_accounts"
    title = gettext_noop("补贴收款账户")
    capability = "registry.edit"
    description = gettext_noop("每人一行：开户银行和银行账号（社保卡或一卡通账户）；再次导入即为更正。")
    columns = (
        Column("id_number", "证件号码", ("id_number", "身份证号", "身份证号码"), required=True, parse=parse_id,
               help="18位居民身份证号码，须已在花名册中登记", example="500230198506010018"),
        Column("name", "姓名", ("name",), help="仅供核对，不导入", example="张三"),
        Column("bank_name", "开户银行", ("bank_name", "开户行"), required=True, example="重庆农村商业银行"),
        Column("account", "银行账号", ("account", "账号", "卡号"), required=True, parse=_account_or_blank,
               help="8到32位数字", example="6214000000001234567"),
    )

    def check(self, rows, *, actor):
        errors: list[RowError] = []
        persons = _persons(rows, actor)
        seen: dict[int, int] = {}
        for row in rows:
            person = persons.get(pii_hash(row.values["id_number"]))
            if person is None:
                errors.append(RowError(row.number, "证件号码", ERR_PERSON_UNKNOWN))
                continue
            if person.pk in seen:
                errors.append(RowError(row.number, "证件号码", ERR_DUPLICATE.format(row=seen[person.pk])))
                continue
            seen[person.pk] = row.number
            row.meta["person_id"] = person.pk
        return errors

    def commit(self, rows, *, actor, result: ImportResult, progress=None) -> None:
        ids = [r.meta["person_id"] for r in rows]
        existing = {a.person_id: a for a in PayeeAccount.objects.filter(person_id__in=ids)}
        user = actor if getattr(actor, "pk", None) else None
        for row in rows:
            v = row.values
            digest = pii_hash(v["account"])
            current = existing.get(row.meta["person_id"])
            if current is None:
                PayeeAccount.objects.create(person_id=row.meta["person_id"], bank_name=v["bank_name"][:100],
                                            account=v["account"], account_hash=digest, updated_by=user)
                result.created += 1
            elif current.account_hash != digest or current.bank_name != v["bank_name"][:100]:
                current.account, current.account_hash, current.bank_name = v["account"], digest, v["bank_name"][:100]
                current.updated_by = user
                current.save()
                result.updated += 1
            else:
                result.unchanged += 1


IMPORTERS = {
    "enterprises": EnterpriseImporter(),
    "social_insurance": ContributionImporter(),
    "payee_accounts": PayeeAccountImporter(),
    "bank_return": BankReturnImporter(),
}
