"""``bangfu import post_requests FILE`` (岗位申报表) and ``bangfu import post_roster FILE``
(公益性岗位人员花名册): the sheets the village and the county keep, in and out.

Same guarantees as every bangfu import (``bangfu.core.imports``): errors with row, column and a
Chinese reason, all-or-nothing by default, a re-import of the same file (or of the exported
sheet) changes nothing. The roster refuses a second person of one household (in the file or
already placed) and a person already in another post (一岗一人).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import Column, CommitRefused, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import pii_hash
from bangfu.core.scoping import area_contains
from bangfu.employers.models import Employer
from bangfu.posts import choices as c
from bangfu.posts import services
from bangfu.posts.errors import ERR_HOUSEHOLD_PLACED
from bangfu.posts.models import Placement, WelfarePost
from bangfu.registry.selectors import persons_by_id_hash

ERR_NOT_TOWNSHIP = gettext_noop("请填写乡镇（街道）的代码或名称")
ERR_OUTSIDE = gettext_noop("不在您的管辖范围内")
ERR_UNKNOWN_POST = gettext_noop("没有该岗位，或不在您的管辖范围内")
ERR_UNKNOWN_EMPLOYER = gettext_noop("没有该统一社会信用代码的用人单位，请先登记单位")
ERR_NO_UNIT = gettext_noop("请填写村（社区）或用人单位的统一社会信用代码")
ERR_SAME_POST = gettext_noop("与第{row}行是同一岗位")
ERR_UNKNOWN_PERSON = gettext_noop("没有该人员，或不在您的管辖范围内")
ERR_UNKNOWN_PLACEMENT = gettext_noop("没有该安置，或不在您的管辖范围内")
ERR_WHO = gettext_noop("请填写证件号码（或导出花名册中的安置编号）")
ERR_SAME_PERSON = gettext_noop("与第{row}行是同一人")
ERR_SAME_HOUSEHOLD = gettext_noop("与第{row}行的人员同户，每户只能安置一人")
INFO = gettext_noop("导出表中的核对信息，导入时不读取")


def masked_or_id_number(value: str) -> str:
    """A full ID number; a masked one (an exported sheet: ``5002**********0012``) reads as blank."""
    if "*" in value:
        return ""
    return parsers.id_number()(value)


def _info(key: str, header: str) -> Column:
    return Column(key, header, help=INFO)


def _refused(row, column: str, exc: Exception) -> RowError:
    message = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    return RowError(row.number, column, message)


class PostRequestImporter(Importer):
    kind = "post_requests"
    title = gettext_noop("公益性岗位申报表")
    capability = Capability.EDIT_REGISTRY
    description = gettext_noop("每个岗位一行：村（社区）或用人单位申报，乡镇审核、县级批准后方可安置；"
                               "按岗位编号（或乡镇、单位、岗位名称和资金年度）更新尚未审核的申报。")
    commit_may_refuse = True
    columns = (
        Column("post", "岗位编号", ("post_id",), parse=parsers.integer(low=1), help="导出的申报表已填写；新申报留空"),
        Column("name", "岗位名称", ("name",), required=True, parse=parsers.text(max_length=100), example="村道保洁员"),
        Column("post_type", "岗位类型", ("post_type",), required=True, parse=parsers.choice(c.PostType),
               choices=parsers.choice_labels(c.PostType), example="公共服务类"),
        Column("work_time", "用工形式", ("work_time",), parse=parsers.choice(c.WorkTime),
               choices=parsers.choice_labels(c.WorkTime), example="全日制", help="留空为全日制"),
        Column("hours_per_month", "每月工时", ("hours_per_month",), parse=parsers.integer(low=1, high=300),
               help="非全日制岗位必填"),
        Column("headcount", "岗位人数", ("headcount",), parse=parsers.integer(low=1, high=500), example="1",
               help="留空为1人"),
        Column("township", "乡镇（街道）", ("township", "乡镇代码"), required=True, parse=parsers.area(),
               example="500230101"),
        Column("village", "村（社区）", ("village",), parse=parsers.text(max_length=60), example="新村"),
        Column("employer", "用人单位统一社会信用代码", ("employer_uscc", "用人单位"), parse=parsers.uscc(),
               help="岗位属于用人单位（学校、卫生院等）时填写，单位须已登记"),
        Column("funding_source", "资金来源", ("funding_source",), required=True,
               parse=parsers.choice(c.FundingSource), choices=parsers.choice_labels(c.FundingSource),
               example="就业补助资金"),
        Column("funding_year", "资金年度", ("funding_year",), required=True, parse=parsers.year(years_ahead=1),
               example="2024"),
        Column("duties", "岗位职责", ("duties",), parse=parsers.text(max_length=300), example="村内道路清扫"),
        _info("status", "状态"),
    )

    def check(self, rows, *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        employers = {e.uscc: e for e in Employer.objects.filter(uscc__in={r.values["employer"] for r in rows})}
        posts = {p.pk: p for p in WelfarePost.objects.restrict(actor).filter(
            pk__in=[r.values["post"] for r in rows if r.values["post"]])}
        seen: dict[object, int] = {}
        for row in rows:
            v = row.values
            township = v["township"]
            if len(township) != 9:
                errors.append(RowError(row.number, "乡镇（街道）", _(ERR_NOT_TOWNSHIP)))
                continue
            if not area_contains(actor.area_code, township):
                errors.append(RowError(row.number, "乡镇（街道）", _(ERR_OUTSIDE)))
                continue
            employer = employers.get(v["employer"]) if v["employer"] else None
            if v["employer"] and employer is None:
                errors.append(RowError(row.number, "用人单位统一社会信用代码", _(ERR_UNKNOWN_EMPLOYER)))
                continue
            if not v["village"] and employer is None:
                errors.append(RowError(row.number, "村（社区）", _(ERR_NO_UNIT)))
                continue
            post = None
            if v["post"]:
                post = posts.get(v["post"])
                if post is None:
                    errors.append(RowError(row.number, "岗位编号", _(ERR_UNKNOWN_POST)))
                    continue
            else:
                post = (WelfarePost.objects.restrict(actor).exclude(status=c.PostStatus.REJECTED)
                        .filter(township_code=township, village=v["village"], employer=employer, name=v["name"],
                                funding_year=v["funding_year"]).order_by("id").first())
            key = post.pk if post else (township, v["village"], v["employer"], v["name"], v["funding_year"])
            if key in seen:
                errors.append(RowError(row.number, "岗位名称", _(ERR_SAME_POST).format(row=seen[key])))
                continue
            seen[key] = row.number
            row.meta["post"], row.meta["employer"] = post, employer
        return errors

    def _values(self, row) -> dict:
        v = row.values
        return {"name": v["name"], "post_type": v["post_type"], "work_time": v["work_time"] or c.WorkTime.FULL_TIME,
                "hours_per_month": v["hours_per_month"], "headcount": v["headcount"] or 1,
                "village": v["village"], "employer": row.meta["employer"], "funding_source": v["funding_source"],
                "funding_year": v["funding_year"], "duties": v["duties"]}

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        refused: list[RowError] = []
        for row in rows:
            values = self._values(row)
            try:
                if row.meta["post"] is None:
                    township = row.values["township"]
                    services.post_request(actor=actor, district_code=township[:6], township_code=township, **values)
                    outcome = "created"
                else:
                    _post, outcome = services.post_request_correct(actor=actor, post=row.meta["post"], **values)
            except (ValidationError, PermissionDenied) as exc:
                refused.append(_refused(row, "岗位名称", exc))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        if refused:
            raise CommitRefused(refused)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        for row in rows:
            post = row.meta["post"]
            if post is None:
                result.created += 1
            elif all(getattr(post, k) == v for k, v in self._values(row).items() if k != "hours_per_month"):
                result.unchanged += 1
            else:
                result.updated += 1

    def template_rows(self):
        return [["", "村道保洁员", "公共服务类", "全日制", "", "2", "500230101", "新村", "", "就业补助资金", "2024",
                 "村内道路清扫", ""]]


class RosterImporter(Importer):
    kind = "post_roster"
    title = gettext_noop("公益性岗位人员花名册")
    capability = Capability.MANAGE_JOBS
    description = gettext_noop("每人一行：已公示的人员按岗位编号和证件号码登记合同；同一户只能安置一人，"
                               "已在其他岗位的人员不能重复安置。")
    commit_may_refuse = True
    columns = (
        Column("placement", "安置编号", ("placement", "placement_id"), parse=parsers.integer(low=1),
               help="导出的花名册已填写；新安置留空"),
        Column("post", "岗位编号", ("post", "post_id"), required=True, parse=parsers.integer(low=1), example="1"),
        Column("name", "姓名", ("name",), example="张三", help="仅供核对"),
        Column("id_number", "证件号码", ("id_number", "身份证号"), parse=masked_or_id_number,
               example="500230198506010012", help="新安置必填；导出表中的脱敏号码按安置编号查找"),
        Column("contract_start", "合同开始", ("contract_start",), required=True, parse=parsers.date(),
               example="2024-03-01"),
        Column("planned_end", "合同计划终止", ("planned_end",), required=True, parse=parsers.date(),
               example="2026-02-28", help="连续安置不超过36个月；距退休不足5年的可延至退休"),
        _info("township", "乡镇代码"), _info("village", "村（社区）"), _info("post_name", "岗位名称"),
        _info("post_type", "岗位类型"), _info("work_time", "用工形式"), _info("funding", "资金来源"),
        _info("status", "状态"),
    )

    def check(self, rows, *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        posts = {p.pk: p for p in WelfarePost.objects.restrict(actor).filter(pk__in={r.values["post"] for r in rows})}
        placements = {p.pk: p for p in Placement.objects.restrict(actor).select_related("person").filter(
            pk__in=[r.values["placement"] for r in rows if r.values["placement"]])}
        hashes = {pii_hash(r.values["id_number"]) for r in rows if r.values["id_number"]}
        persons = persons_by_id_hash(actor=actor, hashes=hashes)
        people: dict[int, int] = {}
        households: dict[int, int] = {}
        for row in rows:
            v = row.values
            post = posts.get(v["post"])
            if post is None:
                errors.append(RowError(row.number, "岗位编号", _(ERR_UNKNOWN_POST)))
                continue
            placement = None
            if v["placement"]:
                placement = placements.get(v["placement"])
                if placement is None:
                    errors.append(RowError(row.number, "安置编号", _(ERR_UNKNOWN_PLACEMENT)))
                    continue
                person = placement.person
                if v["id_number"] and pii_hash(v["id_number"]) != person.id_number_hash:
                    errors.append(RowError(row.number, "证件号码", _(ERR_UNKNOWN_PLACEMENT)))
                    continue
            elif v["id_number"]:
                person = persons.get(pii_hash(v["id_number"]))
                if person is None:
                    errors.append(RowError(row.number, "证件号码", _(ERR_UNKNOWN_PERSON)))
                    continue
            else:
                errors.append(RowError(row.number, "证件号码", _(ERR_WHO)))
                continue
            if person.pk in people:
                errors.append(RowError(row.number, "证件号码", _(ERR_SAME_PERSON).format(row=people[person.pk])))
                continue
            if person.household_id in households:
                errors.append(RowError(row.number, "证件号码", "；".join((
                    _(ERR_SAME_HOUSEHOLD).format(row=households[person.household_id]), _(ERR_HOUSEHOLD_PLACED)))))
                continue
            people[person.pk] = households[person.household_id] = row.number
            row.meta.update(post=post, person=person, placement=placement)
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        refused: list[RowError] = []
        for row in rows:
            try:
                _placement, outcome = services.placement_record(
                    actor=actor, post=row.meta["post"], person=row.meta["person"], placement=row.meta["placement"],
                    contract_start=row.values["contract_start"], planned_end=row.values["planned_end"])
            except (ValidationError, PermissionDenied) as exc:
                refused.append(_refused(row, "证件号码", exc))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        if refused:
            raise CommitRefused(refused)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        live = {p.person_id: p for p in Placement.objects.filter(
            status__in=c.LIVE_PLACEMENT_STATUSES, person__in=[r.meta["person"] for r in rows])}
        for row in rows:
            placement = row.meta["placement"] or live.get(row.meta["person"].pk)
            if placement is None:
                result.created += 1
            elif (placement.contract_start, placement.planned_end) == (row.values["contract_start"],
                                                                        row.values["planned_end"]):
                result.unchanged += 1
            else:
                result.updated += 1

    def template_rows(self):
        return [["", "1", "张三", "500230198506010012", "2024-03-01", "2026-02-28", *[""] * 7]]


