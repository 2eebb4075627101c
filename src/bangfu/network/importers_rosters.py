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
from bangfu.network.errors import NetworkError
from bangfu.network.models import Helper, ServiceRecord, Workshop, WorkshopMember
from bangfu.network.services import helper_apply, network_service_record, workshop_member_save
from bangfu.registry.models import Person

ERR_OUTSIDE = gettext_noop("{value} 不在您的管辖范围内")
ERR_DUPLICATE = gettext_noop("与第{row}行重复")
ERR_NO_WORKSHOP = gettext_noop("没有该认定编号的帮扶车间：{value}")
ERR_NO_PERSON = gettext_noop("没有该证件号码的人员，或不在您的管辖范围内")
ERR_TOWNSHIP = gettext_noop("乡镇（街道）{value} 不属于所填区县")
ERR_HELPER_DIFFERS = gettext_noop("已登记的同一帮扶人员（姓名、出生日期、区县相同）的{field}与表中不同；导入不修改已登记的帮扶人员")
ERR_NO_HELPER = gettext_noop("没有该帮扶人员，或不在您的管辖范围内")
ERR_HELPER_AMBIGUOUS = gettext_noop("同名帮扶人员不止一人，请填写帮扶人员编号")


def _persons(rows, actor: Actor, key: str = "id_number") -> dict[str, Person]:
    """The registry persons of the rows' ID numbers, inside the actor's area only (a person
    outside it reads as unknown: the import does not reveal who is registered elsewhere)."""
    hashes = {pii_hash(r.values[key]) for r in rows if r.values[key]}
    return {p.id_number_hash: p for p in Person.objects.restrict(actor).filter(id_number_hash__in=hashes)}


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
        shops = {w.code: w for w in Workshop.objects.restrict(actor).filter(code__in={r.values["code"] for r in rows})}
        persons = _persons(rows, actor)
        for row in rows:
            v = row.values
            shop, person = shops.get(v["code"]), persons.get(pii_hash(v["id_number"]))
            if shop is None:
                errors.append(RowError(row.number, "认定编号", _(ERR_NO_WORKSHOP).format(value=v["code"])))
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
                column = "结束年月" if "end_month" in exc.fields else "起始年月" if "start_month" in exc.fields \
                    else "证件号码"
                refused.append(RowError(row.number, column, exc.message))
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


IMPORTERS = {"workshop_members": WorkshopMemberImporter()}
