"""``bangfu import training_roster FILE``: the 培训花名册 of a course, one row per trainee, with the
attended days, the completion date and the certificate.

Same guarantees as every bangfu import (``bangfu.core.imports``): errors with row, column and a
Chinese reason, all-or-nothing by default, a re-import of the same file (or of the exported
花名册) changes nothing. Each row goes through the services: enrolment, attendance, completion,
certificate, in that order, each only when it is new.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import Column, CommitRefused, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import pii_hash
from bangfu.registry.selectors import persons_by_id_hash
from bangfu.training import choices as c
from bangfu.training.models import Course, Enrolment
from bangfu.training.services import (
    certificate_issue, enrolment_attendance_record, enrolment_complete, enrolment_create,
)

ERR_UNKNOWN_COURSE = gettext_noop("没有该培训项目，或不在您的管辖范围内")
ERR_UNKNOWN_PERSON = gettext_noop("花名册中没有该人员，或不在您的管辖范围内")
ERR_WHO = gettext_noop("请填写证件号码")
ERR_DUPLICATE = gettext_noop("与第{row}行是同一培训项目的同一人")
ERR_CERTIFICATE_WITHOUT_COMPLETION = gettext_noop("登记证书须同时填写结业日期")
ERR_CERTIFICATE_DATE_MISSING = gettext_noop("填写证书编号时须填写发证日期")


def masked_or_id_number(value: str) -> str:
    """A full ID number; a masked one (the exported 花名册) reads as blank: the row is found by
    its 学员编号 instead."""
    if "*" in value:
        return ""
    return parsers.id_number()(value)


class RosterImporter(Importer):
    kind = "training_roster"
    title = gettext_noop("培训花名册")
    capability = Capability.EDIT_REGISTRY
    description = gettext_noop("每名学员一行：培训项目编号、证件号码、出勤天数；结业的填结业日期，取证的填证书编号、等级和发证日期。")
    commit_may_refuse = True
    columns = (
        Column("course", "培训项目编号", ("course", "course_id"), required=True, parse=parsers.integer(low=1),
               example="1", help="培训项目页面上的编号"),
        Column("enrolment", "学员编号", ("enrolment", "enrolment_id"), parse=parsers.integer(low=1),
               help="导出的花名册已填写；新学员留空", example=""),
        Column("id_number", "证件号码", ("id_number", "身份证号"), parse=masked_or_id_number,
               example="500230198506010012", help="新学员必填；导出表中的脱敏号码按学员编号查找"),
        Column("name", "姓名", ("name",), example="张三", help="仅供核对"),
        Column("days_attended", "出勤天数", ("days_attended", "days"), parse=parsers.integer(low=0, high=366),
               example="15"),
        Column("completed_on", "结业日期", ("completed_on",), parse=parsers.date(), example="2024-03-20",
               help="结业的学员填写；出勤须达到培训天数的规定比例"),
        Column("certificate_number", "证书编号", ("certificate_number", "certificate"),
               parse=parsers.text(max_length=40), example="CQ2024000001"),
        Column("certificate_level", "证书等级", ("certificate_level", "level"), parse=parsers.choice(c.SkillLevel),
               choices=parsers.choice_labels(c.SkillLevel), example="初级", help="留空时按培训等级"),
        Column("issued_on", "发证日期", ("issued_on",), parse=parsers.date(), example="2024-04-10"),
        Column("status", "状态", ("status",), help="导出时填写，导入时不读取"),
    )

    def check(self, rows, *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        courses = Course.objects.restrict(actor).in_bulk({r.values["course"] for r in rows if r.values["course"]})
        hashes = {pii_hash(r.values["id_number"]) for r in rows if r.values["id_number"]}
        persons = persons_by_id_hash(actor=actor, hashes=hashes)
        enrolments = Enrolment.objects.restrict(actor).select_related("person").in_bulk(
            {r.values["enrolment"] for r in rows if r.values["enrolment"]})
        seen: dict[tuple[int, int], int] = {}
        for row in rows:
            v = row.values
            course = courses.get(v["course"])
            if course is None:
                errors.append(RowError(row.number, "培训项目编号", _(ERR_UNKNOWN_COURSE)))
                continue
            enrolment = enrolments.get(v["enrolment"]) if v["enrolment"] else None
            if enrolment is not None and enrolment.course_id == course.pk:
                person = enrolment.person
            elif v["id_number"]:
                person = persons.get(pii_hash(v["id_number"]))
            else:
                errors.append(RowError(row.number, "证件号码", _(ERR_WHO)))
                continue
            if person is None:
                errors.append(RowError(row.number, "证件号码", _(ERR_UNKNOWN_PERSON)))
                continue
            key = (course.pk, person.pk)
            if key in seen:
                errors.append(RowError(row.number, "证件号码", _(ERR_DUPLICATE).format(row=seen[key])))
                continue
            seen[key] = row.number
            if v["certificate_number"] and not v["completed_on"]:
                errors.append(RowError(row.number, "结业日期", _(ERR_CERTIFICATE_WITHOUT_COMPLETION)))
                continue
            if v["certificate_number"] and not v["issued_on"]:
                errors.append(RowError(row.number, "发证日期", _(ERR_CERTIFICATE_DATE_MISSING)))
                continue
            row.meta["course"], row.meta["person"] = course, person
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        refused: list[RowError] = []
        for row in rows:
            try:
                outcome = _apply(row, actor=actor)
            except ValidationError as exc:
                refused.append(RowError(row.number, "证件号码", "；".join(exc.messages)))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        if refused:
            raise CommitRefused(refused)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        for row in rows:
            enrolment = _existing(row)
            outcome = "created" if enrolment is None else ("unchanged" if not _changes(row, enrolment) else "updated")
            setattr(result, outcome, getattr(result, outcome) + 1)

    def template_rows(self):
        return [["1", "", "500230198506010012", "张三", "15", "2024-03-20", "CQ2024000001", "初级", "2024-04-10", ""]]


def _existing(row) -> Enrolment | None:
    return (Enrolment.objects.select_related("course").filter(course=row.meta["course"], person=row.meta["person"])
            .first())


def _changes(row, enrolment: Enrolment) -> list[str]:
    v = row.values
    todo = []
    if enrolment.status == c.EnrolmentStatus.ENROLLED:
        if v["days_attended"] is not None and v["days_attended"] != enrolment.days_attended:
            todo.append("attendance")
        if v["completed_on"]:
            todo.append("complete")
    if v["certificate_number"] and not hasattr(enrolment, "certificate"):
        todo.append("certify")
    return todo


def _apply(row, *, actor: Actor) -> str:
    v = row.values
    enrolment = _existing(row)
    created = enrolment is None
    if created:
        enrolment = enrolment_create(actor=actor, course=row.meta["course"], person=row.meta["person"])
    todo = _changes(row, enrolment)
    if "attendance" in todo:
        enrolment = enrolment_attendance_record(actor=actor, enrolment=enrolment, days=v["days_attended"])
    if "complete" in todo:
        enrolment = enrolment_complete(actor=actor, enrolment=enrolment, completed_on=v["completed_on"])
    if "certify" in todo:
        certificate_issue(actor=actor, enrolment=enrolment, number=v["certificate_number"],
                          issued_on=v["issued_on"], level=v["certificate_level"] or "")
    return "created" if created else ("updated" if todo else "unchanged")


IMPORTERS = {"training_roster": RosterImporter()}
