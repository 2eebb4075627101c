"""``bangfu import workshop_members FILE`` (车间吸纳花名册), ``bangfu import helpers FILE`` (帮扶人员
花名册) and ``bangfu import service_records FILE`` (帮扶服务记录), offered through
``network.importers.IMPORTERS``. Same guarantees as the other network imports: Chinese headers
with English aliases, errors by row and column, all-or-nothing, a re-import of the same file
changes nothing, each row through the network's services (their refusals, decided inside the
import's transaction, become row errors and nothing is written)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import Column, CommitRefused, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import area_contains
from bangfu.network import choices as c
from bangfu.network.errors import AlreadyRecorded, NetworkError
from bangfu.network.models import Helper, ServiceRecord, WorkshopMember
from bangfu.network.selectors import workshops_by_code
from bangfu.network.services import helper_apply, network_service_record, workshop_member_save
from bangfu.registry.models import Person
from bangfu.registry.selectors import persons_by_id_hash

ERR_OUTSIDE = gettext_noop("{value} 不在您的管辖范围内")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")
ERR_NO_WORKSHOP = gettext_noop("没有该认定编号的帮扶车间：{value}")
ERR_NO_PERSON = gettext_noop("没有该证件号码的人员，或不在您的管辖范围内")
ERR_TOWNSHIP = gettext_noop("乡镇（街道）{value} 不属于所填区县")
ERR_HELPER_DIFFERS = gettext_noop("已登记的同一帮扶人员（姓名、出生日期、区县相同）的{field}与表中不同；导入不修改已登记的帮扶人员")
ERR_NO_HELPER = gettext_noop("没有该帮扶人员，或不在您的管辖范围内")
ERR_HELPER_AMBIGUOUS = gettext_noop("同名帮扶人员不止一人，请填写帮扶人员编号")
ERR_CODE_AMBIGUOUS = gettext_noop("认定编号{value}在多个区县使用，请由车间所在区县导入")


def workshop_errors(row, shops: dict, ambiguous: set[str]) -> list[RowError]:
    """The row's workshop (its 认定编号 within the actor's area) unknown or not one workshop."""
    code = row.values["code"]
    if code in ambiguous:
        return [RowError(row.number, "认定编号", _(ERR_CODE_AMBIGUOUS).format(value=code))]
    if code not in shops:  # outside the area reads as unknown: the import does not reveal it
        return [RowError(row.number, "认定编号", _(ERR_NO_WORKSHOP).format(value=code))]
    return []


def _persons(rows, actor: Actor, key: str = "id_number") -> dict[str, Person]:
    """The registry persons of the rows' ID numbers, inside the actor's area only (a person
    outside it reads as unknown: the import does not reveal who is registered elsewhere)."""
    return persons_by_id_hash(actor=actor, hashes={pii_hash(r.values[key]) for r in rows if r.values[key]})


class WorkshopMemberImporter(Importer):
    kind = "workshop_members"
    title = gettext_noop("车间吸纳花名册")
    capability = Capability.MANAGE_JOBS
    description = gettext_noop("每名务工人员每段务工一行：认定编号、证件号码、起始年月，离开的填结束年月。")
    commit_may_refuse = True
    columns = (
        Column("code", "认定编号", ("code", "workshop_code"), required=True, parse=parsers.text(max_length=40),
               example="BFCJ500230101001"),
        Column("id_number", "证件号码", ("id_number", "身份证号"), required=True, parse=parsers.id_number(),
               example="500230198506010012"),
        Column("name", "姓名", ("name",), example="张三", help="仅供核对"),
        Column("start_month", "起始年月", ("start_month", "start"), required=True, parse=parsers.month(),
               example="2024-01"),
        Column("end_month", "结束年月", ("end_month", "end"), parse=parsers.month(), example="",
               help="仍在车间务工的留空"),
    )

    def check(self, rows, *, actor: Actor):
        errors, seen = [], {}
        shops, ambiguous = workshops_by_code(user=actor, codes=[r.values["code"] for r in rows])
        persons = _persons(rows, actor)
        for row in rows:
            v = row.values
            shop, person = shops.get(v["code"]), persons.get(pii_hash(v["id_number"]))
            errors.extend(workshop_errors(row, shops, ambiguous))
            if person is None:
                errors.append(RowError(row.number, "证件号码", _(ERR_NO_PERSON)))
            if shop is None or person is None:
                continue
            key = (shop.pk, person.pk, v["start_month"])
            if key in seen:
                errors.append(RowError(row.number, "证件号码", _(ERR_DUPLICATE).format(row=seen[key])))
                continue
            seen[key] = row.number
            row.meta["workshop"], row.meta["person"] = shop, person
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        known = {(m.workshop_id, m.person_id, m.start_month): m.end_month for m in WorkshopMember.objects.filter(
            workshop__in={r.meta["workshop"].pk for r in rows}, person__in={r.meta["person"].pk for r in rows})}
        refused: list[RowError] = []
        for row in rows:
            v, shop, person = row.values, row.meta["workshop"], row.meta["person"]
            old = known.get((shop.pk, person.pk, v["start_month"]))
            if old is not None and old == v["end_month"]:
                result.unchanged += 1
                continue
            try:
                workshop_member_save(actor=actor, workshop=shop, person=person, start_month=v["start_month"],
                                     end_month=v["end_month"])
            except NetworkError as exc:
                refused.append(_refusal(row, exc, {"end_month": "结束年月", "start_month": "起始年月"}, "证件号码"))
                continue
            if old is None:
                result.created += 1
            else:
                result.updated += 1
        if refused:
            raise CommitRefused(refused)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        for row in rows:
            member = WorkshopMember.objects.filter(workshop=row.meta["workshop"], person=row.meta["person"],
                                                   start_month=row.values["start_month"]).first()
            outcome = "created" if member is None else (
                "unchanged" if member.end_month == row.values["end_month"] else "updated")
            setattr(result, outcome, getattr(result, outcome) + 1)


def _refusal(row, exc: NetworkError, columns: dict[str, str], default: str) -> RowError:
    """A service's refusal as the row's error, at the column of the field it names."""
    column = next((label for name, label in columns.items() if name in exc.fields), default)
    return RowError(row.number, column, exc.message)


class HelperImporter(Importer):
    kind = "helpers"
    title = gettext_noop("帮扶人员花名册")
    capability = Capability.MANAGE_JOBS
    description = gettext_noop("每名帮扶人员一行：姓名、类别、出生日期、所在区县；同一人（姓名、出生日期、区县相同）再次导入不重复登记。")
    commit_may_refuse = True
    columns = (
        Column("name", "姓名", ("name",), required=True, parse=parsers.text(max_length=60), example="李四"),
        Column("role", "类别", ("role",), required=True, parse=parsers.choice(c.HelperRole),
               choices=parsers.choice_labels(c.HelperRole), example="劳务经纪人"),
        Column("birth_date", "出生日期", ("birth_date", "birthday"), required=True, parse=parsers.date(),
               example="1980-05-01"),
        Column("phone", "联系电话", ("phone",), parse=parsers.phone(), example="13800000000"),
        Column("district_code", "所在区县", ("district", "district_code"), required=True, parse=parsers.district(),
               example="丰都县"),
        Column("township_code", "所在乡镇", ("township", "township_code"), parse=parsers.area(), example=""),
        Column("covered_area_code", "服务区域", ("covered_area", "covered_area_code"), parse=parsers.area(),
               example="", help="留空时为所在乡镇（或区县）"),
        Column("village", "推荐村（社区）", ("village",), parse=parsers.text(max_length=60), example=""),
        Column("applied_on", "申请日期", ("applied_on",), parse=parsers.date(), example="", help="留空时为今天"),
    )

    def check(self, rows, *, actor: Actor):
        errors, seen = [], {}
        existing = {(h.name, h.birth_date, h.district_code): h for h in Helper.objects.restrict(actor).filter(
            name__in={r.values["name"] for r in rows})}
        for row in rows:
            v = row.values
            township, district = v["township_code"], v["district_code"]
            if township and (township == district or not township.startswith(district)):
                errors.append(RowError(row.number, "所在乡镇", _(ERR_TOWNSHIP).format(value=township)))
                continue
            for code, column in ((district, "所在区县"), (township, "所在乡镇"), (v["covered_area_code"], "服务区域")):
                if code and not area_contains(actor.area_code, code):
                    errors.append(RowError(row.number, column, _(ERR_OUTSIDE).format(value=code)))
            key = (v["name"], v["birth_date"], district)
            if key in seen:
                errors.append(RowError(row.number, "姓名", _(ERR_DUPLICATE).format(row=seen[key])))
            seen.setdefault(key, row.number)
            helper = existing.get(key)
            if helper is not None:
                differs = [label for label, same in (
                    (_("类别"), helper.role == v["role"]),
                    (_("联系电话"), not v["phone"] or helper.phone_hash == pii_hash(v["phone"])),
                ) if not same]
                if differs:
                    errors.append(RowError(row.number, "姓名", _(ERR_HELPER_DIFFERS).format(field="、".join(differs))))
                row.meta["helper"] = helper
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        refused: list[RowError] = []
        for row in rows:
            if row.meta.get("helper") is not None:  # registered before: the import leaves it
                result.unchanged += 1
                continue
            v = {k: val for k, val in row.values.items() if k != "applied_on" or val}
            try:
                helper_apply(actor=actor, **v)
            except AlreadyRecorded:  # registered by an import at the same moment: as if before
                result.unchanged += 1
                continue
            except NetworkError as exc:
                refused.append(_refusal(row, exc, {"birth_date": "出生日期"}, "姓名"))
                continue
            result.created += 1
        if refused:
            raise CommitRefused(refused)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        for row in rows:
            outcome = "unchanged" if row.meta.get("helper") is not None else "created"
            setattr(result, outcome, getattr(result, outcome) + 1)


class ServiceRecordImporter(Importer):
    kind = "service_records"
    title = gettext_noop("帮扶服务记录")
    capability = Capability.RECORD_SERVICES
    description = gettext_noop("每次服务一行：服务对象证件号码、服务类型、服务日期；帮扶人员按编号，或按姓名（不重名时）。")
    commit_may_refuse = True
    columns = (
        Column("id_number", "证件号码", ("id_number", "身份证号"), required=True, parse=parsers.id_number(),
               example="500230198506010012"),
        Column("name", "服务对象", ("name", "姓名"), example="张三", help="仅供核对"),
        Column("kind", "服务类型", ("kind",), required=True, parse=parsers.choice(c.ServiceKind),
               choices=parsers.choice_labels(c.ServiceKind), example="上门走访"),
        Column("served_on", "服务日期", ("served_on", "date"), required=True, parse=parsers.date(),
               example="2024-03-05"),
        Column("helper_id", "帮扶人员编号", ("helper_id",), parse=parsers.integer(low=1), example=""),
        Column("helper_name", "帮扶人员", ("helper", "helper_name"), parse=parsers.text(max_length=60),
               example="李四"),
        Column("note", "备注", ("note",), parse=parsers.text(max_length=500), example=""),
    )

    def check(self, rows, *, actor: Actor):
        errors, seen = [], {}
        persons = _persons(rows, actor)
        helpers = Helper.objects.restrict(actor)
        by_id = helpers.in_bulk({r.values["helper_id"] for r in rows if r.values["helper_id"]})
        by_name: dict[str, list[Helper]] = {}
        for h in helpers.filter(name__in={r.values["helper_name"] for r in rows if r.values["helper_name"]}):
            by_name.setdefault(h.name, []).append(h)
        for row in rows:
            v = row.values
            person = persons.get(pii_hash(v["id_number"]))
            if person is None:
                errors.append(RowError(row.number, "证件号码", _(ERR_NO_PERSON)))
            helper = None
            if v["helper_id"]:
                helper = by_id.get(v["helper_id"])
                if helper is None:
                    errors.append(RowError(row.number, "帮扶人员编号", _(ERR_NO_HELPER)))
                    continue
            elif v["helper_name"]:
                found = by_name.get(v["helper_name"], [])
                if len(found) != 1:
                    errors.append(RowError(row.number, "帮扶人员", _(ERR_HELPER_AMBIGUOUS if found else ERR_NO_HELPER)))
                    continue
                helper = found[0]
            if person is None:
                continue
            key = (person.pk, helper.pk if helper else None, v["kind"], v["served_on"], v["note"])
            if key in seen:
                errors.append(RowError(row.number, "证件号码", _(ERR_DUPLICATE).format(row=seen[key])))
                continue
            seen[key] = row.number
            row.meta["person"], row.meta["helper"] = person, helper
        return errors

    def _exists(self, row) -> bool:
        v = row.values
        return ServiceRecord.objects.filter(person=row.meta["person"], helper=row.meta["helper"], kind=v["kind"],
                                            served_on=v["served_on"], note=v["note"]).exists()

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        refused: list[RowError] = []
        for row in rows:
            if self._exists(row):  # the same service imported before
                result.unchanged += 1
                continue
            v = row.values
            try:
                network_service_record(actor=actor, person=row.meta["person"], kind=v["kind"],
                                       served_on=v["served_on"], note=v["note"], helper=row.meta["helper"],
                                       imported=True)
            except AlreadyRecorded:  # imported at the same moment by another import of the file
                result.unchanged += 1
                continue
            except NetworkError as exc:
                refused.append(_refusal(row, exc, {"served_on": "服务日期", "kind": "服务类型"}, "证件号码"))
                continue
            result.created += 1
        if refused:
            raise CommitRefused(refused)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        for row in rows:
            outcome = "unchanged" if self._exists(row) else "created"
            setattr(result, outcome, getattr(result, outcome) + 1)


IMPORTERS = {"workshop_members": WorkshopMemberImporter(), "helpers": HelperImporter(),
             "service_records": ServiceRecordImporter()}
