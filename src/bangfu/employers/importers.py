"""``bangfu import enterprises FILE``: employers with their corporate bank account, for the
enterprise subsidies (one row per employer, matched by unified social credit code).

Same guarantees as every bangfu import (``bangfu.core.imports``): Chinese headers with English
aliases, each error with row, column and a Chinese reason, all-or-nothing by default, and a
re-import of the same file changes nothing. An employer already registered (by 渝职聘, say)
keeps its contact and credit rating; the import sets its area and account.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bangfu.core import reference
from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import BANK_ACCOUNT_RE, bank_account_normalise, pii_hash
from bangfu.core.scoping import CITY_CODE, area_contains
from bangfu.employers.models import Employer

ERR_TOWNSHIP = gettext_noop("无法识别的乡镇（街道）：{value}，或它不属于所填区县")
ERR_OUTSIDE = gettext_noop("{value} 不在您的管辖范围内")
ERR_ACCOUNT = gettext_noop("银行账号应为 8 到 32 位数字")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")
ERR_MANAGED_ELSEWHERE = gettext_noop("该统一社会信用代码已由其他区域登记为“{name}”，请由登记区域或市级经办更新")


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
    value = bank_account_normalise(text)
    if value and not BANK_ACCOUNT_RE.match(value):
        raise CellError(ERR_ACCOUNT)
    return value


def _area(actor: Actor) -> str:
    return actor.area_code


class EnterpriseImporter(Importer):
    kind = "enterprises"
    title = gettext_noop("企业信息")
    capability = Capability.IMPORT_REGISTRY
    description = gettext_noop("每个企业一行：名称、统一社会信用代码、所在区县及对公账户；按信用代码更新。")
    columns = (
        Column("name", "企业名称", ("name", "单位名称"), required=True, example="丰都县某某农业开发有限公司"),
        Column("uscc", "统一社会信用代码", ("uscc", "信用代码"), required=True, parse=parsers.uscc(),
               help="18位，填写时校验", example="91500230MA5U8XXXXX"),
        Column("district_code", "所在区县", ("district", "district_code", "区县"), required=True,
               parse=parsers.district(), help="6位代码或区县全称", example="丰都县"),
        Column("township_code", "所在乡镇", ("township", "township_code", "乡镇"), parse=_township_or_blank,
               help="9位代码或乡镇（街道）全称，可不填", example=""),
        Column("bank_name", "开户银行", ("bank_name", "开户行"), example="重庆农村商业银行丰都支行"),
        Column("bank_account", "银行账号", ("bank_account", "账号", "对公账号"), parse=_account_or_blank,
               help="对公账户，用于发放补贴", example="0101010120010001234"),
    )

    def check(self, rows, *, actor: Actor):
        errors: list[RowError] = []
        seen: dict[str, int] = {}
        area = _area(actor)
        # One employer per code for every programme: an officer updates only those of the own area.
        registered = {e.uscc: e for e in Employer.objects.filter(uscc__in={r.values["uscc"] for r in rows})
                      .only("uscc", "name", "owner_area_code")}
        for row in rows:
            v = row.values
            if v["township_code"] and not v["township_code"].startswith(v["district_code"]):
                errors.append(RowError(row.number, "所在乡镇", ERR_TOWNSHIP.format(value=v["township_code"])))
            where = v["township_code"] or v["district_code"]
            if area != CITY_CODE and not area_contains(area, where):
                errors.append(RowError(row.number, "所在区县", ERR_OUTSIDE.format(value=where)))
            known = registered.get(v["uscc"])
            if known is not None and area != CITY_CODE and not area_contains(area, known.owner_area_code):
                errors.append(RowError(row.number, "统一社会信用代码", ERR_MANAGED_ELSEWHERE.format(name=known.name)))
            if v["uscc"] in seen:
                errors.append(RowError(row.number, "统一社会信用代码", ERR_DUPLICATE.format(row=seen[v["uscc"]])))
            seen.setdefault(v["uscc"], row.number)
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        existing = {e.uscc: e for e in Employer.objects.filter(uscc__in=[r.values["uscc"] for r in rows])}
        for row in rows:
            v = row.values
            e = existing.get(v["uscc"])
            fields = {"name": v["name"][:200], "district_code": v["district_code"], "township_code": v["township_code"],
                      "bank_name": v["bank_name"][:100]}
            account_hash = pii_hash(v["bank_account"]) if v["bank_account"] else ""
            if e is None:
                area = v["township_code"] or v["district_code"]
                Employer.objects.create(uscc=v["uscc"], bank_account=v["bank_account"], bank_account_hash=account_hash,
                                        place_code=area, owner_area_code=area, **fields)
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


IMPORTERS = {"enterprises": EnterpriseImporter()}
