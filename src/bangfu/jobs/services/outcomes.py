"""Services to workers and their outcomes: service records, referrals, hires, labour export.

A hire closes the loop: the posting's filled count goes up (refused when it is full), the hire
is a service record (推荐上岗), the posting is no longer recommended to the worker, and the
worker's employment record for the hire month is written through the monitoring service
(``employment_months_write``), so the monthly figures see it.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bangfu.core import facts as fact_store
from bangfu.core.actors import Actor, actor_name, actor_user
from bangfu.core.audit import audit_record
from bangfu.core.months import month_of
from bangfu.core.places import place_class_for, place_facts
from bangfu.employers.models import Employer
from bangfu.jobs import choices as c
from bangfu.jobs.models import Application, ExportBatch, ExportMember, JobPosting, Push, ServiceRecord
from bangfu.jobs.services.errors import JobsError
from bangfu.registry.models import Person

ERR_FULL = "该岗位已招满，不能再录用"
ERR_FULL_REFER = "该岗位已招满，不能再推荐"
ERR_NOT_OPEN = "该岗位已过期或已关闭"
ERR_ALREADY_HIRED = "该人员已被此岗位录用"
ERR_CLOSED_APPLICATION = "该推荐已结束（{status}），不能再改"
ERR_BAD_STATUS = "不能直接改为该状态"
ERR_NOT_WORKER = "该人员不是劳动力（16–65 岁且有劳动能力），不能推荐就业"
ERR_DESTINATION = "未知的目的地代码：{code}"
ERR_NO_MEMBERS = "请至少选择一名输出人员"
ERR_FUTURE = "日期不能晚于今天"


def _scoped(person: Person) -> dict:
    return {"district_code": person.district_code, "township_code": person.township_code}



@transaction.atomic
def service_record_create(*, actor: Actor, person: Person, kind: str, posting: JobPosting | None = None,
                          served_on: dt.date | None = None, note: str = "") -> ServiceRecord:
    served_on = served_on or timezone.localdate()
    if served_on > timezone.localdate():
        raise JobsError(ERR_FUTURE, {"served_on": ERR_FUTURE})
    if kind not in c.ServiceKind.values:
        raise JobsError("未知的服务类型", {"kind": "未知的服务类型"})
    record = ServiceRecord.objects.create(
        person=person, kind=kind, posting=posting, served_on=served_on, month=month_of(served_on),
        note=note[:500], actor=actor_user(actor),
        actor_name=actor_name(actor), **_scoped(person))
    fact_store.touch(ServiceRecord._meta.db_table, [record.month])
    audit_record(actor=actor, action="service.create", obj=record,
                 detail={"person": person.pk, "kind": kind, "posting": posting.pk if posting else None})
    return record


@transaction.atomic
def application_refer(*, actor: Actor, person: Person, posting: JobPosting, referred_on: dt.date | None = None,
                      note: str = "") -> Application:
    """Refer a worker to a posting (推荐岗位): an application plus a referral service record.

    Referring the same worker to the same posting again returns the existing application."""
    referred_on = referred_on or timezone.localdate()
    if not person.is_worker_on(referred_on):
        raise JobsError(ERR_NOT_WORKER)
    if posting.state(referred_on) not in ("open", "upcoming"):
        raise JobsError(ERR_FULL_REFER if posting.state(referred_on) == "full" else ERR_NOT_OPEN)
    existing = Application.objects.filter(person=person, posting=posting).first()
    if existing is not None:
        return existing
    push = Push.objects.filter(person=person, posting=posting).first()
    application = Application.objects.create(
        person=person, posting=posting, push=push, referred_on=referred_on, note=note[:500],
        **_scoped(person))
    ServiceRecord.objects.create(
        person=person, kind=c.ServiceKind.REFERRAL, posting=posting, served_on=referred_on,
        month=month_of(referred_on), note=note[:500], actor=actor_user(actor),
        actor_name=actor_name(actor), **_scoped(person))
    fact_store.touch(ServiceRecord._meta.db_table, [month_of(referred_on)])
    audit_record(actor=actor, action="application.refer", obj=application,
                 detail={"person": person.pk, "posting": posting.pk, "from_push": push is not None})
    return application


@transaction.atomic
def application_set_status(*, actor: Actor, application: Application, status: str, note: str = "") -> Application:
    """Interview, not hired, withdrawn (a hire goes through ``application_hire``)."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if status not in ("interview", "rejected", "withdrawn"):
        raise JobsError(ERR_BAD_STATUS)
    if application.status not in c.OPEN_APPLICATION_STATES:
        raise JobsError(ERR_CLOSED_APPLICATION.format(status=application.get_status_display()))
    before = application.status
    application.status = status
    if note:
        application.note = note[:500]
    application.save(update_fields=["status", "note", "updated_at"])
    audit_record(actor=actor, action="application.status", obj=application,
                 detail={"before": before, "after": status})
    return application


def _channel(source: str, place_class: str) -> str:
    if source in ("workshop", "gig"):
        return source
    return "local" if place_class == "in_county" else "migrant"


@transaction.atomic
def application_hire(*, actor: Actor, application: Application, hired_on: dt.date | None = None,
                     wage_fen: int | None = None) -> Application:
    """Record the hire: filled count + 1 and the worker's employment record for the hire month."""
    from bangfu.monitoring.services.facts import FactsError, employment_months_write

    hired_on = hired_on or timezone.localdate()
    if hired_on > timezone.localdate():
        raise JobsError(ERR_FUTURE, {"hired_on": ERR_FUTURE})
    application = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    if application.status == c.ApplicationStatus.HIRED:
        raise JobsError(ERR_ALREADY_HIRED)
    if application.status not in c.OPEN_APPLICATION_STATES:
        raise JobsError(ERR_CLOSED_APPLICATION.format(status=application.get_status_display()))
    posting = JobPosting.objects.select_for_update().select_related("employer").get(pk=application.posting_id)
    if posting.filled_count >= posting.headcount:
        raise JobsError(ERR_FULL)
    if posting.closed:
        raise JobsError(ERR_NOT_OPEN)
    JobPosting.objects.filter(pk=posting.pk).update(filled_count=F("filled_count") + 1,
                                                    updated_at=timezone.now())
    posting.refresh_from_db(fields=["filled_count"])
    person = application.person
    facts = place_facts(posting.work_place_code, abroad=posting.abroad)
    place_class = place_class_for(person.district_code, facts)
    month = month_of(hired_on)
    wage = wage_fen if wage_fen is not None else posting.wage_min_fen
    application.status = c.ApplicationStatus.HIRED
    application.hired_on = hired_on
    application.hire_month = month
    application.wage_fen = wage
    application.save(update_fields=["status", "hired_on", "hire_month", "wage_fen", "updated_at"])
    # the hire is a service to the worker too (推荐上岗, 就业服务人次)
    ServiceRecord.objects.create(
        person=person, kind=c.ServiceKind.HIRE, posting=posting, served_on=hired_on, month=month,
        actor=actor_user(actor), actor_name=actor_name(actor), **_scoped(person))
    fact_store.touch(ServiceRecord._meta.db_table, [month])
    try:  # the monitoring service refuses a month after this one (Chongqing time)
        employment_months_write(rows=[{
            "person_id": person.pk, "month": month, "place_class": place_class,
            "destination_code": posting.work_place_code, "channel": _channel(posting.source, place_class),
            "employer_name": posting.employer.name, "employer_uscc": posting.employer.uscc,
            "job_title": posting.title, "occupation_code": posting.occupation_code, "income_fen": wage,
        }], actor=actor, audit=False)
    except FactsError as exc:
        raise JobsError(str(exc), {"hired_on": str(exc)}) from exc
    audit_record(actor=actor, action="application.hire", obj=application,
                 detail={"person": person.pk, "posting": posting.pk, "month": month,
                         "filled": posting.filled_count, "headcount": posting.headcount})
    return application


@transaction.atomic
def export_batch_create(*, actor: Actor, name: str, employer: Employer, departed_on: dt.date,
                        destination_code: str, persons: list[Person], posting: JobPosting | None = None,
                        note: str = "") -> ExportBatch:
    """Organised labour export: a batch of workers sent together to one employer."""
    facts = place_facts(destination_code)
    if facts is None:
        raise JobsError(ERR_DESTINATION.format(code=destination_code),
                        {"destination_code": ERR_DESTINATION.format(code=destination_code)})
    if not persons:
        raise JobsError(ERR_NO_MEMBERS, {"persons": ERR_NO_MEMBERS})
    batch = ExportBatch.objects.create(
        name=name.strip()[:100], employer=employer, posting=posting, departed_on=departed_on,
        destination_code=facts.code, cooperation_region=facts.cooperation_region,
        owner_area_code=actor.area_code, note=note[:500])
    ExportMember.objects.bulk_create([ExportMember(batch=batch, person=p, **_scoped(p)) for p in persons],
                                     ignore_conflicts=True)
    audit_record(actor=actor, action="export_batch.create", obj=batch,
                 detail={"employer": employer.pk, "members": len(persons), "destination": facts.code})
    return batch
