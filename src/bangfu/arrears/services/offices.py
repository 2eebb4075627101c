"""Writes on offices: the import upserts them; officers are linked to the office they work in."""

from __future__ import annotations

from django.db import transaction

from bangfu.arrears import choices as c
from bangfu.arrears.models import Office, OfficeMember
from bangfu.core.actors import Actor
from bangfu.core.audit import audit_record
from bangfu.core.scoping import CITY_CODE

OFFICE_FIELDS = ("name", "covers", "contact_person", "contact_phone", "address", "active", "remark")


def office_upsert(*, code: str, values: dict, actor: Actor) -> str:
    """Create or update an out-of-town office by code; returns created, updated or unchanged.

    Called by the import inside its transaction (the import writes the summary audit row);
    each changed office gets its own row with before and after.
    """
    office = Office.objects.filter(code=code).first()
    if office is None:
        office = Office.objects.create(code=code, kind=c.OfficeKind.OUTPOST, **values)
        audit_record(actor=actor, action="arrears_office.create", obj=office, area_code=CITY_CODE,
                     detail={"code": code, **values})
        return "created"
    before = {field: getattr(office, field) for field in OFFICE_FIELDS}
    if all(before[field] == values[field] for field in values):
        return "unchanged"
    for field, value in values.items():
        setattr(office, field, value)
    office.save()
    audit_record(actor=actor, action="arrears_office.update", obj=office, area_code=CITY_CODE,
                 detail={"code": code, "before": before, "after": values})
    return "updated"


@transaction.atomic
def office_member_set(*, user, office: Office | None, actor: Actor) -> OfficeMember | None:
    """Link ``user`` to ``office`` (None removes the link); out-of-town officers need one."""
    before = OfficeMember.objects.filter(user=user).select_related("office").first()
    before_code = before.office.code if before else None
    if office is None:
        if before:
            before.delete()
        link = None
    elif before:
        before.office = office
        before.save(update_fields=["office", "updated_at"])
        link = before
    else:
        link = OfficeMember.objects.create(user=user, office=office)
    if hasattr(user, "_arrears_office_id"):
        del user._arrears_office_id
    audit_record(actor=actor, action="arrears_office.member_set", obj=user,
                 area_code=getattr(user, "area_code", "") or CITY_CODE,
                 detail={"username": user.username, "from": before_code,
                         "to": office.code if office else None})
    return link
