"""Writes of employers: register, update, get-or-register by code (the corporate account
subsidies are paid into is set by ``payments.services.employer_account_set``).

Every programme registers employers here, so one code is one employer: 渝职聘 when a posting
names a new one, the enterprise import, the API. Messages are Chinese constants (tests assert
on them); a refused write raises ``EmployerError`` with a message per field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from stdnum.cn import uscc as stdnum_uscc

from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.core.pii import pii_hash
from bangfu.core.places import PlaceFacts, place_facts
from bangfu.employers.models import Employer

ERR_USCC = "统一社会信用代码无效：应为 18 位且校验位正确"
ERR_USCC_TAKEN = "该统一社会信用代码已登记为“{name}”"
ERR_EMPLOYER_PLACE = "未知的所在地代码：{code}"
ERR_EMPLOYER_INVALID = "用工单位信息有误，请按提示修改"
ERR_NAME = "单位名称不能为空"
EMPLOYER_FIELDS = ("name", "place_code", "contact_name", "contact_phone", "credit_rating")


class EmployerError(ValueError):
    """A refused write: ``message`` is Chinese, ``fields`` maps field names to Chinese messages."""

    def __init__(self, message: str, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


def uscc_clean(value: str) -> str:
    """The compact code when valid; raises ValidationError with ERR_USCC otherwise."""
    text = (value or "").strip().upper().replace(" ", "").replace("-", "")
    if not stdnum_uscc.is_valid(text):
        raise ValidationError(ERR_USCC, code="uscc")
    return stdnum_uscc.compact(text)


def employer_place(code: str) -> PlaceFacts | None:
    if not code:
        return None
    facts = place_facts(code)
    if facts is None:
        raise ValidationError(ERR_EMPLOYER_PLACE.format(code=code), code="place")
    return facts


def _employer_values(values: dict) -> dict:
    out = {k: values[k] for k in EMPLOYER_FIELDS if k in values}
    errors = {}
    if "name" in out:
        out["name"] = (out["name"] or "").strip()
        if not out["name"]:
            errors["name"] = ERR_NAME
    if "place_code" in out:
        try:
            facts = employer_place((out["place_code"] or "").strip())
        except ValidationError as exc:
            errors["place_code"] = exc.messages[0]
        else:
            out["place_code"] = facts.code if facts else ""
            out["district_code"] = facts.district_code if facts else ""
            out["township_code"] = facts.township_code if facts else ""
            out["cooperation_region"] = facts.cooperation_region if facts else ""
    if "contact_phone" in out:
        out["contact_phone"] = (out["contact_phone"] or "").strip()
        out["contact_phone_hash"] = pii_hash(out["contact_phone"]) if out["contact_phone"] else ""
    if errors:
        raise EmployerError(ERR_EMPLOYER_INVALID, errors)
    return out


@transaction.atomic
def employer_create(*, actor: Actor, name: str, uscc: str, place_code: str = "", contact_name: str = "",
                    contact_phone: str = "", credit_rating: str = "B") -> Employer:
    try:
        code = uscc_clean(uscc)
    except ValidationError as exc:
        raise EmployerError(ERR_EMPLOYER_INVALID, {"uscc": exc.messages[0]}) from exc
    existing = Employer.objects.filter(uscc=code).first()
    if existing is not None:
        raise EmployerError(ERR_EMPLOYER_INVALID, {"uscc": ERR_USCC_TAKEN.format(name=existing.name)})
    values = _employer_values({"name": name, "place_code": place_code, "contact_name": contact_name,
                               "contact_phone": contact_phone, "credit_rating": credit_rating})
    employer = Employer.objects.create(uscc=code, owner_area_code=actor.area_code, **values)
    audit_record(actor=actor, action="employer.create", obj=employer,
                 detail={"name": employer.name, "uscc": code})
    return employer


@transaction.atomic
def employer_update(*, actor: Actor, employer: Employer, **changes) -> Employer:
    values = _employer_values(changes)
    changed = [k for k, v in values.items() if getattr(employer, k) != v]
    for key in changed:
        setattr(employer, key, values[key])
    if changed:
        employer.save(update_fields=[*changed, "updated_at"])
        audit_record(actor=actor, action="employer.update", obj=employer,
                     detail={"fields": sorted(k for k in changed if "phone" not in k)})
    return employer


def employer_get_or_create(*, actor: Actor, uscc: str, name: str, place_code: str = "",
                           contact_name: str = "", contact_phone: str = "") -> tuple[Employer, bool]:
    """The employer with this code, registered on first sight (imports, API)."""
    code = uscc_clean(uscc)
    employer = Employer.objects.filter(uscc=code).first()
    if employer is not None:
        return employer, False
    return employer_create(actor=actor, name=name, uscc=code, place_code=place_code,
                           contact_name=contact_name, contact_phone=contact_phone), True
