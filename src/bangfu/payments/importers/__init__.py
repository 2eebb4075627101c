"""Imports of payments: ``bangfu import payee_accounts|bank_return FILE`` (the bank's return is in
``bank_return``).

Same guarantees as every bangfu import (``bangfu.core.imports``). Persons are found by the keyed
hash of their ID number inside the importing user's area only.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor, actor_user
from bangfu.core.capabilities import Capability
from bangfu.core.imports import CellError, Column, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import pii_hash
from bangfu.payments.importers.bank_return import BankReturnImporter
from bangfu.payments.models import PayeeAccount
from bangfu.payments.services.accounts import ACCOUNT_RE, normalise_account
from bangfu.registry.selectors import persons_by_id_hash

ERR_ACCOUNT = gettext_noop("银行账号应为 8 到 32 位数字")
ERR_PERSON_UNKNOWN = gettext_noop("该证件号码未在本辖区花名册中登记")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")


def _account(text: str) -> str:
    value = normalise_account(text)
    if value and not ACCOUNT_RE.match(value):
        raise CellError(ERR_ACCOUNT)
    return value


class PayeeAccountImporter(Importer):
    kind = "payee_accounts"
    title = gettext_noop("补贴收款账户")
    capability = Capability.EDIT_REGISTRY
    description = gettext_noop("每人一行：开户银行和银行账号（社保卡或一卡通账户）；再次导入即为更正。")
    columns = (
        Column("id_number", "证件号码", ("id_number", "身份证号", "身份证号码"), required=True, parse=parsers.id_number(),
               help="18位居民身份证号码，须已在花名册中登记", example="500230198506010018"),
        Column("name", "姓名", ("name",), help="仅供核对，不导入", example="张三"),
        Column("bank_name", "开户银行", ("bank_name", "开户行"), required=True, example="重庆农村商业银行"),
        Column("account", "银行账号", ("account", "账号", "卡号"), required=True, parse=_account,
               help="8到32位数字", example="6214000000001234567"),
    )

    def check(self, rows, *, actor: Actor):
        errors: list[RowError] = []
        persons = persons_by_id_hash(actor=actor, hashes={pii_hash(r.values["id_number"]) for r in rows})
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

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        ids = [r.meta["person_id"] for r in rows]
        existing = {a.person_id: a for a in PayeeAccount.objects.filter(person_id__in=ids)}
        user = actor_user(actor)
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
    "payee_accounts": PayeeAccountImporter(),
    "bank_return": BankReturnImporter(),
}
