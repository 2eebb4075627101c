"""Imports of the subsidies app: ``bangfu import enterprises|social_insurance|payee_accounts|bank_return FILE``.

Same guarantees as every bangfu import (``bangfu.core.imports``): Chinese headers with English
aliases, each error with row, column and a Chinese reason, all-or-nothing by default, and a
re-import of the same file changes nothing. Persons are found by the keyed hash of their ID
number inside the importing user's area only.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError
from bangfu.core.imports.spec import ParsedRow
from bangfu.core.money import yuan_to_fen
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import CITY_CODE, area_contains
from bangfu.monitoring.importers import parse_id, parse_month_cell, parse_uscc
from bangfu.policies import choices as c
from bangfu.policies.models import Enterprise, PayeeAccount, Payment, PaymentBatch, SocialInsuranceContribution
from bangfu.policies.services.payments import ACCOUNT_RE, BankResult, normalise_account, payment_results_apply
from bangfu.registry import reference
from bangfu.registry.models import Person

ERR_DISTRICT = gettext_noop("无法识别的区县：{value}（请填写6位代码或区县全称）")
ERR_TOWNSHIP = gettext_noop("无法识别的乡镇（街道）：{value}，或它不属于所填区县")
ERR_OUTSIDE = gettext_noop("{value} 不在您的管辖范围内")
ERR_ACCOUNT = gettext_noop("银行账号应为 8 到 32 位数字")
ERR_AMOUNT = gettext_noop("金额格式不正确")
ERR_NEGATIVE = gettext_noop("金额不能为负数")
ERR_PERSON_UNKNOWN = gettext_noop("该证件号码未在本辖区花名册中登记")
ERR_ENTERPRISE_UNKNOWN = gettext_noop("该统一社会信用代码的企业尚未登记，请先导入企业信息")
ERR_INSURANCE = gettext_noop("险种应为：养老保险、医疗保险、失业保险、工伤保险")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")
ERR_BATCH_UNKNOWN = gettext_noop("批次号不存在，或不在您的管辖区域内")
ERR_BATCH_NOT_EXPORTED = gettext_noop("该批次的银行文件尚未导出，不能导入回盘")
ERR_LINE_UNKNOWN = gettext_noop("该批次没有这个序号")
ERR_AMOUNT_MISMATCH = gettext_noop("金额 {value} 元与批次中该笔金额 {expected} 元不一致")
ERR_ACCOUNT_MISMATCH = gettext_noop("银行账号尾号与批次中该笔不一致")
ERR_RESULT = gettext_noop("处理结果应为“成功”或“失败”")
ERR_ALREADY = gettext_noop("该笔已回盘为“{status}”，不能改为“{new}”")
ERR_LINE_NUMBER = gettext_noop("序号应为正整数")


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


def _fen(text: str) -> int:
    if not text:
        return 0
    try:
        fen = yuan_to_fen(text)
    except ValueError as exc:
        raise CellError(ERR_AMOUNT) from exc
    if fen < 0:
        raise CellError(ERR_NEGATIVE)
    return fen


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
        Column("employer_fen", "单位缴费（元）", ("employer", "单位缴费", "单位缴纳"), required=True, parse=_fen,
               help="单位缴纳部分，元", example="800.64"),
        Column("worker_fen", "个人缴费（元）", ("worker", "个人缴费", "个人缴纳"), parse=_fen,
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


# ---- the bank's return file --------------------------------------------------------------------
RESULTS = {"成功": True, "已成功": True, "交易成功": True, "success": True, "paid": True,
           "失败": False, "交易失败": False, "退票": False, "failed": False, "fail": False}


def _result(text: str) -> bool:
    value = RESULTS.get(text.strip().lower())
    if value is None:
        raise CellError(ERR_RESULT)
    return value


def _line(text: str) -> int:
    try:
        value = int(float(text))
    except ValueError as exc:
        raise CellError(ERR_LINE_NUMBER) from exc
    if value <= 0:
        raise CellError(ERR_LINE_NUMBER)
    return value


class BankReturnImporter(Importer):
    kind = "bank_return"
    title = gettext_noop("银行回盘文件")
    capability = "policies.approve"
    description = gettext_noop("银行处理支付批次后返回的结果：每笔一行，批次号、序号、金额和处理结果（成功/失败）。")
    columns = (
        Column("batch", "批次号", ("batch", "batch_number"), required=True, example="ZF2025010100001"),
        Column("line_no", "序号", ("line", "line_no", "明细序号"), required=True, parse=_line, example="1"),
        Column("payee", "收款人", ("payee", "户名"), help="仅供核对", example="张三"),
        Column("account", "银行账号", ("account", "账号", "卡号"), help="可为脱敏账号，核对尾号4位",
               example="6214***********4567"),
        Column("amount", "金额（元）", ("amount", "金额", "交易金额"), required=True, parse=_fen, example="200"),
        Column("paid", "处理结果", ("result", "status", "结果", "交易状态"), required=True, parse=_result,
               example="成功", choices=("成功", "失败")),
        Column("reason", "失败原因", ("reason", "备注"), example=""),
        Column("reference", "银行流水号", ("reference", "流水号"), example=""),
    )

    def check(self, rows, *, actor):
        errors: list[RowError] = []
        numbers = {r.values["batch"] for r in rows}
        batches = {b.number: b for b in PaymentBatch.objects.restrict(actor).filter(number__in=numbers)} if getattr(
            actor, "pk", None) else {b.number: b for b in PaymentBatch.objects.filter(number__in=numbers)}
        lines = {}
        for b in batches.values():
            for p in Payment.objects.filter(batch=b):
                lines[(b.number, p.line_no)] = p
        seen: dict[tuple[str, int], int] = {}
        for row in rows:
            v = row.values
            batch = batches.get(v["batch"])
            if batch is None:
                errors.append(RowError(row.number, "批次号", ERR_BATCH_UNKNOWN))
                continue
            if batch.status == c.BatchStatus.CREATED:
                errors.append(RowError(row.number, "批次号", ERR_BATCH_NOT_EXPORTED))
                continue
            key = (v["batch"], v["line_no"])
            if key in seen:
                errors.append(RowError(row.number, "序号", ERR_DUPLICATE.format(row=seen[key])))
                continue
            seen[key] = row.number
            payment = lines.get(key)
            if payment is None:
                errors.append(RowError(row.number, "序号", ERR_LINE_UNKNOWN))
                continue
            if v["amount"] != payment.amount_fen:
                errors.append(RowError(row.number, "金额（元）", ERR_AMOUNT_MISMATCH.format(
                    value=f"{v['amount'] / 100:.2f}", expected=f"{payment.amount_fen / 100:.2f}")))
                continue
            digits = normalise_account(v["account"]).replace("*", "")
            if v["account"] and len(digits) >= 4 and digits[-4:] != payment.account[-4:]:
                errors.append(RowError(row.number, "银行账号", ERR_ACCOUNT_MISMATCH))
                continue
            target = c.PaymentStatus.PAID if v["paid"] else c.PaymentStatus.FAILED
            if payment.status not in (c.PaymentStatus.PENDING, target):
                errors.append(RowError(row.number, "处理结果", ERR_ALREADY.format(
                    status=payment.get_status_display(), new=c.PaymentStatus(target).label)))
                continue
            row.meta["batch"] = batch
        return errors

    def commit(self, rows, *, actor, result: ImportResult, progress=None) -> None:
        results = [BankResult(batch=r.meta["batch"], line_no=r.values["line_no"], paid=r.values["paid"],
                              reason=r.values["reason"], reference=r.values["reference"]) for r in rows]
        counts = payment_results_apply(actor=actor, results=results)
        result.updated = counts["paid"] + counts["failed"]
        result.unchanged = counts["unchanged"]

    def preview(self, rows, *, actor, result: ImportResult) -> None:
        for r in rows:
            p = Payment.objects.filter(batch=r.meta["batch"], line_no=r.values["line_no"]).first()
            if p is not None and p.status != c.PaymentStatus.PENDING:
                result.unchanged += 1
            else:
                result.updated += 1

    def template_rows(self):
        return [["ZF2025010100001", "1", "张三", "6214***********4567", "200", "成功", "", "B2025010100001"],
                ["ZF2025010100001", "2", "李四", "6228***********0021", "50", "失败", "账户已销户", ""]]


IMPORTERS = {
    "enterprises": EnterpriseImporter(),
    "social_insurance": ContributionImporter(),
    "payee_accounts": PayeeAccountImporter(),
    "bank_return": BankReturnImporter(),
}
