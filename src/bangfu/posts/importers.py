"""``bangfu import post_attendance FILE``: a village's 考勤表 for one month, one row per person,
one column per day (√ 出勤, 事 事假, 病 病假, 旷 旷工, blank: not a working day), and the rating.

Same guarantees as every bangfu import (``bangfu.core.imports``): errors with row, column and
a Chinese reason, all-or-nothing by default, a re-import of the same file changes nothing.
Refused rows: a person not in a post that month, a month already approved with other values.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bangfu.core.actors import Actor
from bangfu.core.capabilities import Capability
from bangfu.core.imports import CellError, Column, CommitRefused, Importer, ImportResult, RowError
from bangfu.core.imports import parsers
from bangfu.core.pii import pii_hash
from bangfu.posts import choices as c
from bangfu.posts.errors import ERR_NOT_PLACED_THAT_MONTH
from bangfu.posts.models import Attendance, Placement
from bangfu.posts.services.attendance import attendance_record, days_in, placement_for_month
from bangfu.posts.sheets import masked_or_id_number
from bangfu.registry.selectors import persons_by_id_hash

ERR_MARK = gettext_noop("考勤标记应为 √、事、病、旷 或留空：{value}")
ERR_NO_DAY = gettext_noop("{month}没有第{day}日")
ERR_UNKNOWN_PERSON = gettext_noop("没有该人员（或该安置），或不在您的管辖范围内")
ERR_WHO = gettext_noop("请填写安置编号或证件号码")
ERR_DUPLICATE = gettext_noop("与第{row}行是同一人同一月")
MARKS = {"√": c.DayMark.PRESENT, "✓": c.DayMark.PRESENT, "✔": c.DayMark.PRESENT, "v": c.DayMark.PRESENT,
         "事": c.DayMark.PERSONAL_LEAVE, "病": c.DayMark.SICK_LEAVE, "旷": c.DayMark.ABSENT}
DAY_HEADER = "{day}日"


def parse_mark(text: str) -> str:
    if not text:
        return " "
    mark = MARKS.get(text.strip().lower())
    if mark is None:
        raise CellError(_(ERR_MARK).format(value=text))
    return str(mark)


def day_columns() -> tuple[Column, ...]:
    return tuple(Column(f"d{day}", DAY_HEADER.format(day=day), aliases=(f"day{day}", str(day)), parse=parse_mark,
                        choices=tuple(str(m) for m in c.DayMark.values)) for day in range(1, 32))


class AttendanceImporter(Importer):
    kind = "post_attendance"
    title = gettext_noop("公益性岗位考勤表")
    capability = Capability.EDIT_REGISTRY
    description = gettext_noop("每人一行、每日一列（√ 事 病 旷），填写考核等次；按证件号码和年月更新。")
    commit_may_refuse = True
    columns = (
        Column("month", "年月", ("month",), required=True, parse=parsers.month(), example="2024-09",
               help="YYYY-MM"),
        Column("placement", "安置编号", ("placement", "placement_id"), parse=parsers.integer(low=1),
               help="导出的考勤表已填写；手工制表时可改填证件号码", example="1"),
        # the exported sheet carries the masked number: read as blank, the row found by 安置编号
        Column("id_number", "证件号码", ("id_number", "身份证号"), parse=masked_or_id_number,
               help="未填安置编号时按证件号码查找", example="500230198506010012"),
        Column("name", "姓名", ("name",), example="张三", help="仅供核对"),
        *day_columns(),
        Column("rating", "考核等次", ("rating",), parse=parsers.choice(c.Rating),
               choices=parsers.choice_labels(c.Rating), example="合格", help="优秀、合格或不合格；不合格当月不发补贴"),
    )

    def check(self, rows, *, actor: Actor) -> list[RowError]:
        errors: list[RowError] = []
        hashes = {pii_hash(r.values["id_number"]) for r in rows if r.values["id_number"]}
        persons = persons_by_id_hash(actor=actor, hashes=hashes)
        placed = {p.pk: p.person for p in Placement.objects.restrict(actor).select_related("person").filter(
            pk__in=[r.values["placement"] for r in rows if r.values["placement"]])}
        seen: dict[tuple[int, str], int] = {}
        for row in rows:
            month = row.values["month"]
            if row.values["placement"]:
                person, column = placed.get(row.values["placement"]), "安置编号"
            elif row.values["id_number"]:
                person, column = persons.get(pii_hash(row.values["id_number"])), "证件号码"
            else:
                errors.append(RowError(row.number, "证件号码", _(ERR_WHO)))
                continue
            if person is None:
                errors.append(RowError(row.number, column, _(ERR_UNKNOWN_PERSON)))
                continue
            key = (person.pk, month)
            if key in seen:
                errors.append(RowError(row.number, "证件号码", _(ERR_DUPLICATE).format(row=seen[key])))
                continue
            seen[key] = row.number
            length = days_in(month)
            marks = "".join(row.values[f"d{day}"] for day in range(1, 32))
            extra = next((day for day in range(length + 1, 32) if marks[day - 1] != " "), None)
            if extra:
                errors.append(RowError(row.number, DAY_HEADER.format(day=extra),
                                       _(ERR_NO_DAY).format(month=month, day=extra)))
                continue
            if placement_for_month(person, month) is None:
                errors.append(RowError(row.number, column, _(ERR_NOT_PLACED_THAT_MONTH).format(month=month)))
                continue
            row.meta["person"] = person
            row.meta["marks"] = marks[:length].rstrip()
        return errors

    def commit(self, rows, *, actor: Actor, result: ImportResult, progress=None) -> None:
        refused: list[RowError] = []
        for row in rows:
            try:
                _record, outcome = attendance_record(actor=actor, person=row.meta["person"], month=row.values["month"],
                                                     marks=row.meta["marks"], rating=row.values["rating"])
            except ValidationError as exc:
                refused.append(RowError(row.number, "年月", "；".join(exc.messages)))
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        if refused:
            raise CommitRefused(refused)

    def preview(self, rows, *, actor: Actor, result: ImportResult) -> None:
        existing = {(a.placement.person_id, a.month): a for a in Attendance.objects.filter(
            month__in={r.values["month"] for r in rows},
            placement__person__in=[r.meta["person"] for r in rows]).select_related("placement")}
        for row in rows:
            record = existing.get((row.meta["person"].pk, row.values["month"]))
            if record is None:
                result.created += 1
            elif record.marks == row.meta["marks"] and record.rating == row.values["rating"]:
                result.unchanged += 1
            else:
                result.updated += 1

    def template_rows(self):
        return [["2024-09", "", "500230198506010012", "张三", *(["√"] * 20 + ["事", "病"] + [""] * 9), "合格"]]


def _importers() -> dict[str, Importer]:
    from bangfu.posts.sheets import PostRequestImporter, RosterImporter

    return {"post_attendance": AttendanceImporter(), "post_requests": PostRequestImporter(),
            "post_roster": RosterImporter()}


IMPORTERS = _importers()
