"""Helpers: registration (备案) step by step, caseloads, service records, the call, outflow batches."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core.actors import Actor, Forbidden, actor_name, actor_user, is_system, require
from bangfu.core.audit import audit_record
from bangfu.core.months import month_of
from bangfu.core.pii import BANK_ACCOUNT_RE, bank_account_normalise, pii_hash
from bangfu.core.places import place_facts
from bangfu.network import choices as c
from bangfu.network import errors as e
from bangfu.network.models import Caseload, Helper, OutflowBatch, OutflowMember, ServiceRecord
from bangfu.network.params import param
from bangfu.network.permissions import CAPABILITY_MANAGE, CAPABILITY_SERVE, require_area
from bangfu.registry.models import Person, age_on

# 备案 in order; each step stamps its date field.
STEPS = (
    (c.HelperStatus.APPLIED, c.HelperStatus.RECOMMENDED, "recommended_on"),
    (c.HelperStatus.RECOMMENDED, c.HelperStatus.TRAINED, "trained_on"),
    (c.HelperStatus.TRAINED, c.HelperStatus.NOTICE, "notice_start"),
    (c.HelperStatus.NOTICE, c.HelperStatus.REGISTERED, "registered_on"),
)


def _check_age(birth_date: dt.date, on: dt.date) -> None:
    low, high = int(param("NETWORK_HELPER_MIN_AGE")), int(param("NETWORK_HELPER_MAX_AGE"))
    age = age_on(birth_date, on)
    if not low <= age <= high:
        msg = _(e.ERR_HELPER_AGE).format(min_age=low, max_age=high, age=age)
        raise e.NetworkError(msg, {"birth_date": msg})


@transaction.atomic
def helper_apply(*, actor: Actor, name: str, role: str, birth_date: dt.date, district_code: str,
                 township_code: str = "", covered_area_code: str = "", phone: str = "", village: str = "",
                 applied_on: dt.date | None = None, user=None) -> Helper:
    require(actor, CAPABILITY_MANAGE)
    require_area(actor, township_code or district_code)
    applied_on = applied_on or timezone.localdate()
    _check_age(birth_date, applied_on)
    phone, name = phone.strip(), name.strip()[:60]
    try:
        with transaction.atomic():
            helper = Helper.objects.create(
                name=name, role=role, birth_date=birth_date, district_code=district_code,
                township_code=township_code, covered_area_code=covered_area_code or township_code or district_code,
                phone=phone, phone_hash=pii_hash(phone) if phone else "", village=village[:60],
                applied_on=applied_on, user=user)
    except IntegrityError:  # helper_natural_key_uniq: registered before, or by a concurrent import
        if not Helper.objects.filter(district_code=district_code, name=name, birth_date=birth_date).exists():
            raise
        raise e.AlreadyRecorded(_(e.ERR_HELPER_REGISTERED), {"name": _(e.ERR_HELPER_REGISTERED)}) from None
    audit_record(actor=actor, action="helper.apply", obj=helper, detail={"role": role})
    return helper


@transaction.atomic
def helper_advance(*, actor: Actor, helper: Helper, on: dt.date | None = None) -> Helper:
    """The next step of 备案 (recommendation, training, notice, registration); the age is checked
    again at registration."""
    require(actor, CAPABILITY_MANAGE)
    helper = Helper.objects.select_for_update().get(pk=helper.pk)
    require_area(actor, helper.area_code)
    on = on or timezone.localdate()
    step = next((s for s in STEPS if s[0] == helper.status), None)
    if step is None:
        raise e.NetworkError(_(e.ERR_HELPER_STEP).format(status=helper.get_status_display()))
    before, after, field = step
    if after == c.HelperStatus.REGISTERED:
        _check_age(helper.birth_date, on)
    helper.status = after
    setattr(helper, field, on)
    helper.save(update_fields=["status", field, "updated_at"])
    audit_record(actor=actor, action="helper.advance", obj=helper, detail={"before": before, "after": after})
    return helper


@transaction.atomic
def helper_withdraw(*, actor: Actor, helper: Helper, on: dt.date | None = None) -> Helper:
    """注销: the helper leaves; their open caseload ends the same day."""
    require(actor, CAPABILITY_MANAGE)
    helper = Helper.objects.select_for_update().get(pk=helper.pk)
    require_area(actor, helper.area_code)
    on = on or timezone.localdate()
    helper.status, helper.withdrawn_on = c.HelperStatus.WITHDRAWN, on
    helper.save(update_fields=["status", "withdrawn_on", "updated_at"])
    ended = Caseload.objects.filter(helper=helper, ended_on__isnull=True).update(ended_on=on, updated_at=timezone.now())
    audit_record(actor=actor, action="helper.withdraw", obj=helper, detail={"caseload_ended": ended})
    return helper


@transaction.atomic
def caseload_assign(*, actor: Actor, helper: Helper, person: Person, primary: bool = True,
                    started_on: dt.date | None = None) -> Caseload:
    """Put a worker on a helper's caseload. A second open primary helper is refused by the
    database (``caseload_one_primary_helper``), so two officers at once cannot both succeed."""
    require(actor, CAPABILITY_MANAGE)
    require_area(actor, person.area_code)
    if helper.status != c.HelperStatus.REGISTERED:
        raise e.NetworkError(_(e.ERR_HELPER_NOT_REGISTERED))
    existing = Caseload.objects.filter(helper=helper, person=person, ended_on__isnull=True).first()
    if existing is not None and existing.primary == primary:
        return existing
    try:
        with transaction.atomic():
            if existing is not None:
                existing.primary = primary
                existing.save(update_fields=["primary", "updated_at"])
                load = existing
            else:
                load = Caseload.objects.create(
                    helper=helper, person=person, primary=primary, started_on=started_on or timezone.localdate(),
                    district_code=person.district_code, township_code=person.township_code)
    except IntegrityError:
        raise e.NetworkError(_(e.ERR_PRIMARY_TAKEN)) from None
    audit_record(actor=actor, action="caseload.assign", obj=load,
                 detail={"helper": helper.pk, "person": person.pk, "primary": primary})
    return load


@transaction.atomic
def caseload_end(*, actor: Actor, caseload: Caseload, ended_on: dt.date | None = None) -> Caseload:
    require(actor, CAPABILITY_MANAGE)
    require_area(actor, caseload.area_code)
    n = Caseload.objects.filter(pk=caseload.pk, ended_on__isnull=True).update(
        ended_on=ended_on or timezone.localdate(), updated_at=timezone.now())
    caseload.refresh_from_db()
    if n:
        audit_record(actor=actor, action="caseload.end", obj=caseload, detail={"person": caseload.person_id})
    return caseload


def helper_of(actor: Actor) -> Helper | None:
    """The helper record behind a user's login, if any."""
    if is_system(actor):
        return None
    return Helper.objects.filter(user_id=actor.pk).exclude(status=c.HelperStatus.WITHDRAWN).first()


@transaction.atomic
def network_service_record(*, actor: Actor, person: Person, kind: str, served_on: dt.date | None = None,
                           note: str = "", posting_id: int | None = None, helper: Helper | None = None,
                           imported: bool = False) -> ServiceRecord:
    """A service to a worker by a helper (or an officer): one 就业服务人次. ``imported`` records
    are unique by (person, helper, kind, date, note): a second is refused (``AlreadyRecorded``)."""
    require(actor, CAPABILITY_SERVE)
    require_area(actor, person.area_code)
    served_on = served_on or timezone.localdate()
    if served_on > timezone.localdate():
        raise e.NetworkError(_(e.ERR_FUTURE), {"served_on": _(e.ERR_FUTURE)})
    if kind not in c.ServiceKind.values:
        raise e.NetworkError(_(e.ERR_UNKNOWN_KIND), {"kind": _(e.ERR_UNKNOWN_KIND)})
    helper = helper or helper_of(actor)
    try:
        with transaction.atomic():
            record = ServiceRecord.objects.create(
                helper=helper, person=person, kind=kind, posting_id=posting_id, served_on=served_on,
                month=month_of(served_on), note=note[:500], actor=actor_user(actor), actor_name=actor_name(actor),
                district_code=person.district_code, township_code=person.township_code, imported=imported)
    except IntegrityError:  # netservice_import_uniq: the same row imported before or at the same moment
        if not imported:
            raise
        raise e.AlreadyRecorded(_(e.ERR_SERVICE_IMPORTED)) from None
    audit_record(actor=actor, action="network_service.create", obj=record,
                 detail={"person": person.pk, "kind": kind, "helper": helper.pk if helper else None})
    return record


@dataclass(frozen=True)
class Call:
    phone: str
    record: ServiceRecord


@transaction.atomic
def person_call(*, actor: Actor, person: Person, ip_address: str | None = None) -> Call:
    """The call: only the worker's open primary helper sees the full phone; the reveal is audited
    and the call is a service record (电话联系)."""
    require(actor, CAPABILITY_SERVE)
    helper = helper_of(actor)
    if helper is None:
        raise Forbidden(_(e.ERR_NO_HELPER))
    if not Caseload.objects.filter(helper=helper, person=person, primary=True, ended_on__isnull=True).exists():
        raise Forbidden(_(e.ERR_NOT_ASSIGNED))
    audit_record(actor=actor, action="person.view_phone", obj=person,
                 detail={"helper": helper.pk, "fields": ["phone"]}, ip_address=ip_address)
    record = network_service_record(actor=actor, person=person, kind=c.ServiceKind.CALL, helper=helper)
    return Call(phone=person.phone, record=record)


@transaction.atomic
def outflow_batch_create(*, actor: Actor, name: str, departed_on: dt.date, destination_code: str,
                         persons: list[Person], helper: Helper | None = None, employer=None,
                         note: str = "") -> OutflowBatch:
    """有组织劳务输出: a batch by destination (its cooperation region derived); each member's
    departure is a service record (organised outflow)."""
    require(actor, CAPABILITY_SERVE)
    facts = place_facts(destination_code)
    if facts is None:
        msg = _(e.ERR_DESTINATION).format(code=destination_code)
        raise e.NetworkError(msg, {"destination_code": msg})
    if not persons:
        raise e.NetworkError(_(e.ERR_NO_MEMBERS), {"persons": _(e.ERR_NO_MEMBERS)})
    for p in persons:
        require_area(actor, p.area_code)
    batch = OutflowBatch.objects.create(
        name=name.strip()[:100], helper=helper, employer=employer, departed_on=departed_on,
        month=month_of(departed_on), destination_code=facts.code, cooperation_region=facts.cooperation_region or "",
        owner_area_code=actor.area_code, note=note[:500])
    OutflowMember.objects.bulk_create([
        OutflowMember(batch=batch, person=p, district_code=p.district_code, township_code=p.township_code)
        for p in persons], ignore_conflicts=True)
    ServiceRecord.objects.bulk_create([
        ServiceRecord(helper=helper, person=p, kind=c.ServiceKind.OUTFLOW, served_on=departed_on,
                      month=month_of(departed_on), note=batch.name, actor=actor_user(actor),
                      actor_name=actor_name(actor), district_code=p.district_code, township_code=p.township_code)
        for p in {p.pk: p for p in persons}.values()])
    audit_record(actor=actor, action="outflow_batch.create", obj=batch,
                 detail={"members": len(persons), "destination": facts.code})
    return batch


@transaction.atomic
def helper_account_set(*, actor: Actor, helper: Helper, bank_name: str, account: str) -> Helper:
    """Set (or correct) the helper's own bank account, where a broker award is paid."""
    require(actor, CAPABILITY_MANAGE)
    h = Helper.objects.select_for_update().get(pk=helper.pk)
    require_area(actor, h.area_code)
    account = bank_account_normalise(account)
    if not BANK_ACCOUNT_RE.match(account):
        raise e.NetworkError(_(e.ERR_ACCOUNT), {"account": _(e.ERR_ACCOUNT)})
    if not bank_name.strip():
        raise e.NetworkError(_(e.ERR_BANK_NAME), {"bank_name": _(e.ERR_BANK_NAME)})
    h.bank_name = bank_name.strip()[:100]
    h.bank_account = account
    h.bank_account_hash = pii_hash(account)
    h.save(update_fields=["bank_name", "bank_account", "bank_account_hash", "updated_at"])
    audit_record(actor=actor, action="helper.bank_account_set", obj=h,
                 detail={"bank_name": h.bank_name, "account_last4": account[-4:]})
    return h
